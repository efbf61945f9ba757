//! The Python side: every Python program a chapter shows is a file, run
//! with `python3 -u` and checked against its expected output exactly like a
//! Rust listing (same format, same matcher).
//!
//! ```text
//! listings/chNN/python/<name>.py           one program (chapters include it)
//! listings/chNN/python/output/<name>.txt   what it prints; first line
//!                                          `$ python3 -u <name>.py`
//! ```
//!
//! An original that no longer runs (Python 2, an API removed in 3.11, a bug
//! in the article) ends its expected output with `{{error: TEXT}}`: it must
//! fail, and `TEXT` must be the last line of its standard error. A program
//! that imports gevent runs with the pinned gevent from a virtualenv in the
//! tool cache, never with the system Python's packages.

use crate::report::Report;
use crate::tools::PythonEnv;
use crate::{Result, cmd};
use expected_output::Runner;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::running::{
    Outputs, run_with_timeout, side_by_side, stderr_tail, timeout,
};

/// The oldest Python the book's programs are checked with: the chapters
/// quote what Python 3.11 prints.
const MIN_VERSION: (u32, u32) = (3, 11);

/// The gevent the Part 2 programs run with, and its pinned dependencies.
pub const GEVENT_VERSION: &str = "26.9.0";
const GEVENT_REQUIREMENTS: &str = include_str!("gevent-requirements.txt");

/// How many programs run at once (they mostly sleep).
const PARALLEL: usize = 6;

/// `listings/chNN/python/<name>.py` with its expected output.
pub struct PyProgram {
    /// `chNN/python/<name>.py`, how reports and the parity file name it.
    pub id: String,
    pub name: String,
    pub source: PathBuf,
    pub expected: PathBuf,
    pub gevent: bool,
    /// Imports uvloop, curio or Twisted (chapter 27's virtualenv).
    pub bench: bool,
    /// Imports its listing's extension module (`pyext.rs`).
    pub extension: bool,
}

/// Every Python program under `root/listings/*/python` (of the chapters in
/// `only`, or all), and the layout problems: a program without an expected
/// output, an expected output without a program.
pub fn discover(root: &Path, only: &[String]) -> (Vec<PyProgram>, Vec<String>) {
    let mut programs = Vec::new();
    let mut problems = Vec::new();
    let rel =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("python"))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let chapter = dir
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !only.is_empty() && !only.contains(&chapter) {
            continue;
        }
        let scripts = stems(&dir, "py");
        for out in stems(&dir.join("output"), "txt") {
            if !scripts.contains(&out) {
                problems.push(format!(
                    "{}: expected output without a program (no {out}.py)",
                    rel(&dir.join("output").join(format!("{out}.txt")))
                ));
            }
        }
        for name in scripts {
            let source = dir.join(format!("{name}.py"));
            let expected = dir.join("output").join(format!("{name}.txt"));
            if !expected.is_file() {
                problems.push(format!(
                    "{}: program without expected output (create {})",
                    rel(&source),
                    rel(&expected)
                ));
                continue;
            }
            let text = fs::read_to_string(&source).unwrap_or_default();
            programs.push(PyProgram {
                extension: super::pyext::needs(&source),
                id: format!("{chapter}/python/{name}.py"),
                name,
                source,
                expected,
                gevent: needs_gevent(&text),
                bench: super::bench_venv::needs(&text),
            });
        }
    }
    (programs, problems)
}

/// A program that imports gevent at the top level runs with the gevent
/// virtualenv.
fn needs_gevent(source: &str) -> bool {
    source.lines().any(|line| {
        line.starts_with("import gevent")
            || line.starts_with("from gevent ")
            || line.starts_with("from gevent.")
    })
}

fn stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut stems: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    stems.sort();
    stems
}

/// `python3 --version` is 3.11 or newer; a missing `python3` says what to
/// install. Checked once per process.
pub fn check_python() -> Result {
    static CHECKED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let install = "install Python 3.11 or newer as `python3` \
                           (Debian: apt-get install python3 python3-venv)";
            let mut version = Command::new("python3");
            version.args([
                "-c",
                "import sys; print(\"%d.%d\" % sys.version_info[:2])",
            ]);
            let out = cmd::capture(&mut version)
                .map_err(|e| format!("{e}: {install}"))?;
            let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let parsed = text.split_once('.').and_then(|(a, b)| {
                Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?))
            });
            match parsed {
                Some(v) if out.status.success() && v >= MIN_VERSION => Ok(()),
                _ => Err(format!(
                    "python3 is version `{text}`, the Python programs need \
                     {}.{}+: {install}",
                    MIN_VERSION.0, MIN_VERSION.1
                )),
            }
        })
        .clone()
        .map_err(Into::into)
}

