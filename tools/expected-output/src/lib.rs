//! The expected-output format shared by the checker (`cargo xtask test`) and
//! the book (the `mdbook-expected-output` preprocessor).
//!
//! An expected-output file, `listings/chNN/output/<bin>.txt`, is what a reader
//! sees in a terminal:
//!
//! ```text
//! $ cargo run --bin sleeping_loop
//! A waiting 0 seconds before starting countdown
//! Total elapsed time is {{5.002s | 5s..6s}}
//! ```
//!
//! * The first line is the command. Everything after `--` is passed to the
//!   program as arguments.
//! * Every other line is one line of standard output, compared as text.
//! * A measured value is written `{{recorded | min..max}}`: the value one real
//!   run printed (the book shows only this), then the band the checker
//!   accepts. For a duration, `min` is the ideal time, so a program that
//!   finishes early fails just like one that finishes late.
//!
//! ## Arrival times (timed listings)
//!
//! Standard output of a Rust program is line-buffered even into a pipe
//! (`std::io::Stdout` wraps a `LineWriter`), and `python3 -u` is unbuffered,
//! so the checker can stamp each line with the moment it arrived, measured
//! from the start of the program. A timed listing records that moment at
//! the end of every output line:
//!
//! ```text
//! $ cargo run --bin countdown
//! ⟨recorded 2026-11-26 01:50 UTC, linux x86_64, 2 CPUs⟩
//! T-minus 2 (A)  ⟨@0.001s | 0s..0.3s⟩
//! T-minus 1 (A)  ⟨@1.002s | 1s..1.4s⟩
//! ```
//!
//! * The stamp is two spaces, `⟨@`, then `recorded | ideal..upper` like a
//!   measured value, then `⟩`, and nothing after it. The lower end is the
//!   ideal time: a line that arrives earlier, or after the upper end, fails
//!   even though its text matches (a program that prints everything at the
//!   end, or one line a second late).
//! * A file is timed when any line has a stamp; then every output line must
//!   have one. The line `⟨recorded …⟩` right after the command says when and
//!   where the stamps were recorded (`cargo xtask record` writes it).
//! * Times count from the program's start (for a Rust program, from just
//!   before it is spawned). A checker may count from the first line
//!   instead ([`rebase_on_first_line`]) when the program's start-up is not
//!   part of its schedule, as with the Python interpreter.
//! * Readers never see stamps or the header: the book shows a clean
//!   transcript (see [`render_chapter`]) and uses the times for its replay.
//!
//! Values carry a unit: `ns`, `µs` (or `us`), `ms`, `s` for time (the units
//! of `Duration`'s `Debug` output, so `{:.3?}` prints them), `B`, `KiB`,
//! `MiB`, `GiB` for memory, `x` for a ratio. A band's ends must be of the
//! same kind as the value. A time may also be written the way Python prints
//! a `datetime.timedelta`, `H:MM:SS[.ffffff]` (`0:00:05.001234`).
//!
//! A Python program, `listings/chNN/python/<name>.py`, has its expected
//! output in `listings/chNN/python/output/<name>.txt`; its command line is
//! `$ python3 -u <name>.py [ARGS...]`.
//!
//! A program that is shown because it *fails* (a Python 2 original, say)
//! ends its file with one line `{{error: TEXT}}`: the program must exit with
//! a non-zero status, and the last line of its standard error must be
//! exactly `TEXT` (for Python, the exception line of the traceback). The
//! lines before it are its standard output, checked as usual. The book shows
//! the line as `TEXT`.

pub mod book_json;
pub mod cjk;
pub mod diagrams;
pub mod markdown;
pub mod quiz;

use std::fmt;
use std::time::Duration;

mod chapter;
mod digest;
pub use chapter::{PLAYGROUND_RUN_BUDGET_S, recorded_seconds, render_chapter};
pub use digest::{
    FIRST_LINE_AT, RUN_DIGEST, Recorded, first_line_seconds, parse_recorded,
    run_digest,
};

/// A parsed expected-output file.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The program's arguments (what follows `--` on the command line).
    pub args: Vec<String>,
    /// The program named on the command line: a binary (`--bin NAME`), an
    /// exercise's example (`--example NAME`), or the Python script's name
    /// without `.py`.
    pub bin: String,
    /// What runs the program.
    pub runner: Runner,
    /// Whether the command runs an example (`--example`) rather than a
    /// binary (`--bin`).
    pub example: bool,
    /// One entry per line of standard output, with its line number in the file.
    pub lines: Vec<Line>,
    /// `{{error: TEXT}}`: the program must fail, and this must be the last
    /// line of its standard error.
    pub error: Option<ErrorLine>,
    /// The first line as written.
    pub command: String,
    /// The `⟨recorded …⟩` header of a timed file, without the brackets.
    pub recorded: Option<String>,
}

