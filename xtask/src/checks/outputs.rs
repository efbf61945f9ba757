//! Runs every listing program and compares what it prints with its
//! expected-output file (format: tools/expected-output/src/lib.rs).
//!
//! The programs are built once, then run side by side: most of them sleep,
//! so running them together keeps the suite short, and each one's duration
//! is measured by the program itself (the numbers it prints are what the
//! bands check), never from the wall clock of the whole batch.

use super::running::{
    Outputs, Run, describe_mismatches, relative, run_with_timeout,
    side_by_side, stderr_tail, timeout,
};
use crate::listings::{self, Listing, Program};
use crate::report::Report;
use crate::{Result, cmd};
use std::fs;
use std::path::Path;
use std::process::Command;

/// How many programs run at once. They mostly sleep; the cap keeps a
/// CPU-bound one from starving the timed ones on a 2-core machine.
const PARALLEL: usize = 6;

/// Builds and runs the listings (all, or those in `only`); one check per
/// program, plus one for the layout if anything is missing.
pub fn check(root: &Path, only: &[String]) -> Report {
    let mut report = Report::default();
    let listings = listings::discover_into(&mut report, root, only);
    report.merge(run(root, &listings));
    report
}

/// Builds and runs the programs of the given listings; one check each.
pub fn run(root: &Path, listings: &[Listing]) -> Report {
    run_collecting(root, listings).0
}

/// [`run`], also returning what each program that passed printed, by id
/// (`chNN/<name>`), for the parity check.
pub fn run_collecting(root: &Path, listings: &[Listing]) -> (Report, Outputs) {
    let mut report = Report::default();
    let mut outputs = Outputs::new();
    let programs: Vec<&Program> =
        listings.iter().flat_map(|l| &l.programs).collect();
    if programs.is_empty() {
        return (report, outputs);
    }
    if let Err(e) = build(root, listings) {
        for program in &programs {
            report.record(
                &format!("listing {}", program.id),
                Err(format!("not run: the listings do not build ({e})").into()),
            );
        }
        return (report, outputs);
    }
    let bin_dir = cmd::target_dir(root).join("debug");
    let results = side_by_side(
        &programs,
        PARALLEL,
        |p| p.id.clone(),
        |p| check_program(root, &bin_dir, p),
    );
    for (id, result) in results {
        let result = result.map(|stdout| {
            outputs.insert(id.clone(), stdout);
        });
        report.record(&format!("listing {id}"), result);
    }
    (report, outputs)
}

/// Builds the programs of the given listings (debug, like `cargo run`).
pub fn build(root: &Path, listings: &[Listing]) -> Result {
    let mut build = cmd::cargo();
    build
        .current_dir(root)
        .args(["build", "--locked", "--bins"]);
    for listing in listings {
        build.args(["--package", &listing.name]);
    }
    cmd::run(&mut build)
}

/// Runs one program and compares its output, arrival times included;
/// returns what it printed (for the parity check).
fn check_program(
    root: &Path,
    bin_dir: &Path,
    program: &Program,
) -> Result<String> {
    let (expected, run) = run_program(root, bin_dir, program)?;
    let expected_path = relative(root, &program.expected);
    let source = relative(root, &program.source);
    let mismatches = expected_output::check_timed(&expected, &run.lines);
    if mismatches.is_empty() {
        println!("    {} ran in {:.2?}", program.id, run.elapsed);
        return Ok(run.stdout);
    }
    Err(describe_mismatches(
        &format!("{source}: output differs from {expected_path}"),
        &expected_path.to_string(),
        &mismatches,
    )
    .into())
}
/// Runs one (built) program as its expected-output file says: the parsed
/// file and the run, or an error if the program hung, failed or the file
/// is malformed.
pub fn run_program(
    root: &Path,
    bin_dir: &Path,
    program: &Program,
) -> Result<(expected_output::Expected, Run)> {
    let expected_path = relative(root, &program.expected);
    let text = fs::read_to_string(&program.expected)
        .map_err(|e| format!("{expected_path}: {e}"))?;
    let expected = expected_output::parse(&text)
        .map_err(|e| format!("{expected_path}:{}: {}", e.line, e.message))?;
    if expected.runner != expected_output::Runner::Cargo
        || expected.bin != program.name
        || expected.example
    {
        return Err(format!(
            "{expected_path}:1: the command runs `--bin {}`, but this file \
             belongs to `{}`",
            expected.bin, program.name
        )
        .into());
    }
    let mut command = Command::new(bin_dir.join(&program.name));
    command
        .args(&expected.args)
        .current_dir(program.source.ancestors().nth(3).unwrap());
    let run = run_with_timeout(&mut command, timeout())?;
    let source = relative(root, &program.source);
    let stderr_tail = || stderr_tail(&run.stderr);
    if run.timed_out {
        return Err(format!(
            "{source}: still running after {:?}: killed (does it hang?){}",
            timeout(),
            stderr_tail()
        )
        .into());
    }
    if !run.status_ok {
        return Err(format!(
            "{source}: exited with {}{}",
            run.status,
            stderr_tail()
        )
        .into());
    }
    Ok((expected, run))
}
