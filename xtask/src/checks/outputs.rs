//! Runs every listing program and compares what it prints with its
//! expected-output file (format: tools/expected-output/src/lib.rs).
//!
//! The programs are built once, then run side by side: most of them sleep,
//! so running them together keeps the suite short, and each one's duration
//! is measured by the program itself (the numbers it prints are what the
//! bands check), never from the wall clock of the whole batch.

use crate::listings::{self, Listing, Program};
use crate::report::Report;
use crate::{Result, cmd};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use std::{fs, thread};

/// How many programs run at once. They mostly sleep; the cap keeps a
/// CPU-bound one from starving the timed ones on a 2-core machine.
const PARALLEL: usize = 6;

/// A program still running after this long is killed and reported as hung.
/// `XTASK_LISTING_TIMEOUT` (seconds) overrides it.
pub fn timeout() -> Duration {
    let secs = std::env::var("XTASK_LISTING_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// `cargo xtask listings [chNN..]`.
/// The Python programs and the Rust/Python parity pairs of the same chapters
/// run too.
pub fn run_selected(root: &Path, only: &[String]) -> Result {
    let mut report = Report::default();
    let only = super::parity::with_partners(root, only);
    let listings = listings::discover_into(&mut report, root, &only);
    report.merge(super::python::check_all(root, &listings, &only));
    report.merge(super::listing_tests::check(root, &only));
    if only.is_empty() || only.iter().any(|c| c == "ch25") {
        report.merge(super::graceful::check(root));
    }
    report.finish()
}

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
pub fn run_collecting(
    root: &Path,
    listings: &[Listing],
) -> (Report, super::python::Outputs) {
    let mut report = Report::default();
    let mut outputs = super::python::Outputs::new();
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
    let queue = Mutex::new(programs.iter());
    let results = Mutex::new(Vec::new());
    thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some(program) = next else { break };
                    let result = check_program(root, &bin_dir, program);
                    results.lock().unwrap().push((program.id.clone(), result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
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

pub fn relative<'a>(root: &Path, path: &'a Path) -> std::path::Display<'a> {
    path.strip_prefix(root).unwrap_or(path).display()
}

/// The last lines of a program's standard error, to quote in a failure.
pub fn stderr_tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = &lines[lines.len().saturating_sub(15)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!("\n  stderr:\n    {}", tail.join("\n    "))
    }
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
    let mut mismatches = expected_output::check_timed(&expected, &run.lines);
    // A server's bind error is checked like a Python original's failure.
    mismatches.extend(expected_output::check_exit(
        &expected,
        run.status_ok,
        &run.stderr,
    ));
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
/// A failure message: the headline, then each mismatch with
/// `file:line`, expected and actual text, and why.
pub fn describe_mismatches(
    headline: &str,
    expected_path: &str,
    mismatches: &[expected_output::Mismatch],
) -> String {
    let mut message = headline.to_string();
    for m in mismatches {
        message.push_str(&format!(
            "\n  {expected_path}:{}\n    expected: {}\n    actual:   {}",
            m.line, m.expected, m.actual
        ));
        if let Some(why) = &m.why {
            message.push_str(&format!("\n    why:      {why}"));
        }
    }
    message
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
    if !run.status_ok && expected.error.is_none() {
        return Err(format!(
            "{source}: exited with {}{}",
            run.status,
            stderr_tail()
        )
        .into());
    }
    Ok((expected, run))
}

pub struct Run {
    /// Each line of standard output with the moment it arrived, measured
    /// from just before the program was started.
    pub lines: Vec<(Duration, String)>,
    /// The same lines as one text, each ending in a newline.
    pub stdout: String,
    pub stderr: String,
    pub status: String,
    pub status_ok: bool,
    pub timed_out: bool,
    pub elapsed: Duration,
}

/// Runs a command with no stdin, collecting its output; kills it when it
/// outlives `limit`.
pub fn run_with_timeout(command: &mut Command, limit: Duration) -> Result<Run> {
    cmd::echo(command);
    let start = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot start `{}`: {e}", cmd::describe(command))
        })?;
    // Pipes are drained on their own threads so that a chatty program
    // cannot block on a full pipe while we wait for it to exit.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    // Standard output is read line by line and each line stamped as it
    // arrives: a Rust program's stdout is a `LineWriter` even into a pipe,
    // and Python runs with `-u`, so a line arrives when it is printed.
    let out = child.stdout.take().map(|pipe| {
        thread::spawn(move || {
            let mut lines = Vec::new();
            let mut reader = BufReader::new(pipe);
            let mut bytes = Vec::new();
            while let Ok(n) = reader.read_until(b'\n', &mut bytes) {
                if n == 0 {
                    break;
                }
                let at = start.elapsed();
                let end = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
                let end = end.strip_suffix(b"\r").unwrap_or(end);
                lines.push((at, String::from_utf8_lossy(end).into_owned()));
                bytes.clear();
            }
            lines
        })
    });
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > limit {
            timed_out = true;
            child.kill()?;
            break child.wait()?;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let lines: Vec<(Duration, String)> = out
        .map(|t| t.join().unwrap_or_default())
        .unwrap_or_default();
    let stdout = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    Ok(Run {
        lines,
        stdout,
        stderr: err.join().unwrap_or_default(),
        status: status.to_string(),
        status_ok: status.success(),
        timed_out,
        elapsed,
    })
}
