//! `cargo xtask record [chNN..]`: re-records the timed expected outputs
//! (those with arrival stamps, see tools/expected-output) from a real run.
//!
//! The text and every band (ideal time and upper end) stay as they are;
//! only the recorded values, the arrival times and the `⟨recorded …⟩`
//! header (date and machine, and the digest of the run, see
//! tools/expected-output/src/digest.rs) change. A run that fails the check is not
//! written. The timelines drawn from these files are regenerated after.
//! Timed Python outputs (`listings/chNN/python/output/<name>.txt`, first
//! line `$ python3 -u <name>.py`) are re-recorded the same way
//! (`--python`: only those).
//!
//! Every value and every arrival time written comes from the one run just
//! made: [`written_from`] compares the new file with the run line by line,
//! and the file must pass the one-run check (checks/timelines.rs) before
//! it is written. A Python output's arrival times count from its first
//! line (the Python check forgives the interpreter's start-up, seconds on
//! a loaded machine); its header says when that line arrived after the
//! process started, so that a timeline can draw it from the true zero.

use super::{machine, timelines};
use crate::checks::timelines::one_run;
use crate::checks::{outputs, running};
use crate::{Result, cmd, listings};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub fn run(root: &Path, python_only: bool, only: &[String]) -> Result {
    let (listings, problems) = listings::discover(root, only);
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    if !python_only {
        outputs::build(root, &listings)?;
    }
    let bin_dir = cmd::target_dir(root).join("debug");
    let header = machine_header();
    let mut failures = Vec::new();
    let mut recorded = 0;
    // One at a time, so that the recorded times are not those of a
    // machine busy with the other listings.
    let programs = listings.iter().flat_map(|l| &l.programs);
    for program in programs.filter(|_| !python_only) {
        let path = running::relative(root, &program.expected).to_string();
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
                if let Err(e) = written_from(&path, &new, &run.lines) {
                    failures.push(e);
                    continue;
                }
                recorded += 1;
                print_diff(&path, &old, &new);
                fs::write(&program.expected, new)?;
            }
            Err(mismatches) => failures.push(running::describe_mismatches(
                &format!("{path}: not recorded, the run fails its check"),
                &path,
                &mismatches,
            )),
        }
    }
    for listing in &listings {
        match record_python(root, &listing.dir, &header) {
            Ok(n) => recorded += n,
            Err(e) => failures.push(e.to_string()),
        }
    }
    println!("recorded {recorded} timed output(s)");
    if let Err(e) = timelines::write(root) {
        failures.push(e.to_string());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

/// The timed Python outputs of one listing, `python/output/<name>.txt`,
/// each re-recorded from `python3 -u <name>.py` run in `python/`. Returns
/// how many were written; a failed run is an error naming its file.
fn record_python(root: &Path, dir: &Path, header: &str) -> Result<usize> {
    let outputs = dir.join("python/output");
    let Ok(entries) = fs::read_dir(&outputs) else {
        return Ok(0);
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut written = 0;
    let mut failures = Vec::new();
    for file in files {
        let path = running::relative(root, &file).to_string();
        let old = fs::read_to_string(&file)?;
        let expected = expected_output::parse(&old)
            .map_err(|e| format!("{path}:{}: {}", e.line, e.message))?;
        if !expected.is_timed() {
            continue;
        }
        if expected.runner != expected_output::Runner::Python {
            failures.push(format!(
                "{path}:1: a Python output starts with `$ python3 -u NAME.py`"
            ));
            continue;
        }
        let script = format!("{}.py", expected.bin);
        let mut python = Command::new(crate::checks::python::interpreter_for(
            &dir.join("python").join(&script),
        ));
        python
            .arg("-u")
            .arg(&script)
            .args(&expected.args)
            .current_dir(dir.join("python"));
        let mut run =
            running::run_with_timeout(&mut python, Duration::from_secs(60))?;
        // The interpreter's start-up is not the program's schedule: the
        // stamps count from the first line, as the Python check does, and
        // the header keeps where that line was.
        let first = run.lines.first().map_or(Duration::ZERO, |l| l.0);
        let header = python_header(header, first);
        expected_output::rebase_on_first_line(&mut run.lines);
        if run.timed_out || !run.status_ok {
            failures.push(format!(
                "{path}: not recorded: `python3 -u {script}` {}\n{}",
                if run.timed_out { "hung" } else { "failed" },
                run.stderr.trim_end()
            ));
            continue;
        }
        match expected_output::rerecord(&expected, &run.lines, &header) {
            Ok(new) => {
                if let Err(e) = written_from(&path, &new, &run.lines) {
                    failures.push(e);
                    continue;
                }
                written += 1;
                print_diff(&path, &old, &new);
                fs::write(&file, new)?;
            }
            Err(mismatches) => failures.push(running::describe_mismatches(
                &format!("{path}: not recorded, the run fails its check"),
                &path,
                &mismatches,
            )),
        }
    }
    if failures.is_empty() {
        Ok(written)
    } else {
        Err(failures.join("\n").into())
    }
}

/// Whether `new`, about to be written to `path`, is the run `lines` and
/// nothing else: each line shows exactly what the run printed (so every
/// value is this run's) and arrived when this run's line did, and the
/// whole file passes the one-run check. A file that mixes in anything
/// kept from an earlier recording is refused, with the line.
fn written_from(
    path: &str,
    new: &str,
    lines: &[(Duration, String)],
) -> std::result::Result<(), String> {
    let refuse = |line: usize, why: String| {
        Err(format!("{path}:{line}: not recorded: {why}"))
    };
    let parsed = match expected_output::parse(new) {
        Ok(parsed) => parsed,
        Err(e) => return refuse(e.line, e.message),
    };
    if parsed.lines.len() != lines.len() {
        return refuse(
            1,
            format!(
                "{} line(s) written for {} printed",
                parsed.lines.len(),
                lines.len()
            ),
        );
    }
    for (line, (at, printed)) in parsed.lines.iter().zip(lines) {
        let shown = expected_output::render(line);
        if shown != *printed {
            return refuse(
                line.number,
                format!("it would show `{shown}`, the run printed `{printed}`"),
            );
        }
        let stamp = expected_output::arrival_quantity(*at);
        match &line.arrival {
            Some(band) if band.recorded.text == stamp.text => {}
            _ => {
                return refuse(
                    line.number,
                    format!("its arrival time is not this run's ({stamp})"),
                );
            }
        }
    }
    let problems = one_run(path, new);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{path}: not recorded (was the machine too busy? run it again):\n{}",
            problems.join("\n")
        ))
    }
}

