//! A listing's own tests, shown and checked like a program: each
//! `listings/chNN/tests/<name>.rs` has `listings/chNN/tests/output/<name>.txt`,
//! whose first line is
//!
//! ```text
//! $ cargo test --test <name> -- --test-threads=1
//! ```
//!
//! and whose other lines are what the test harness prints, in the format
//! of every expected output (`finished in {{0.00s | 0s..1s}}` bands the
//! time). One thread keeps the `test … ok` lines in name order. The chapter
//! includes the same file, so the book shows a real run of its tests.

use super::running::{self, describe_mismatches, relative};
use crate::report::Report;
use crate::{Result, cmd};
use std::fs;
use std::path::{Path, PathBuf};

pub struct TestFile {
    listing: String,
    name: String,
    source: PathBuf,
    expected: PathBuf,
}

/// The test files of the listings in `only` (all when empty), and the
/// files missing on either side.
pub fn discover(root: &Path, only: &[String]) -> (Vec<TestFile>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("tests"))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let stems = |dir: &Path, ext: &str| -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
            .collect();
        v.sort();
        v
    };
    for dir in dirs {
        let listing = dir.parent().unwrap().file_name().unwrap();
        let listing = listing.to_string_lossy().to_string();
        if !only.is_empty() && !only.contains(&listing) {
            continue;
        }
        let tests = stems(&dir, "rs");
        for out in stems(&dir.join("output"), "txt") {
            if !tests.contains(&out) {
                problems.push(format!(
                    "{}: expected test output without a test file \
                     (no tests/{out}.rs)",
                    relative(root, &dir.join(format!("output/{out}.txt")))
                ));
            }
        }
        for name in tests {
            let source = dir.join(format!("{name}.rs"));
            let expected = dir.join(format!("output/{name}.txt"));
            if !expected.is_file() {
                problems.push(format!(
                    "{}: a test file without expected output (create {}; \
                     first line `$ cargo test --test {name} -- \
                     --test-threads=1`)",
                    relative(root, &source),
                    relative(root, &expected)
                ));
                continue;
            }
            found.push(TestFile {
                listing: listing.clone(),
                name,
                source,
                expected,
            });
        }
    }
    (found, problems)
}

/// One check per test file (plus one for missing files).
pub fn check(root: &Path, only: &[String]) -> Report {
    let mut report = Report::default();
    let (tests, problems) = discover(root, only);
    if !problems.is_empty() {
        report.record("listing test files", Err(problems.join("\n").into()));
    }
    if tests.is_empty() {
        return report;
    }
    // Built first, so that the run's timeout measures the tests only.
    let mut build = cmd::cargo();
    build
        .current_dir(root)
        .args(["test", "--locked", "--no-run"]);
    for t in &tests {
        build.args(["-p", &t.listing, "--test", &t.name]);
    }
    let built = cmd::run(&mut build);
    for t in &tests {
        let result = match &built {
            Ok(()) => check_one(root, t),
            Err(e) => {
                Err(format!("not run: the tests do not build ({e})").into())
            }
        };
        report.record(&format!("tests {}/tests/{}", t.listing, t.name), result);
    }
    report
}

fn check_one(root: &Path, t: &TestFile) -> Result {
    let expected_path = relative(root, &t.expected).to_string();
    let text = fs::read_to_string(&t.expected)
        .map_err(|e| format!("{expected_path}: {e}"))?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let command = format!("$ cargo test --test {} -- --test-threads=1", t.name);
    if first.trim_end() != command {
        return Err(format!(
            "{expected_path}:1: the first line must be `{command}`"
        )
        .into());
    }
    // The body has the format of a program's output; the parser wants a
    // program's command line, so it gets one (line numbers stay the same).
    let expected = expected_output::parse(&format!(
        "$ cargo run --bin {}\n{rest}",
        t.name
    ))
    .map_err(|e| format!("{expected_path}:{}: {}", e.line, e.message))?;
    let mut run = cmd::cargo();
    run.current_dir(root)
        .args(["test", "--locked", "-p", &t.listing, "--test", &t.name])
        .args(["--", "--test-threads=1"]);
    let ran = running::run_with_timeout(&mut run, running::timeout())?;
    let source = relative(root, &t.source);
    if ran.timed_out {
        return Err(format!(
            "{source}: still running after {:?}: killed (a test that waits \
             in real time?){}",
            running::timeout(),
            running::stderr_tail(&ran.stderr)
        )
        .into());
    }
    let mut mismatches = expected_output::check_timed(&expected, &ran.lines);
    mismatches.extend(expected_output::check_exit(
        &expected,
        ran.status_ok,
        &ran.stderr,
    ));
    if mismatches.is_empty() {
        return Ok(());
    }
    Err(describe_mismatches(
        &format!("{source}: test output differs from {expected_path}"),
        &expected_path,
        &mismatches,
    )
    .into())
}