impl Expected {
    /// Whether the file records arrival times.
    pub fn is_timed(&self) -> bool {
        self.lines.iter().any(|l| l.arrival.is_some())
    }
}

/// What the command line runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// `$ cargo run --bin NAME`
    Cargo,
    /// `$ python3 -u NAME.py`
    Python,
}

/// `{{error: TEXT}}`, the last line of a file whose program must fail.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorLine {
    /// 1-based line number in the expected-output file.
    pub number: usize,
    /// The last line the program must write to standard error.
    pub text: String,
}

/// The `{{error: TEXT}}` line's text, if `line` is one.
fn error_line(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    Some(inner.trim_start().strip_prefix("error:")?.trim())
}

/// One expected line of output.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the expected-output file.
    pub number: usize,
    pub parts: Vec<Part>,
    /// `  ⟨@recorded | ideal..upper⟩`: when the line arrived, in a timed file.
    pub arrival: Option<Band>,
}

/// A piece of an expected line: literal text or a measured value.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Measured(Band),
}

/// `{{recorded | min..max}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub recorded: Quantity,
    pub min: Quantity,
    pub max: Quantity,
}

/// What a unit measures; a band compares only quantities of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Time,
    Memory,
    Ratio,
}

/// A number with its unit, e.g. `5.002s`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The text as written, e.g. `5.002s`.
    pub text: String,
    /// The value in base units (seconds, bytes, or the plain ratio).
    pub value: f64,
    pub kind: Kind,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Units, longest first so that `ms` is not read as `m` + `s`.
const UNITS: &[(&str, f64, Kind)] = &[
    ("KiB", 1024.0, Kind::Memory),
    ("MiB", 1024.0 * 1024.0, Kind::Memory),
    ("GiB", 1024.0 * 1024.0 * 1024.0, Kind::Memory),
    ("ns", 1e-9, Kind::Time),
    ("µs", 1e-6, Kind::Time),
    ("us", 1e-6, Kind::Time),
    ("ms", 1e-3, Kind::Time),
    ("s", 1.0, Kind::Time),
    ("B", 1.0, Kind::Memory),
    ("x", 1.0, Kind::Ratio),
];

/// Reads a Python `timedelta` at the start of `s`, `H:MM:SS[.ffffff]`.
fn parse_timedelta(s: &str) -> Option<(Quantity, &str)> {
    let digits =
        |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let h = digits(s);
    let rest = s.get(h..)?.strip_prefix(':')?;
    let (minutes, rest) = (rest.get(..2)?, rest.get(2..)?.strip_prefix(':')?);
    let (seconds, rest) = (rest.get(..2)?, rest.get(2..)?);
    let fraction = match rest.strip_prefix('.') {
        Some(f) if digits(f) > 0 => &f[..digits(f)],
        _ => "",
    };
    if h == 0 || digits(minutes) != 2 || digits(seconds) != 2 {
        return None;
    }
    let mut value = s[..h].parse::<f64>().ok()? * 3600.0
        + minutes.parse::<f64>().ok()? * 60.0
        + seconds.parse::<f64>().ok()?;
    let mut len = h + 6;
    if !fraction.is_empty() {
        value += format!("0.{fraction}").parse::<f64>().ok()?;
        len += 1 + fraction.len();
    }
    let quantity = Quantity {
        text: s[..len].to_string(),
        value,
        kind: Kind::Time,
    };
    Some((quantity, &s[len..]))
}

/// Reads a quantity at the start of `s`; returns it and the rest of `s`.
pub fn parse_quantity(s: &str) -> Option<(Quantity, &str)> {
    if let Some(found) = parse_timedelta(s) {
        return Some(found);
    }
    let digits = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(s.len(), |(i, _)| i);
    let number = &s[..digits];
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let rest = &s[digits..];
    let &(unit, scale, kind) =
        UNITS.iter().find(|(unit, ..)| rest.starts_with(unit))?;
    let len = digits + unit.len();
    let quantity = Quantity {
        text: s[..len].to_string(),
        value: value * scale,
        kind,
    };
    Some((quantity, &s[len..]))
}

