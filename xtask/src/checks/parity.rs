//! Rust/Python parity: where a chapter says that a Rust listing prints what
//! a Python program prints, the pair is declared in `listings/parity.txt`
//! and the two runs' actual outputs are compared line by line. Measured
//! values are masked first (each was already checked against the band of
//! its own expected file), so `5.002s` and `0:00:05.010265` compare equal;
//! everything else must be the same text.

use super::running::Outputs;
use crate::Result;
use crate::report::Report;
use std::fs;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

pub const PARITY_FILE: &str = "listings/parity.txt";

/// One declared pair.
struct Pair {
    /// Line in the parity file.
    line: usize,
    /// `chNN/python/<name>.py`
    python: String,
    /// `chNN/<name>`
    rust: String,
    /// The output lines compared on each side (all when `None`).
    python_lines: Option<RangeInclusive<usize>>,
    rust_lines: Option<RangeInclusive<usize>>,
}

fn parse(text: &str) -> std::result::Result<Vec<Pair>, String> {
    let mut pairs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let at = format!("{PARITY_FILE}:{}", i + 1);
        let usage = format!(
            "{at}: expected `chNN/python/<name>.py = chNN/<name> \
             [python A-B] [rust A-B]`, found `{line}`"
        );
        let (python, rest) = line.split_once('=').ok_or(&usage)?;
        let mut words = rest.split_whitespace();
        let rust = words.next().ok_or(&usage)?;
        let mut pair = Pair {
            line: i + 1,
            python: python.trim().to_string(),
            rust: rust.to_string(),
            python_lines: None,
            rust_lines: None,
        };
        while let Some(side) = words.next() {
            let range = words.next().and_then(parse_range).ok_or(&usage)?;
            match side {
                "python" => pair.python_lines = Some(range),
                "rust" => pair.rust_lines = Some(range),
                _ => return Err(usage),
            }
        }
        let python_ok = pair.python.split('/').nth(1) == Some("python")
            && pair.python.ends_with(".py");
        if !python_ok || pair.rust.split('/').count() != 2 {
            return Err(usage);
        }
        pairs.push(pair);
    }
    Ok(pairs)
}

fn parse_range(s: &str) -> Option<RangeInclusive<usize>> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.parse().ok()?, b.parse().ok()?);
    (a >= 1 && a <= b).then_some(a..=b)
}

fn chapter(id: &str) -> &str {
    id.split('/').next().unwrap_or("")
}

/// Where a program and its expected output live, from its id.
fn files(root: &Path, id: &str, python: bool) -> (PathBuf, PathBuf) {
    let listings = root.join("listings");
    let (ch, name) = id.split_once('/').unwrap_or((id, ""));
    if python {
        let name = name.trim_start_matches("python/").trim_end_matches(".py");
        let dir = listings.join(ch).join("python");
        (
            dir.join(format!("{name}.py")),
            dir.join("output").join(format!("{name}.txt")),
        )
    } else {
        let dir = listings.join(ch);
        (
            dir.join("src/bin").join(format!("{name}.rs")),
            dir.join("output").join(format!("{name}.txt")),
        )
    }
}

/// `only` plus the chapters on the other side of every pair that touches
/// one of them, so that `cargo xtask listings ch18` also runs the ch10
/// program that ch18's listing is compared with. Empty stays empty (all).
pub fn with_partners(root: &Path, only: &[String]) -> Vec<String> {
    let mut chapters = only.to_vec();
    if only.is_empty() {
        return chapters;
    }
    let text = fs::read_to_string(root.join(PARITY_FILE)).unwrap_or_default();
    for pair in parse(&text).unwrap_or_default() {
        let (a, b) = (chapter(&pair.python), chapter(&pair.rust));
        for (this, other) in [(a, b), (b, a)] {
            if only.iter().any(|c| c == this)
                && !chapters.iter().any(|c| c == other)
            {
                println!(
                    "(also running {other}: {PARITY_FILE}:{} pairs it with {this})",
                    pair.line
                );
                chapters.push(other.to_string());
            }
        }
    }
    chapters
}

