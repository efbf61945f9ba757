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
//! Values carry a unit: `ns`, `µs` (or `us`), `ms`, `s` for time (the units
//! of `Duration`'s `Debug` output, so `{:.3?}` prints them), `B`, `KiB`,
//! `MiB`, `GiB` for memory, `x` for a ratio. A band's ends must be of the
//! same kind as the value.

pub mod diagrams;

use std::fmt;

/// A parsed expected-output file.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The program's arguments (what follows `--` on the command line).
    pub args: Vec<String>,
    /// The binary named by `--bin` on the command line.
    pub bin: String,
    /// One entry per line of standard output, with its line number in the file.
    pub lines: Vec<Line>,
}

/// One expected line of output.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the expected-output file.
    pub number: usize,
    pub parts: Vec<Part>,
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

/// Reads a quantity at the start of `s`; returns it and the rest of `s`.
pub fn parse_quantity(s: &str) -> Option<(Quantity, &str)> {
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
             (ns, µs, us, ms, s, B, KiB, MiB, GiB, x)"
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

/// Splits one expected line into text and measured values.
pub fn parse_line(number: usize, text: &str) -> Result<Line, String> {
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
    Ok(Line { number, parts })
}

/// An error in an expected-output file, with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    pub line: usize,
    pub message: String,
}

/// Parses a whole expected-output file.
pub fn parse(text: &str) -> Result<Expected, FormatError> {
    let mut lines = text.lines();
    let command = lines.next().unwrap_or("");
    let (bin, args) = parse_command(command)
        .map_err(|message| FormatError { line: 1, message })?;
    let lines = lines
        .enumerate()
        .map(|(i, line)| {
            parse_line(i + 2, line).map_err(|message| FormatError {
                line: i + 2,
                message,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Expected { args, bin, lines })
}

/// `$ cargo run [--release] --bin NAME [-- ARGS...]`
fn parse_command(line: &str) -> Result<(String, Vec<String>), String> {
    let usage = "the first line must be the command, \
                 `$ cargo run --bin NAME [-- ARGS...]`";
    let words: Vec<&str> = line.split_whitespace().collect();
    let (cargo, args) = match words.iter().position(|w| *w == "--") {
        Some(i) => (&words[..i], &words[i + 1..]),
        None => (&words[..], &[][..]),
    };
    let bin = match cargo {
        ["$", "cargo", "run", "--bin", bin] => bin,
        _ => return Err(usage.to_string()),
    };
    Ok((
        bin.to_string(),
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

/// Renders an expected line with its bands, as written in the file.
fn render_with_bands(line: &Line) -> String {
    line.parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.clone(),
            Part::Measured(b) => {
                format!("{{{{{} | {}..{}}}}}", b.recorded, b.min, b.max)
            }
        })
        .collect()
}

/// Matches one actual line against an expected one.
fn match_line(expected: &Line, actual: &str) -> Result<(), Option<String>> {
    let mut rest = actual;
    for part in &expected.parts {
        match part {
            Part::Text(text) => {
                rest = rest.strip_prefix(text.as_str()).ok_or(None)?;
            }
            Part::Measured(band) => {
                let (measured, after) = parse_quantity(rest).ok_or(None)?;
                band.admits(&measured).map_err(Some)?;
                rest = after;
            }
        }
    }
    if rest.is_empty() { Ok(()) } else { Err(None) }
}

/// Compares a program's standard output with the expected lines.
pub fn check(expected: &Expected, stdout: &str) -> Vec<Mismatch> {
    let actual: Vec<&str> = stdout.lines().collect();
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
        }
    }
    if let Some(extra) = actual.get(expected.lines.len()) {
        mismatches.push(Mismatch {
            line: expected.lines.len() + 2,
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

/// Replaces every `{{recorded | min..max}}` in a chapter with `recorded`.
/// Text that is not a well-formed band is left as it is.
pub fn strip_bands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
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