/// Reads exactly one quantity, with nothing around it but spaces.
fn parse_whole_quantity(s: &str) -> Result<Quantity, String> {
    let s = s.trim();
    match parse_quantity(s) {
        Some((q, "")) => Ok(q),
        _ => Err(format!(
            "`{s}` is not a number with a unit \
             (ns, µs, us, ms, s, B, KiB, MiB, GiB, x) or H:MM:SS.ffffff"
        )),
    }
}

fn parse_band(inner: &str) -> Result<Band, String> {
    let (recorded, range) = inner
        .split_once('|')
        .ok_or("a measured value is written {{recorded | min..max}}")?;
    let (min, max) = range
        .split_once("..")
        .ok_or("the band after `|` is written min..max")?;
    let band = Band {
        recorded: parse_whole_quantity(recorded)?,
        min: parse_whole_quantity(min)?,
        max: parse_whole_quantity(max)?,
    };
    if band.min.kind != band.recorded.kind
        || band.max.kind != band.recorded.kind
    {
        return Err(format!(
            "the band {}..{} does not measure the same thing as {}",
            band.min, band.max, band.recorded
        ));
    }
    if band.min.value > band.max.value {
        return Err(format!("the band {}..{} is empty", band.min, band.max));
    }
    if let Err(why) = band.admits(&band.recorded) {
        return Err(format!(
            "the recorded value is outside its own band: {why}"
        ));
    }
    Ok(band)
}

impl Band {
    /// Whether `measured` lies inside the band; the error says why not.
    pub fn admits(&self, measured: &Quantity) -> Result<(), String> {
        if measured.kind != self.recorded.kind {
            return Err(format!(
                "{measured} is not the same kind of quantity as {}",
                self.recorded
            ));
        }
        if measured.value < self.min.value {
            let what = if self.min.kind == Kind::Time {
                "earlier than the ideal time"
            } else {
                "below the band's minimum"
            };
            return Err(format!("{measured} is {what} {}", self.min));
        }
        if measured.value > self.max.value {
            return Err(format!(
                "{measured} is above the band's maximum {}",
                self.max
            ));
        }
        Ok(())
    }
}

/// What starts an arrival stamp; it ends with [`STAMP_END`].
pub const STAMP_START: &str = "  ⟨@";
/// What ends an arrival stamp.
pub const STAMP_END: char = '⟩';
/// The header line of a timed file starts with this and ends with `⟩`.
pub const HEADER_START: &str = "⟨recorded ";

/// Splits a line into its text and the inside of its arrival stamp, if it
/// has one; an error if `⟨@` appears anywhere but in a well-formed stamp.
pub fn split_arrival(text: &str) -> Result<(&str, Option<&str>), String> {
    let Some(at) = text.rfind(STAMP_START) else {
        if text.contains("⟨@") {
            return Err(stamp_usage());
        }
        return Ok((text, None));
    };
    let inner = text[at + STAMP_START.len()..]
        .strip_suffix(STAMP_END)
        .ok_or_else(stamp_usage)?;
    let before = &text[..at];
    if before.contains("⟨@") {
        return Err(stamp_usage());
    }
    Ok((before, Some(inner)))
}

fn stamp_usage() -> String {
    "an arrival time is written at the end of the line, after two spaces:      `  ⟨@recorded | ideal..upper⟩`"
        .to_string()
}

/// The text of a `⟨recorded …⟩` header line, if `line` is one.
pub fn header(line: &str) -> Option<&str> {
    line.strip_prefix(HEADER_START)?.strip_suffix(STAMP_END)
}

/// Splits one expected line into text, measured values and arrival time.
pub fn parse_line(number: usize, text: &str) -> Result<Line, String> {
    let (text, stamp) = split_arrival(text)?;
    let arrival = match stamp {
        Some(inner) => {
            let band = parse_band(inner)?;
            if band.recorded.kind != Kind::Time {
                return Err(format!(
                    "an arrival time must be a duration, not {}",
                    band.recorded
                ));
            }
            Some(band)
        }
        None => None,
    };
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .map(|i| start + i)
            .ok_or("`{{` without a closing `}}`")?;
        if start > 0 {
            parts.push(Part::Text(rest[..start].to_string()));
        }
        parts.push(Part::Measured(parse_band(&rest[start + 2..end])?));
        rest = &rest[end + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    Ok(Line {
        number,
        parts,
        arrival,
    })
}

/// An error in an expected-output file, with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    pub line: usize,
    pub message: String,
}