/// Compares every declared pair whose chapter is in `only` (all when empty);
/// one check per pair.
pub fn check(
    root: &Path,
    rust: &Outputs,
    python: &Outputs,
    only: &[String],
) -> Report {
    let mut report = Report::default();
    let text = match fs::read_to_string(root.join(PARITY_FILE)) {
        Ok(text) => text,
        Err(e) => {
            report.record("parity", Err(format!("{PARITY_FILE}: {e}").into()));
            return report;
        }
    };
    let pairs = match parse(&text) {
        Ok(pairs) => pairs,
        Err(e) => {
            report.record("parity", Err(e.into()));
            return report;
        }
    };
    for pair in pairs {
        let wanted =
            |id: &str| only.is_empty() || only.iter().any(|c| c == chapter(id));
        if !wanted(&pair.python) && !wanted(&pair.rust) {
            continue;
        }
        let name = format!("parity {} = {}", pair.python, pair.rust);
        report.record(&name, compare(root, &pair, rust, python));
    }
    report
}

/// One side of a pair: its files, its masked output lines, the range.
struct Side {
    source: String,
    lines: Vec<String>,
    first: usize,
}

fn side(
    root: &Path,
    pair: &Pair,
    id: &str,
    outputs: &Outputs,
    python: bool,
) -> Result<Side> {
    let (source, expected) = files(root, id, python);
    let shown =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let at = format!("{PARITY_FILE}:{}", pair.line);
    if !source.is_file() {
        return Err(format!("{at}: {} does not exist", shown(&source)).into());
    }
    let Some(stdout) = outputs.get(id) else {
        return Err(format!(
            "{at}: not compared: {} did not pass its own check (see above)",
            shown(&source)
        )
        .into());
    };
    let text = fs::read_to_string(&expected)
        .map_err(|e| format!("{}: {e}", shown(&expected)))?;
    let parsed = expected_output::parse(&text).map_err(|e| {
        format!("{}:{}: {}", shown(&expected), e.line, e.message)
    })?;
    let all = expected_output::mask_measured(&parsed, stdout);
    let range = if python {
        &pair.python_lines
    } else {
        &pair.rust_lines
    };
    let (first, lines) = match range {
        None => (1, all),
        Some(r) => {
            if *r.end() > all.len() {
                return Err(format!(
                    "{at}: {} printed {} line(s), fewer than the {}-{} to \
                     compare",
                    shown(&source),
                    all.len(),
                    r.start(),
                    r.end()
                )
                .into());
            }
            (*r.start(), all[r.start() - 1..*r.end()].to_vec())
        }
    };
    Ok(Side {
        source: shown(&source),
        lines,
        first,
    })
}

fn compare(
    root: &Path,
    pair: &Pair,
    rust: &Outputs,
    python: &Outputs,
) -> Result {
    let py = side(root, pair, &pair.python, python, true)?;
    let rs = side(root, pair, &pair.rust, rust, false)?;
    let at = format!("{PARITY_FILE}:{}", pair.line);
    let n = py.lines.len().max(rs.lines.len());
    for i in 0..n {
        let a = py.lines.get(i).map_or("(no more output)", String::as_str);
        let b = rs.lines.get(i).map_or("(no more output)", String::as_str);
        if a != b {
            return Err(format!(
                "{at}: {} and {} print different lines:\n  \
                 {}: output line {}: {a}\n  {}: output line {}: {b}",
                py.source,
                rs.source,
                py.source,
                py.first + i,
                rs.source,
                rs.first + i,
            )
            .into());
        }
    }
    println!("    {} = {}: {n} line(s) the same", pair.python, pair.rust);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_with_optional_ranges() {
        let pairs = parse(
            "# c\nch05/python/e.py = ch05/e rust 1-8\n\nch03/python/j.py=ch03/j\n",
        )
        .unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0].line, 2);
        assert_eq!(pairs[0].rust_lines, Some(1..=8));
        assert_eq!(pairs[0].python_lines, None);
        assert_eq!(pairs[1].python, "ch03/python/j.py");
        assert!(parse("ch03/j.py = ch03/j\n").is_err());
        assert!(parse("ch03/python/j.py = ch03/j rust 3-1\n").is_err());
        assert!(parse("ch03/python/j.py = ch03/j left 1-2\n").is_err());
    }
}