/// The interpreter that runs `source`: for a program beside an extension
/// module, the virtualenv it is installed in; the gevent virtualenv's for
/// a program that imports gevent; the bench virtualenv's for one that
/// imports uvloop, curio or Twisted; `python3` for the others.
pub fn interpreter_for(source: &Path) -> PathBuf {
    if let Some(python) = super::pyext::python_for(source) {
        return python;
    }
    let text = fs::read_to_string(source).unwrap_or_default();
    if super::bench_venv::needs(&text) {
        super::bench_venv::env().python()
    } else if needs_gevent(&text) {
        gevent_env().python()
    } else {
        PathBuf::from("python3")
    }
}

/// `<tool cache>/python-gevent-<version>`, with the pinned gevent.
pub fn gevent_env() -> PythonEnv {
    PythonEnv {
        name: format!("python-gevent-{GEVENT_VERSION}"),
        what: format!("gevent {GEVENT_VERSION}"),
        requirements: GEVENT_REQUIREMENTS,
        source_only: &[],
        probe: "import gevent; print(gevent.__version__)",
        expected: GEVENT_VERSION.to_string(),
    }
}

/// Creates the gevent virtualenv in the tool cache unless it already works.
pub fn install_gevent() -> Result {
    check_python()?;
    gevent_env().install()
}

/// `cargo xtask listings` and the self-test: the Python programs of the
/// chapters in `only` (all when empty).
pub fn check(root: &Path, only: &[String]) -> Report {
    run(root, only).0
}

/// Runs the Python programs side by side; one check each (plus one for the
/// layout), and what each printed.
pub fn run(root: &Path, only: &[String]) -> (Report, Outputs) {
    let mut report = Report::default();
    let (programs, problems) = discover(root, only);
    if !problems.is_empty() {
        report.record("python layout", Err(problems.join("\n").into()));
    }
    if programs.is_empty() {
        return (report, Outputs::new());
    }
    let setup = check_python().and_then(|()| {
        if programs.iter().any(|p| p.bench) {
            super::bench_venv::install()?;
        }
        let mut extensions: Vec<PathBuf> = programs
            .iter()
            .filter(|p| p.extension)
            .filter_map(|p| Some(p.source.parent()?.parent()?.to_path_buf()))
            .collect();
        extensions.dedup();
        super::pyext::build(root, &extensions)?;
        if programs.iter().any(|p| p.gevent) {
            install_gevent()
        } else {
            Ok(())
        }
    });
    if let Err(e) = setup {
        for program in &programs {
            report.record(
                &format!("python {}", program.id),
                Err(format!("{}: not run: {e}", rel(root, &program.source))
                    .into()),
            );
        }
        return (report, Outputs::new());
    }
    let results = side_by_side(
        &programs,
        PARALLEL,
        |p| p.id.clone(),
        |p| check_program(root, p),
    );
    let mut outputs = Outputs::new();
    for (id, result) in results {
        let result = result.map(|stdout| {
            outputs.insert(id.clone(), stdout);
        });
        report.record(&format!("python {id}"), result);
    }
    (report, outputs)
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Runs one program; on success returns what it printed.
fn check_program(root: &Path, program: &PyProgram) -> Result<String> {
    let expected_path = rel(root, &program.expected);
    let text = fs::read_to_string(&program.expected)
        .map_err(|e| format!("{expected_path}: {e}"))?;
    let expected = expected_output::parse(&text)
        .map_err(|e| format!("{expected_path}:{}: {}", e.line, e.message))?;
    if expected.runner != Runner::Python || expected.bin != program.name {
        return Err(format!(
            "{expected_path}:1: the first line must be \
             `$ python3 -u {}.py`",
            program.name
        )
        .into());
    }
    let mut command = Command::new(interpreter_for(&program.source));
    command
        .arg("-u")
        .arg(format!("{}.py", program.name))
        .args(&expected.args)
        .env("PYTHONUTF8", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(program.source.parent().unwrap());
    let run = run_with_timeout(&mut command, timeout())?;
    let source = rel(root, &program.source);
    let stderr_tail = stderr_tail(&run.stderr);
    if run.timed_out {
        return Err(format!(
            "{source}: still running after {:?}: killed (does it hang?){}",
            timeout(),
            stderr_tail
        )
        .into());
    }
    // Arrival times count from the first line: the interpreter's start-up
    // (seconds on a loaded machine) is not part of the program's schedule.
    let mut lines = run.lines.clone();
    expected_output::rebase_on_first_line(&mut lines);
    let mut mismatches = expected_output::check_timed(&expected, &lines);
    mismatches.extend(expected_output::check_exit(
        &expected,
        run.status_ok,
        &run.stderr,
    ));
    if mismatches.is_empty() {
        println!("    {} ran in {:.2?}", program.id, run.elapsed);
        return Ok(run.stdout);
    }
    let mut message = format!(
        "{source}: output differs from {expected_path} ({}){}",
        run.status,
        if run.status_ok {
            String::new()
        } else {
            stderr_tail
        }
    );
    for m in &mismatches {
        message.push_str(&format!(
            "\n  {expected_path}:{}\n    expected: {}\n    actual:   {}",
            m.line, m.expected, m.actual
        ));
        if let Some(why) = &m.why {
            message.push_str(&format!("\n    why:      {why}"));
        }
    }
    Err(message.into())
}
