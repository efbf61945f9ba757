//! `cargo xtask record [chNN..]`: re-records the timed expected outputs
//! (those with arrival stamps, see tools/expected-output) from a real run.
//!
//! The text and every band (ideal time and upper end) stay as they are;
//! only the recorded values, the arrival times and the `⟨recorded …⟩`
//! header (date and machine) change. A run that fails the check is not
//! written. The timelines drawn from these files are regenerated after.

use super::{bench, timelines};
use crate::checks::outputs;
use crate::{Result, cmd, listings};
use std::fs;
use std::path::Path;

pub fn run(root: &Path, only: &[String]) -> Result {
    let (listings, problems) = listings::discover(root, only);
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    outputs::build(root, &listings)?;
    let bin_dir = cmd::target_dir(root).join("debug");
    let header = machine_header();
    let mut failures = Vec::new();
    let mut recorded = 0;
    // One at a time, so that the recorded times are not those of a
    // machine busy with the other listings.
    for program in listings.iter().flat_map(|l| &l.programs) {
        let path = outputs::relative(root, &program.expected).to_string();
        let old = fs::read_to_string(&program.expected)?;
        let timed = expected_output::parse(&old).is_ok_and(|e| e.is_timed());
        if !timed {
            continue;
        }
        let (expected, run) =
            match outputs::run_program(root, &bin_dir, program) {
                Ok(done) => done,
                Err(e) => {
                    failures.push(e.to_string());
                    continue;
                }
            };
        match expected_output::rerecord(&expected, &run.lines, &header) {
            Ok(new) => {
                recorded += 1;
                print_diff(&path, &old, &new);
                fs::write(&program.expected, new)?;
            }
            Err(mismatches) => failures.push(outputs::describe_mismatches(
                &format!("{path}: not recorded, the run fails its check"),
                &path,
                &mismatches,
            )),
        }
    }
    println!("recorded {recorded} timed output(s)");
    timelines::write(root)?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

/// When and where: `2026-11-26 01:50 UTC, Linux 6.1.0 x86_64, 2 CPUs
/// (AMD EPYC 7B13)`.
fn machine_header() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{}, {} {}, {cores} CPUs ({})",
        bench::utc_now(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        bench::cpu_name()
    )
}

/// What changed, line by line: the old and the new text of each line.
fn print_diff(path: &str, old: &str, new: &str) {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let changed: Vec<usize> = (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .collect();
    println!("{path}: {} line(s) changed", changed.len());
    for i in changed {
        println!("  {}:", i + 1);
        if let Some(o) = old.get(i) {
            println!("    - {o}");
        }
        if let Some(n) = new.get(i) {
            println!("    + {n}");
        }
    }
}