/// Parses a whole expected-output file.
pub fn parse(text: &str) -> Result<Expected, FormatError> {
    let command = text.lines().next().unwrap_or("");
    let (runner, bin, example, args) = parse_command(command)
        .map_err(|message| FormatError { line: 1, message })?;
    let Body {
        recorded,
        lines,
        error,
    } = parse_body(text)?;
    Ok(Expected {
        args,
        bin,
        runner,
        example,
        lines,
        error,
        command: command.to_string(),
        recorded,
    })
}

/// What follows the command line of an expected-output file.
pub struct Body {
    /// The `⟨recorded …⟩` header, if any.
    pub recorded: Option<String>,
    pub lines: Vec<Line>,
    /// The `{{error: ...}}` line, if any.
    pub error: Option<ErrorLine>,
}

/// Parses everything after the command line, whatever the command is: the
/// `⟨recorded …⟩` header if any, the output lines, and a final
/// `{{error: ...}}` line if any. In a timed file every output line must
/// carry an arrival stamp.
pub fn parse_body(text: &str) -> Result<Body, FormatError> {
    let mut recorded = None;
    let mut lines = Vec::new();
    let mut error = None;
    for (i, line) in text.lines().enumerate().skip(1) {
        let number = i + 1;
        if error.is_some() {
            return Err(FormatError {
                line: number,
                message: "nothing may follow the `{{error: ...}}` line"
                    .to_string(),
            });
        }
        if let Some(h) = header(line) {
            if number != 2 {
                return Err(FormatError {
                    line: number,
                    message: "the `⟨recorded …⟩` header belongs right \
                              after the command"
                        .to_string(),
                });
            }
            recorded = Some(h.to_string());
            continue;
        }
        if let Some(text) = error_line(line) {
            error = Some(ErrorLine {
                number,
                text: text.to_string(),
            });
            continue;
        }
        let parsed =
            parse_line(number, line).map_err(|message| FormatError {
                line: number,
                message,
            })?;
        lines.push(parsed);
    }
    let timed = lines.iter().any(|l| l.arrival.is_some());
    if let Some(bare) = lines.iter().find(|l| timed && l.arrival.is_none()) {
        return Err(FormatError {
            line: bare.number,
            message: format!(
                "this file records arrival times, but this line has none \
                 ({})",
                stamp_usage()
            ),
        });
    }
    Ok(Body {
        recorded,
        lines,
        error,
    })
}

/// `$ cargo run --bin NAME [-- ARGS...]`,
/// `$ cargo run --example NAME [-- ARGS...]` (an exercise) or
/// `$ python3 -u NAME.py [ARGS...]`
fn parse_command(
    line: &str,
) -> Result<(Runner, String, bool, Vec<String>), String> {
    let usage = "the first line must be the command, \
                 `$ cargo run --bin NAME [-- ARGS...]` (an exercise: \
                 `--example NAME`) or `$ python3 -u NAME.py [ARGS...]`";
    let words: Vec<&str> = line.split_whitespace().collect();
    if let ["$", "python3", "-u", script, args @ ..] = &words[..] {
        let name = script.strip_suffix(".py").ok_or(usage)?;
        return Ok((
            Runner::Python,
            name.to_string(),
            false,
            args.iter().map(|s| s.to_string()).collect(),
        ));
    }
    let (cargo, args) = match words.iter().position(|w| *w == "--") {
        Some(i) => (&words[..i], &words[i + 1..]),
        None => (&words[..], &[][..]),
    };
    let (bin, example) = match cargo {
        ["$", "cargo", "run", "--bin", bin] => (bin, false),
        ["$", "cargo", "run", "--example", name] => (name, true),
        _ => return Err(usage.to_string()),
    };
    Ok((
        Runner::Cargo,
        bin.to_string(),
        example,
        args.iter().map(|s| s.to_string()).collect(),
    ))
}

/// One difference between the expected and the actual output.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Line in the expected-output file (for a missing or extra line, the
    /// line where it would be).
    pub line: usize,
    pub expected: String,
    pub actual: String,
    /// Why a measured value was rejected, if that was the problem.
    pub why: Option<String>,
}

/// Renders an expected line as the book shows it: recorded values only.
pub fn render(line: &Line) -> String {
    line.parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.as_str(),
            Part::Measured(band) => band.recorded.text.as_str(),
        })
        .collect()
}

