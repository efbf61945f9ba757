//! rustfmt and clippy over the whole workspace. Their output is printed as
//! it comes, and a failure repeats the places they point at, so the summary
//! at the end names the files to fix.

use crate::{Result, cmd};
use std::path::Path;

/// `cargo fmt --all --check`.
pub fn rustfmt(root: &Path) -> Result {
    let mut fmt = cmd::cargo();
    fmt.current_dir(root).args(["fmt", "--all", "--check"]);
    run_and_point(&mut fmt, "Diff in ")
}

/// `cargo clippy` on every target with warnings denied: a compiler or
/// clippy warning anywhere, listings included, fails the check.
pub fn clippy(root: &Path) -> Result {
    let mut clippy = cmd::cargo();
    clippy.current_dir(root).args([
        "clippy",
        "--locked",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run_and_point(&mut clippy, "--> ")
}

/// Runs the command; on failure the error quotes each `error` headline and
/// each output line that contains `marker` (the tool's "file:line" pointer).
fn run_and_point(command: &mut std::process::Command, marker: &str) -> Result {
    let out = cmd::capture(command)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    if out.status.success() {
        return Ok(());
    }
    let places: Vec<String> = stdout
        .lines()
        .chain(stderr.lines())
        .filter_map(|line| match line.split_once(marker) {
            Some((_, place)) => {
                Some(format!("    at {}", place.trim_end_matches(':')))
            }
            None if line.starts_with("error") => Some(format!("  {line}")),
            None => None,
        })
        .collect();
    Err(format!(
        "`{}` failed ({})\n{}",
        cmd::describe(command),
        out.status,
        places.join("\n")
    )
    .into())
}
