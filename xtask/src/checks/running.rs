//! Running a program and comparing what it printed: what the checks of
//! the Rust listings (outputs.rs), the Python programs (python.rs), the
//! parity pairs (parity.rs) and the exercises share. It depends on none of
//! them.

use crate::{Result, cmd};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// What each program that passed printed, by id (`chNN/<name>`), for the
/// parity check.
pub type Outputs = BTreeMap<String, String>;

/// A program still running after this long is killed and reported as hung.
/// `XTASK_LISTING_TIMEOUT` (seconds) overrides it.
pub fn timeout() -> Duration {
    let secs = std::env::var("XTASK_LISTING_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Runs `check` on every item, `parallel` at a time (the programs mostly
/// sleep), and returns each item's id and result, sorted by id.
pub fn side_by_side<T: Sync>(
    items: &[T],
    parallel: usize,
    id: impl Fn(&T) -> String + Sync,
    check: impl Fn(&T) -> Result<String> + Sync,
) -> Vec<(String, Result<String>)> {
    let queue = Mutex::new(items.iter());
    let results = Mutex::new(Vec::new());
    thread::scope(|s| {
        for _ in 0..parallel {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some(item) = next else { break };
                    let result = check(item);
                    results.lock().unwrap().push((id(item), result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
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