/// Renders an expected line with its bands and arrival stamp, as written
/// in the file.
pub fn render_with_bands(line: &Line) -> String {
    let mut out: String = line
        .parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.clone(),
            Part::Measured(b) => {
                format!("{{{{{} | {}..{}}}}}", b.recorded, b.min, b.max)
            }
        })
        .collect();
    if let Some(b) = &line.arrival {
        out.push_str(&format!(
            "{STAMP_START}{} | {}..{}{STAMP_END}",
            b.recorded, b.min, b.max
        ));
    }
    out
}

/// Matches one actual line against an expected one; returns the measured
/// values in order.
fn match_line(
    expected: &Line,
    actual: &str,
) -> Result<Vec<Quantity>, Option<String>> {
    let mut rest = actual;
    let mut measured_values = Vec::new();
    for part in &expected.parts {
        match part {
            Part::Text(text) => {
                rest = rest.strip_prefix(text.as_str()).ok_or(None)?;
            }
            Part::Measured(band) => {
                let (measured, after) = parse_quantity(rest).ok_or(None)?;
                band.admits(&measured).map_err(Some)?;
                measured_values.push(measured);
                rest = after;
            }
        }
    }
    if rest.is_empty() {
        Ok(measured_values)
    } else {
        Err(None)
    }
}

/// Like [`match_line`], but returns the actual line with each measured value
/// replaced by `{{measured}}`.
fn mask_line(expected: &Line, actual: &str) -> Option<String> {
    let mut rest = actual;
    let mut masked = String::new();
    for part in &expected.parts {
        match part {
            Part::Text(text) => {
                rest = rest.strip_prefix(text.as_str())?;
                masked.push_str(text);
            }
            Part::Measured(band) => {
                let (measured, after) = parse_quantity(rest)?;
                band.admits(&measured).ok()?;
                masked.push_str("{{measured}}");
                rest = after;
            }
        }
    }
    rest.is_empty().then_some(masked)
}

/// The lines of `stdout`, each measured value that the expected line at the
/// same position admits replaced by `{{measured}}`; a line that does not
/// match its expected line stays as printed. Two programs that print the
/// same thing, up to measurements within their own bands, give the same
/// masked lines.
pub fn mask_measured(expected: &Expected, stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .enumerate()
        .map(|(i, actual)| {
            expected
                .lines
                .get(i)
                .and_then(|line| mask_line(line, actual))
                .unwrap_or_else(|| actual.to_string())
        })
        .collect()
}

/// An arrival time as a quantity, in seconds with millisecond precision.
pub fn arrival_quantity(at: Duration) -> Quantity {
    let text = format!("{:.3}s", at.as_secs_f64());
    parse_whole_quantity(&text).expect("a formatted duration parses")
}

/// Compares a program's standard output with the expected lines, text and
/// measured values only. Use [`check_timed`] when arrival times are known.
pub fn check(expected: &Expected, stdout: &str) -> Vec<Mismatch> {
    let actual: Vec<&str> = stdout.lines().collect();
    compare(expected, &actual, None)
}

/// Compares lines stamped with their arrival time (measured from the
/// program's start) with the expected lines: text and measured values as
/// [`check`] does, and, in a timed file, each line's arrival against its
/// band. A line that arrives before its ideal time or after its band's
/// upper end is a mismatch even if its text is right.
pub fn check_timed(
    expected: &Expected,
    actual: &[(Duration, String)],
) -> Vec<Mismatch> {
    let text: Vec<&str> = actual.iter().map(|(_, l)| l.as_str()).collect();
    let times: Vec<Duration> = actual.iter().map(|(t, _)| *t).collect();
    compare(expected, &text, Some(&times))
}

/// Moves the time origin to the first line's arrival: for a program whose
/// start-up is not part of its schedule, such as a Python interpreter
/// importing `asyncio` (seconds on a loaded machine, measured here), whose
/// first line is due at once. Lines printed all at the end still fail:
/// they arrive at the first line's time, earlier than their ideal times.
pub fn rebase_on_first_line(lines: &mut [(Duration, String)]) {
    let Some(&(first, _)) = lines.first() else {
        return;
    };
    for (at, _) in lines.iter_mut() {
        *at = at.saturating_sub(first);
    }
}

