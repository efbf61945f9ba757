//! The timeline pictures (src/generated/timelines/, drawn by
//! `cargo xtask timelines` from the expected outputs) must match the
//! expected files they are drawn from: a re-recorded or edited output
//! with an old picture fails, naming the picture and its source files.
//!
//! Every timed expected output must also be one run ([`one_run`]): the
//! digest in its header, written by `cargo xtask record` from the run it
//! made, must still match every recorded value and arrival time, and its
//! arrival times can be put back on the process start (a Python output
//! counts from its first line; its header says when that line arrived).
//! The pictures, the replay in the page and the quiz explanations are
//! drawn from these times, so a file spliced from two runs, or a lane
//! shifted to start at its first line, would show moments no run ever had.

use crate::Result;
use crate::author::timelines::{TIMELINES, render_svg, svg_path};
use expected_output::{Expected, Kind, Part, Quantity, Runner};
use std::fs;
use std::path::Path;

pub fn check(root: &Path) -> Result {
    let mut problems = recordings(root);
    for timeline in TIMELINES {
        let path = svg_path(root, timeline);
        let shown = path.strip_prefix(root).unwrap_or(&path).display();
        let sources: Vec<&str> = timeline
            .runs
            .iter()
            .filter(|r| !r.optional || root.join(r.file).exists())
            .map(|r| r.file)
            .collect();
        let (svg, notes) = match render_svg(root, timeline) {
            Ok(drawn) => drawn,
            Err(e) => {
                problems.push(format!("{shown}: cannot be drawn: {e}"));
                continue;
            }
        };
        // Not a failure, but never silent: a Python run not drawn yet.
        notes.iter().for_each(|n| println!("note: {n}"));
        match fs::read_to_string(&path) {
            Ok(old) if old == svg => {}
            Ok(_) => problems.push(format!(
                "{shown}: stale: it differs from what {} give(s); run \
                 `cargo xtask timelines` and commit the result",
                sources.join(", ")
            )),
            Err(e) => problems
                .push(format!("{shown}: {e} (run `cargo xtask timelines`)")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// [`one_run`] over every timed expected output, Rust
/// (`listings/chNN/output/`) and Python (`listings/chNN/python/output/`).
pub fn recordings(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let chapters = fs::read_dir(root.join("listings")).into_iter().flatten();
    for chapter in chapters.flatten() {
        for dir in ["output", "python/output"] {
            let entries = fs::read_dir(chapter.path().join(dir));
            for entry in entries.into_iter().flatten().flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "txt") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let shown = file.strip_prefix(root).unwrap_or(&file).display();
        let shown = shown.to_string();
        match fs::read_to_string(&file) {
            Ok(text) => problems.extend(one_run(&shown, &text)),
            Err(e) => problems.push(format!("{shown}: {e}")),
        }
    }
    problems
}

pub use expected_output::FIRST_LINE_AT;

/// When a Python output's first line arrived after its process started,
/// in seconds, from the header; `None` if the header does not say.
pub fn python_start(recorded: Option<&str>) -> Option<f64> {
    expected_output::first_line_seconds(recorded)
}

/// How much later than the program's own clock a line may reach the
/// recorder. The recorder stamps each line as it reads it from the pipe;
/// the committed files show 0 to 31 ms between a program's clock and the
/// arrival of the line that prints it, recorded on a loaded 2-CPU machine.
/// 100 ms leaves room for a busier moment, and anything larger is a sign
/// of two runs: in the spliced ch18 recording, the total of one run
/// (5.003 s) sat on a line that arrived at 5.290 s in another.
pub const MAX_LAG_S: f64 = 0.100;

/// The text that, alone before a line's first value, says that the value
/// is the program's clock (time since it started) when it printed the
/// line: the `[0.305s] message` log lines and the totals at the end.
const CLOCK_PREFIXES: &[&str] =
    &["[", "Total elapsed time is ", "总用时 ", "total "];

/// The problems of one expected output (`path` as shown, `text` its
/// contents) as a record of one run; none for an untimed file.
///
/// What proves it is one run is the digest `cargo xtask record` wrote into
/// the header from the run it had just made ([`expected_output::run_digest`]):
/// every recorded value and arrival time, in order, and a Python output's
/// first-line time. It is recomputed here; a missing digest, or a value or
/// arrival changed since (by hand, or pasted from another recording), fails.
///
/// Two timing tests follow; they need no digest and catch some splices
/// that the digest cannot tell apart from a recording, but only those that
/// break physics. Arrival times count from just before the process started
/// (a Python output's from its first line, plus the header's
/// [`FIRST_LINE_AT`]), and a program reads its clock before it writes the
/// line, so:
///
/// - no measured time on a line may exceed that line's arrival time,
///   beyond rounding: half a unit of the value's last printed digit plus
///   half a millisecond (arrival times are printed in whole ms). This
///   holds for every duration a program measures in real time (not for
///   CPU time summed over threads, or a paused clock's virtual time: no
///   timed output prints either), and fails for a value from a slower run
///   or a lane counted from its first line;
/// - a clock value ([`CLOCK_PREFIXES`]) may trail its arrival by at most
///   [`MAX_LAG_S`] (for Python, beyond the smallest such gap in the file:
///   the interpreter starts before the script reads its clock);
/// - a Python output must say where its first line was: without it, its
///   lane on a timeline starts at that line instead of the process start.
///
/// A splice between runs less than 100 ms apart, or on lines that print no
/// clock, passes both: only the digest catches it.
pub fn one_run(path: &str, text: &str) -> Vec<String> {
    let Ok(expected) = expected_output::parse(text) else {
        // A malformed file is reported, with its line, by the listings check.
        return Vec::new();
    };
    if !expected.is_timed() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    if let Some(problem) = digest_problem(path, &expected) {
        problems.push(problem);
    }
    let python = expected.runner == Runner::Python;
    let offset = if python {
        python_start(expected.recorded.as_deref()).unwrap_or_else(|| {
            problems.push(format!(
                "{path}:2: the arrival times count from the first line, but \
                 the header does not say when that line arrived after the \
                 process started (`{}`), so a timeline would draw this run \
                 from a shifted zero; re-record with `cargo xtask record`",
                FIRST_LINE_AT.trim_start_matches("; ")
            ));
            0.0
        })
    } else {
        0.0
    };
    let clocks = clock_lags(&expected, offset);
    let allowance = if python {
        clocks
            .iter()
            .map(|c| c.1)
            .fold(f64::INFINITY, f64::min)
            .max(0.0)
    } else {
        0.0
    };
    for line in &expected.lines {
        let Some(arrival) = &line.arrival else {
            continue;
        };
        let at = arrival.recorded.value + offset;
        let times = line.parts.iter().filter_map(|p| match p {
            Part::Measured(b) if b.recorded.kind == Kind::Time => {
                Some(&b.recorded)
            }
            _ => None,
        });
        for value in times {
            let slack = half_unit(value) + 0.0005;
            if value.value > at + slack {
                problems.push(format!(
                    "{path}:{}: the line prints {} but arrived at {:.3}s \
                     after the process started: a program cannot print a \
                     time it has not lived yet (tolerance {:.1} ms for \
                     rounding), so the value and the arrival are not from \
                     one run counted from the process start; re-record \
                     with `cargo xtask record`",
                    line.number,
                    value,
                    at,
                    slack * 1e3
                ));
            }
        }
    }
    for (number, lag, value, arrival) in clocks {
        let slack = MAX_LAG_S + half_unit(&value) + 0.0005;
        if lag - allowance > slack {
            let startup = if python {
                format!(
                    " beyond the interpreter's start-up ({:.0} ms, the \
                     smallest gap in the file)",
                    allowance * 1e3
                )
            } else {
                String::new()
            };
            problems.push(format!(
                "{path}:{number}: the program's clock says {value} but the \
                 line arrived at {arrival:.3}s, {:.0} ms later{startup}: a line \
                 reaches the recorder within {:.0} ms of being printed, so \
                 the value and the arrival come from different runs; \
                 re-record with `cargo xtask record`",
                (lag - allowance) * 1e3,
                MAX_LAG_S * 1e3
            ));
        }
    }
    problems
}

/// What is wrong with the run digest in a timed file's header, if anything.
fn digest_problem(path: &str, expected: &Expected) -> Option<String> {
    let header = expected.recorded.as_deref().unwrap_or("");
    let recorded = expected_output::parse_recorded(header);
    let computed =
        expected_output::run_digest(&expected.lines, recorded.first_line_at);
    let last = expected.lines.last().map_or(2, |l| l.number);
    let (first, changed) = match recorded.first_line_at {
        Some(_) => (
            " and the header's first-line time",
            "a value, an arrival or the first-line time",
        ),
        None => ("", "a value or an arrival"),
    };
    match recorded.digest {
        Some(written) if written == computed => None,
        Some(written) => Some(format!(
            "{path}:2: the header's run digest is {written}, but the recorded \
             values and arrival times of lines 3-{last}{first} give {computed}: \
             {changed} was changed after `cargo xtask \
             record` wrote the file (by hand, or taken from another \
             recording), so the file is no longer one run; re-record with \
             `cargo xtask record`"
        )),
        None => Some(format!(
            "{path}:2: the header has no run digest (`{}…`), so nothing shows \
             that the values and arrival times of lines 3-{last}{first} are \
             one run; re-record with `cargo xtask record`",
            expected_output::RUN_DIGEST.trim_start_matches("; ")
        )),
    }
}

/// The lines whose first value is the program's clock: (line number,
/// arrival minus value, the value, the arrival), arrivals moved by
/// `offset` seconds.
fn clock_lags(
    expected: &Expected,
    offset: f64,
) -> Vec<(usize, f64, Quantity, f64)> {
    let mut clocks = Vec::new();
    for line in &expected.lines {
        let (Some(arrival), [Part::Text(before), Part::Measured(band), ..]) =
            (&line.arrival, line.parts.as_slice())
        else {
            continue;
        };
        if band.recorded.kind == Kind::Time
            && CLOCK_PREFIXES.contains(&before.as_str())
        {
            let at = arrival.recorded.value + offset;
            clocks.push((
                line.number,
                at - band.recorded.value,
                band.recorded.clone(),
                at,
            ));
        }
    }
    clocks
}

/// Half a unit of a time's last printed digit, in seconds: `1.02s` is
/// 1.015 to 1.025 s, `608.705ms` is within 0.5 µs.
fn half_unit(q: &Quantity) -> f64 {
    let text = q.text.as_str();
    let number_end = text
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let unit = match &text[number_end..] {
        "ns" => 1e-9,
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        // Seconds, or a Python timedelta (`0:00:05.001234`).
        _ => 1.0,
    };
    let decimals = text[..number_end]
        .rsplit_once('.')
        .map_or(0, |(_, frac)| frac.len());
    0.5 * unit * 10f64.powi(-(decimals as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as `cargo xtask record` would have sealed it: with the digest
    /// of its values and arrivals in the header.
    fn sealed(text: &str) -> String {
        let e = expected_output::parse(text).unwrap();
        let h = e.recorded.clone().unwrap();
        let first = expected_output::parse_recorded(&h).first_line_at;
        let digest = expected_output::run_digest(&e.lines, first);
        text.replacen(&format!("{h}⟩"), &format!("{h}; run {digest}⟩"), 1)
    }

    const SPLICED: &str = "$ cargo run --bin wake_loop
⟨recorded 2026-11-26 02:39 UTC, linux x86_64, 2 CPUs (x)⟩
A starting after waiting {{40.524µs | 0s..100ms}}  ⟨@0.002s | 0s..0.7s⟩
Total elapsed time is {{5.003s | 5s..6.5s}}  ⟨@5.290s | 5s..5.7s⟩
";

    #[test]
    fn a_total_far_behind_its_arrival_is_two_runs() {
        let problems = one_run("w.txt", &sealed(SPLICED));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("w.txt:4: the program's clock says"));
        let one = SPLICED.replace("5.290s |", "5.006s |");
        assert!(one_run("w.txt", &sealed(&one)).is_empty());
    }

    #[test]
    fn a_value_ahead_of_its_arrival_is_two_runs() {
        let ahead = "$ cargo run --bin c
⟨recorded x⟩
[{{1.011s | 1s..1.5s}}] main: stop  ⟨@1.007s | 1s..1.7s⟩
";
        let problems = one_run("c.txt", &sealed(ahead));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("c.txt:3: the line prints 1.011s"));
        // Rounding is not a splice: 1.02s may be 1.015 s.
        let rounded = ahead.replace("1.011s |", "1.02s |");
        let rounded = rounded.replace("@1.007s", "@1.016s");
        assert!(one_run("c.txt", &sealed(&rounded)).is_empty());
    }

    #[test]
    fn a_python_lane_counted_from_its_first_line_is_caught() {
        let shifted = "$ python3 -u f.py
⟨recorded x⟩
fast done  ⟨@0.000s | 0s..0.7s⟩
total {{1.53s | 1.5s..2.1s}}  ⟨@1.030s | 0.7s..1.7s⟩
";
        let problems = one_run("f.txt", &sealed(shifted));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("f.txt:2: the arrival times count"));
        assert!(problems[1].contains("f.txt:4: the line prints 1.53s"));
        let placed = shifted.replace("x⟩", "x; first line at 0.612s⟩");
        assert!(one_run("f.txt", &sealed(&placed)).is_empty());
        assert_eq!(python_start(Some("x; first line at 0.612s")), Some(0.612));
    }

    const ONE_RUN: &str = "$ cargo run --bin wake_loop
⟨recorded 2026-12-07 15:00 UTC, linux x86_64, 2 CPUs (x)⟩
C starting after waiting {{1.000s | 1s..1.5s}}  ⟨@1.002s | 1s..1.7s⟩
C T-minus 4  ⟨@1.003s | 1s..1.7s⟩
Total elapsed time is {{5.001s | 5s..6.5s}}  ⟨@5.004s | 5s..5.7s⟩
";

    #[test]
    fn a_splice_that_breaks_no_timing_rule_is_caught_by_the_digest() {
        let one = sealed(ONE_RUN);
        assert!(one.contains("(x); run "), "{one}");
        assert!(one_run("w.txt", &one).is_empty());
        // Lines from another run 50 ms slower: plausible, but not this run.
        for spliced in [
            one.replace("@1.003s", "@1.053s"),
            one.replace("{{5.001s", "{{5.051s")
                .replace("@5.004s", "@5.054s"),
            one.replace("{{1.000s", "{{1.001s"),
        ] {
            assert_ne!(spliced, one);
            let problems = one_run("w.txt", &spliced);
            assert_eq!(problems.len(), 1, "{spliced}");
            assert!(
                problems[0].starts_with("w.txt:2: the header's run digest"),
                "{}",
                problems[0]
            );
            assert!(problems[0].contains("lines 3-5"), "{}", problems[0]);
        }
        // Rewording a line or widening a band keeps it one run.
        let edited = one
            .replace("C T-minus 4", "C: T-minus 4")
            .replace("5s..6.5s", "5s..7s");
        assert!(one_run("w.txt", &edited).is_empty());
        // A timed file without a digest is not known to be one run.
        let bare = one_run("w.txt", ONE_RUN);
        assert_eq!(bare.len(), 1, "{bare:?}");
        assert!(bare[0].starts_with("w.txt:2: the header has no run digest"));
        // A Python output's first-line time is covered too.
        let py = ONE_RUN
            .replace("cargo run --bin wake_loop", "python3 -u w.py")
            .replace("(x)⟩", "(x); first line at 0.200s⟩");
        let py = sealed(&py);
        assert!(one_run("w.txt", &py).is_empty());
        let moved = py.replace("at 0.200s", "at 0.250s");
        let problems = one_run("w.txt", &moved);
        assert!(problems[0].contains("run digest"), "{problems:?}");
    }

    #[test]
    fn half_units() {
        let q = |t: &str| Quantity {
            text: t.to_string(),
            value: 0.0,
            kind: Kind::Time,
        };
        assert!((half_unit(&q("1.02s")) - 0.005).abs() < 1e-12);
        assert!((half_unit(&q("608.705ms")) - 0.5e-6).abs() < 1e-12);
        assert!((half_unit(&q("5s")) - 0.5).abs() < 1e-12);
    }
}