/// A Python output's header: when and where, and when its first line
/// arrived after the process started (read back by
/// [`crate::checks::timelines::python_start`]).
fn python_header(header: &str, first: Duration) -> String {
    format!(
        "{header}{}{:.3}s",
        expected_output::FIRST_LINE_AT,
        first.as_secs_f64()
    )
}

/// When and where: `2026-11-26 01:50 UTC, Linux 6.1.0 x86_64, 2 CPUs
/// (AMD EPYC 7B13)`.
fn machine_header() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{}, {} {}, {cores} CPUs ({})",
        machine::utc_now(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        machine::cpu_name()
    )
}

/// What changed, line by line (the header compared on its own, so that a
/// first recording does not shift every line).
fn print_diff(path: &str, old: &str, new: &str) {
    let split = |text: &str| -> (Option<String>, Vec<String>) {
        let header = text
            .lines()
            .find(|l| expected_output::header(l).is_some())
            .map(String::from);
        let lines = text
            .lines()
            .filter(|l| expected_output::header(l).is_none())
            .map(String::from)
            .collect();
        (header, lines)
    };
    let (old_header, old) = split(old);
    let (new_header, new) = split(new);
    let changed: Vec<usize> = (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .collect();
    println!("{path}: {} output line(s) changed", changed.len());
    if old_header != new_header {
        println!("  header:");
        old_header.iter().for_each(|h| println!("    - {h}"));
        new_header.iter().for_each(|h| println!("    + {h}"));
    }
    for i in changed {
        println!("  output line {}:", i + 1);
        if let Some(o) = old.get(i) {
            println!("    - {o}");
        }
        if let Some(n) = new.get(i) {
            println!("    + {n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "$ cargo run --bin t
⟨recorded now⟩
start  ⟨@0.002s | 0s..0.7s⟩
Total elapsed time is {{1.004s | 1s..2s}}  ⟨@1.006s | 1s..1.7s⟩
";

    /// [`FILE`] as the recorder writes it: with its run's digest.
    fn file() -> String {
        let e = expected_output::parse(FILE).unwrap();
        let digest = expected_output::run_digest(&e.lines, None);
        FILE.replace("now⟩", &format!("now; run {digest}⟩"))
    }

    fn run() -> Vec<(Duration, String)> {
        vec![
            (Duration::from_millis(2), "start".to_string()),
            (
                Duration::from_millis(1006),
                "Total elapsed time is 1.004s".to_string(),
            ),
        ]
    }

    #[test]
    fn a_file_that_is_this_run_is_written() {
        assert_eq!(written_from("t.txt", &file(), &run()), Ok(()));
    }

    #[test]
    fn a_value_kept_from_another_run_is_refused() {
        let kept = file().replace("{{1.004s", "{{1.100s");
        let err = written_from("t.txt", &kept, &run()).unwrap_err();
        assert!(
            err.starts_with("t.txt:4: not recorded: it would show"),
            "{err}"
        );
    }

    #[test]
    fn an_arrival_kept_from_another_run_is_refused() {
        let kept = file().replace("@1.006s", "@1.300s");
        let err = written_from("t.txt", &kept, &run()).unwrap_err();
        assert!(err.contains("t.txt:4: not recorded: its arrival"), "{err}");
    }
}