fn compare(
    expected: &Expected,
    actual: &[&str],
    times: Option<&[Duration]>,
) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (i, line) in expected.lines.iter().enumerate() {
        let Some(got) = actual.get(i) else {
            mismatches.push(Mismatch {
                line: line.number,
                expected: render_with_bands(line),
                actual: "(no more output)".to_string(),
                why: None,
            });
            break;
        };
        if let Err(why) = match_line(line, got) {
            mismatches.push(Mismatch {
                line: line.number,
                expected: render_with_bands(line),
                actual: got.to_string(),
                why,
            });
            continue;
        }
        let (Some(band), Some(times)) = (&line.arrival, times) else {
            continue;
        };
        let at = arrival_quantity(times[i]);
        if let Err(why) = band.admits(&at) {
            mismatches.push(Mismatch {
                line: line.number,
                expected: render_with_bands(line),
                actual: format!("{got}{STAMP_START}{at}{STAMP_END}"),
                why: Some(format!("the line arrived at {at}: {why}")),
            });
        }
    }
    if let Some(extra) = actual.get(expected.lines.len()) {
        let last = expected.lines.last().map_or(1, |l| l.number);
        mismatches.push(Mismatch {
            line: last + 1,
            expected: "(end of output)".to_string(),
            actual: extra.to_string(),
            why: Some(format!(
                "{} more line(s) than expected",
                actual.len() - expected.lines.len()
            )),
        });
    }
    mismatches
}

/// Checks how a program ended against the `{{error: ...}}` line (or its
/// absence): a program with one must fail and end its standard error with
/// that text; one without must succeed. `None` when it is as expected.
pub fn check_exit(
    expected: &Expected,
    success: bool,
    stderr: &str,
) -> Option<Mismatch> {
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    let last = last.unwrap_or("(no standard error)").trim_end();
    match (&expected.error, success) {
        (None, true) => None,
        (None, false) => Some(Mismatch {
            line: expected.lines.len() + 2,
            expected: "(a successful exit)".to_string(),
            actual: last.to_string(),
            why: Some("the program failed".to_string()),
        }),
        (Some(error), false) if last == error.text => None,
        (Some(error), success) => Some(Mismatch {
            line: error.number,
            expected: format!("{{{{error: {}}}}}", error.text),
            actual: if success {
                "(a successful exit)".to_string()
            } else {
                last.to_string()
            },
            why: Some(if success {
                "the program was expected to fail, but it exited with 0"
                    .to_string()
            } else {
                "the last line of standard error differs".to_string()
            }),
        }),
    }
}

/// Replaces every `{{recorded | min..max}}` in a chapter with `recorded`,
/// and every `{{error: TEXT}}` with `TEXT`. Text that is neither is left as
/// it is.
pub fn strip_bands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        if let Some(end) = after.find("}}")
            && let Some(error) = error_line(&after[..end + 2])
            && !error.contains('\n')
        {
            out.push_str(error);
            rest = &after[end + 2..];
            continue;
        }
        let band = after
            .find("}}")
            .and_then(|end| Some((parse_band(&after[2..end]).ok()?, end)));
        match band {
            Some((band, end)) => {
                out.push_str(&band.recorded.text);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;

/// Rewrites an expected-output file from a real run: the same text and
/// bands, with the values and arrival times this run measured as the new
/// recorded ones, and `header` as the `⟨recorded …⟩` line of a timed file,
/// followed by the digest of this run ([`run_digest`], [`RUN_DIGEST`]).
/// A run that does not pass [`check_timed`] is refused with its mismatches:
/// recording never widens a band or changes the text.
pub fn rerecord(
    expected: &Expected,
    actual: &[(Duration, String)],
    header: &str,
) -> Result<String, Vec<Mismatch>> {
    let mismatches = check_timed(expected, actual);
    if !mismatches.is_empty() {
        return Err(mismatches);
    }
    let mut lines = Vec::new();
    for (line, (at, got)) in expected.lines.iter().zip(actual) {
        let measured = match_line(line, got).unwrap_or_default();
        let mut measured = measured.into_iter();
        let mut new = line.clone();
        for part in &mut new.parts {
            if let Part::Measured(band) = part
                && let Some(q) = measured.next()
            {
                band.recorded = q;
            }
        }
        if let Some(band) = &mut new.arrival {
            band.recorded = arrival_quantity(*at);
        }
        lines.push(new);
    }
    let mut out = format!("{}\n", expected.command);
    if expected.is_timed() {
        // The digest of what this run measured (see digest.rs); `header`
        // already holds a Python output's first-line time.
        let first = parse_recorded(header).first_line_at;
        let digest = run_digest(&lines, first);
        out.push_str(&format!(
            "{HEADER_START}{header}{RUN_DIGEST}{digest}{STAMP_END}\n"
        ));
    }
    for line in &lines {
        out.push_str(&render_with_bands(line));
        out.push('\n');
    }
    Ok(out)
}
