//! Readers copy `listings/chNN` into their own projects, so each listing is
//! also built alone, outside the workspace, from its own Cargo.lock.

use crate::cmd::target_dir;
use crate::listings::{self, Listing};
use crate::report::Report;
use crate::{Result, cmd};
use std::fs;
use std::path::{Path, PathBuf};

/// `cargo xtask copy-out [chNN..]`.
pub fn run_selected(root: &Path, only: &[String]) -> Result {
    check(root, only).finish()
}

/// Copies each listing to an empty temporary folder and runs
/// `cargo build --locked` there. All copies share one target directory, so
/// tokio is compiled once, not once per listing.
pub fn check(root: &Path, only: &[String]) -> Report {
    let mut report = Report::default();
    let listings = listings::discover_into(&mut report, root, only);
    report.merge(build_each(root, &listings));
    report
}

/// The copy-out build of each of the given listings; one check each.
pub fn build_each(root: &Path, listings: &[Listing]) -> Report {
    let mut report = Report::default();
    let target = target_dir(root).join("copy-out");
    for listing in listings {
        // An extension module has no programs of its own: its library is
        // what a reader builds.
        let targets: &[&str] = if super::pyext::is_extension(&listing.dir) {
            &["--lib"]
        } else {
            &["--bins", "--examples"]
        };
        let result = copy_out(listing).and_then(|dir| {
            let result = cmd::run(
                cmd::cargo()
                    .current_dir(&dir)
                    .env("CARGO_TARGET_DIR", &target)
                    .args(["build", "--locked", "--quiet"])
                    .args(targets),
            );
            let _ = fs::remove_dir_all(dir.parent().unwrap());
            result.map_err(|e| {
                format!(
                    "listings/{} does not build on its own: {e}",
                    listing.name
                )
                .into()
            })
        });
        report.record(&format!("copy-out {}", listing.name), result);
    }
    report
}

/// `cargo xtask lock`: gives each listing a Cargo.lock with the versions the
/// workspace uses, trimmed to what that listing needs.
pub fn lock(root: &Path) -> Result {
    let (listings, problems) = listings::discover(root, &[]);
    let problems: Vec<_> = problems
        .iter()
        .filter(|p| !p.contains("Cargo.lock"))
        .collect();
    if !problems.is_empty() {
        println!("note: fix these too:");
        problems.iter().for_each(|p| println!("  {p}"));
    }
    for listing in &listings {
        let dir = copy_out(listing)?;
        fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        // Resolving rewrites the lock file, dropping every package this
        // listing does not use and keeping the versions of the rest.
        cmd::run(
            cmd::cargo()
                .current_dir(&dir)
                .args(["metadata", "--format-version", "1", "--quiet"])
                .stdout(std::process::Stdio::null()),
        )?;
        fs::copy(dir.join("Cargo.lock"), listing.dir.join("Cargo.lock"))?;
        fs::remove_dir_all(dir.parent().unwrap())?;
        println!("wrote listings/{}/Cargo.lock", listing.name);
    }
    Ok(())
}

/// Copies a listing (without any `target/`) to `<tmp>/<unique>/<name>`.
fn copy_out(listing: &Listing) -> Result<PathBuf> {
    let base = std::env::temp_dir().join(format!(
        "async-book-copy-out-{}-{}",
        std::process::id(),
        listing.name
    ));
    let _ = fs::remove_dir_all(&base);
    let dir = base.join(&listing.name);
    copy_dir(&listing.dir, &dir, &["target"])?;
    Ok(dir)
}

/// Copies a directory tree, leaving out entries named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) -> Result {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if skip.iter().any(|s| entry.file_name() == *s) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()), skip)?;
        } else {
            fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
