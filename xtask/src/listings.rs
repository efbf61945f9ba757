//! Finding the listings, their programs and their expected outputs.
//!
//! Layout (README.md explains it to readers):
//!
//! ```text
//! listings/chNN/Cargo.toml          package `chNN`, self-contained
//! listings/chNN/Cargo.lock          its own lock file (copy-out builds use it)
//! listings/chNN/src/bin/<name>.rs   one program
//! listings/chNN/output/<name>.txt   what that program prints
//! listings/chNN/pyproject.toml      only in a Python extension module,
//!                                   whose programs are in python/
//! ```

use crate::report::Report;
use std::fs;
use std::path::{Path, PathBuf};

/// One listing package, `listings/chNN`.
pub struct Listing {
    pub name: String,
    pub dir: PathBuf,
    pub programs: Vec<Program>,
}

/// One program of a listing with its expected output.
pub struct Program {
    /// `chNN/<name>`, how reports name it.
    pub id: String,
    pub name: String,
    pub source: PathBuf,
    pub expected: PathBuf,
}

/// Files with the given extension in `dir`, by stem, sorted.
fn stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut stems: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    stems.sort();
    stems
}

/// Every listing under `root/listings`, and the problems found: a program
/// without an expected output, an expected output without a program, a
/// package that would not build when copied out. `only` keeps the listings
/// named in it (all when empty).
pub fn discover(root: &Path, only: &[String]) -> (Vec<Listing>, Vec<String>) {
    let mut listings = Vec::new();
    let mut problems = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        problems.extend(check_manifest(root, &dir, &name));
        let bins = stems(&dir.join("src/bin"), "rs");
        // An extension module's programs are its Python ones (python.rs).
        if bins.is_empty() && !crate::checks::pyext::is_extension(&dir) {
            problems.push(format!(
                "{}: a listing with no program in src/bin/",
                dir.strip_prefix(root).unwrap_or(&dir).display()
            ));
        }
        let outputs = stems(&dir.join("output"), "txt");
        let rel = |p: PathBuf| p.strip_prefix(root).unwrap_or(&p).to_path_buf();
        for out in outputs.iter().filter(|o| !bins.contains(o)) {
            problems.push(format!(
                "{}: expected output without a program \
                 (no src/bin/{out}.rs)",
                rel(dir.join("output").join(format!("{out}.txt"))).display()
            ));
        }
        let mut programs = Vec::new();
        for bin in bins {
            let source = dir.join("src/bin").join(format!("{bin}.rs"));
            let expected = dir.join("output").join(format!("{bin}.txt"));
            if !expected.is_file() {
                problems.push(format!(
                    "{}: program without expected output \
                     (create {})",
                    rel(source).display(),
                    rel(expected).display()
                ));
                continue;
            }
            programs.push(Program {
                id: format!("{name}/{bin}"),
                name: bin,
                source,
                expected,
            });
        }
        listings.push(Listing {
            name,
            dir,
            programs,
        });
    }
    for wanted in only {
        if !listings.iter().any(|l| &l.name == wanted) {
            problems.push(format!("listings/{wanted}: no such listing"));
        }
    }
    (listings, problems)
}

/// [`discover`], recording any layout problems as one failed check.
pub fn discover_into(
    report: &mut Report,
    root: &Path,
    only: &[String],
) -> Vec<Listing> {
    let (listings, problems) = discover(root, only);
    if !problems.is_empty() {
        report.record("listing layout", Err(problems.join("\n").into()));
    }
    listings
}

/// A reader copies `listings/chNN` anywhere and runs it, so its manifest may
/// not lean on the workspace: no `workspace = true` inheritance, no path
/// dependencies, edition 2024, the package named like its folder, and a
/// committed Cargo.lock.
fn check_manifest(root: &Path, dir: &Path, name: &str) -> Vec<String> {
    let manifest = dir.join("Cargo.toml");
    let shown = manifest.strip_prefix(root).unwrap_or(&manifest).display();
    let Ok(text) = fs::read_to_string(&manifest) else {
        return vec![format!("{shown}: missing")];
    };
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("");
        let squeezed: String =
            code.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains("workspace=true")
            || squeezed.contains(".workspace")
        {
            problems.push(format!(
                "{shown}:{}: workspace inheritance; a copied-out listing \
                 cannot build: `{}`",
                i + 1,
                line.trim()
            ));
        }
        if squeezed.contains("path=") {
            problems.push(format!(
                "{shown}:{}: path dependency; a copied-out listing cannot \
                 build: `{}`",
                i + 1,
                line.trim()
            ));
        }
    }
    let squeezed: String =
        text.chars().filter(|c| !c.is_whitespace()).collect();
    if !squeezed.contains(&format!("name=\"{name}\"")) {
        problems.push(format!("{shown}: the package must be named `{name}`"));
    }
    if !squeezed.contains("edition=\"2024\"") {
        problems.push(format!("{shown}: the package must use edition 2024"));
    }
    if !dir.join("Cargo.lock").is_file() {
        problems.push(format!(
            "{shown}: no Cargo.lock beside it (run `cargo xtask lock`)"
        ));
    }
    problems
}
