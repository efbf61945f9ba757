//! Measured figures in the prose cannot drift from the measurements: a
//! chapter cites what a bench measured (`cargo xtask bench` writes
//! src/generated/ch12-figures.md) only through an `{{#include}}` of the
//! generated file, never as literal text. Two rules, on the prose as
//! `expected_output::markdown` reads it (code blocks, inline code, HTML
//! tags and comments, link targets and `{{#…}}` directives are not prose):
//!
//! 1. In every chapter, a quantity (a number with a unit of time, of
//!    memory, or 倍) that equals a figure a generated figures file offers
//!    the prose (its one-line anchors) is refused: it was copied from the
//!    measurements.
//! 2. In a chapter that includes a generated figures file (a bench
//!    chapter), every quantity is refused, in digits (`30 µs`, `600 字节`)
//!    or in Chinese numerals (`一百纳秒`, `十倍`), unless
//!    xtask/src/checks/fixed-figures.txt lists it for that chapter with the
//!    reason it is not a measurement (a default, a limit, a constant).
//!    Vague words (`几十到几百倍`, `一个数量级`) are not quantities.
//!
//! An exemption that no longer matches anything is an error too.

use crate::{Result, walk};
use expected_output::markdown::Markdown;
use std::fs;
use std::path::Path;

const EXEMPTIONS: &str = "xtask/src/checks/fixed-figures.txt";

/// Units after a number in digits, longest first; ASCII ones must not be
/// followed by a letter (`5 s`, not `5 seconds`).
const UNITS: &[&str] = &[
    "KiB", "MiB", "GiB", "KB", "MB", "GB", "ns", "µs", "μs", "us", "ms", "s",
    "B", "纳秒", "微秒", "毫秒", "秒", "字节", "倍", "×",
];
/// Units after a number in Chinese numerals.
const CHINESE_UNITS: &[&str] = &["纳秒", "微秒", "毫秒", "秒", "字节", "倍"];
const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九十百千万";

/// A quantity found in a line of prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// As written, e.g. `30 µs`.
    pub text: String,
    /// In base units (seconds, bytes, times), when written in digits.
    pub value: Option<f64>,
}

fn base(unit: &str) -> f64 {
    match unit {
        "ns" | "纳秒" => 1e-9,
        "µs" | "μs" | "us" | "微秒" => 1e-6,
        "ms" | "毫秒" => 1e-3,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => 1.0,
    }
}

/// Whether a unit measures time, memory or a ratio (for comparing).
fn dimension(unit: &str) -> u8 {
    match unit {
        "ns" | "µs" | "μs" | "us" | "ms" | "s" | "纳秒" | "微秒" | "毫秒"
        | "秒" => 0,
        "倍" | "×" => 2,
        _ => 1,
    }
}

/// The quantities in a line of prose, with their dimension.
pub fn quantities(line: &str) -> Vec<(Quantity, u8)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j].1);
        let glued = before.is_some_and(|b| {
            b.is_ascii_alphanumeric() || b == '_' || b == '.' || b == '-'
        });
        if c.is_ascii_digit() && !glued {
            // Digits, with `,` or a space between groups of three, and
            // an optional decimal part.
            let mut j = i;
            let mut number = String::new();
            while j < chars.len() {
                let ch = chars[j].1;
                let group_sep = (ch == ',' || ch == ' ')
                    && chars.get(j + 1..j + 4).is_some_and(|g| {
                        g.iter().all(|(_, d)| d.is_ascii_digit())
                    })
                    && chars
                        .get(j + 4)
                        .is_none_or(|(_, d)| !d.is_ascii_digit());
                if ch.is_ascii_digit() || ch == '.' && !number.is_empty() {
                    number.push(ch);
                } else if !group_sep {
                    break;
                }
                j += 1;
            }
            let number = number.trim_end_matches('.');
            let mut k = j;
            while chars.get(k).is_some_and(|(_, c)| *c == ' ') {
                k += 1;
            }
            let rest = chars.get(k).map_or("", |(at, _)| &line[*at..]);
            let unit = UNITS.iter().find(|u| {
                rest.starts_with(**u)
                    && !(u.is_ascii()
                        && rest[u.len()..]
                            .chars()
                            .next()
                            .is_some_and(|n| n.is_ascii_alphanumeric()))
            });
            if let (Some(unit), Ok(n)) = (unit, number.parse::<f64>()) {
                let end = chars[k].0 + unit.len();
                found.push((
                    Quantity {
                        text: line[start..end].to_string(),
                        value: Some(n * base(unit)),
                    },
                    dimension(unit),
                ));
                i = line[..end].chars().count();
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        if CHINESE_DIGITS.contains(c) {
            let mut j = i;
            while j < chars.len() && CHINESE_DIGITS.contains(chars[j].1) {
                j += 1;
            }
            let rest = chars.get(j).map_or("", |(at, _)| &line[*at..]);
            // 第十章, 十几倍 and 几百倍 are not quantities; 十倍 is.
            let ordinal = matches!(before, Some('第' | '几' | '数' | '多'));
            if let Some(unit) =
                CHINESE_UNITS.iter().find(|u| rest.starts_with(**u))
                && !ordinal
            {
                let end = chars[j].0 + unit.len();
                found.push((
                    Quantity {
                        text: line[start..end].to_string(),
                        value: None,
                    },
                    dimension(unit),
                ));
            }
            i = j;
            continue;
        }
        i += 1;
    }
    found
}

/// The figures the generated files offer the prose: each anchor whose
/// body is one line (`<!-- ANCHOR: task_switch -->`, `139ns`, …), as
/// (text, dimension, value in base units).
fn generated_figures(root: &Path) -> Result<Vec<(String, u8, f64)>> {
    let mut figures = Vec::new();
    for file in walk::files_with_extension(&root.join("src/generated"), "md") {
        if !file.to_string_lossy().ends_with("-figures.md") {
            continue;
        }
        let text = fs::read_to_string(&file)?;
        let lines: Vec<&str> = text.lines().collect();
        for window in lines.windows(3) {
            let [open, body, close] = window else {
                continue;
            };
            if !(open.contains("ANCHOR:") && close.contains("ANCHOR_END:")) {
                continue;
            }
            for (q, dim) in quantities(body) {
                if let Some(v) = q.value {
                    figures.push((q.text, dim, v));
                }
            }
        }
    }
    Ok(figures)
}

/// The exemptions: (chapter, quantity as written).
fn exemptions(root: &Path) -> Result<Vec<(usize, String, String)>> {
    let text = fs::read_to_string(root.join(EXEMPTIONS))?;
    let mut list = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split(" | ").collect();
        match parts[..] {
            [file, quantity, reason] if !reason.trim().is_empty() => {
                list.push((index + 1, file.into(), quantity.into()))
            }
            _ => {
                return Err(format!(
                    "{EXEMPTIONS}:{}: expected `src/FILE.md | QUANTITY | \
                     why it is not a measurement`",
                    index + 1
                )
                .into());
            }
        }
    }
    Ok(list)
}

/// `cargo xtask test`'s check of every chapter in src/.
pub fn check(root: &Path) -> Result {
    let figures = generated_figures(root)?;
    let exempt = exemptions(root)?;
    let mut used = vec![false; exempt.len()];
    let mut problems = Vec::new();
    for path in walk::files_with_extension(&root.join("src"), "md") {
        let rel = path.strip_prefix(root)?.to_string_lossy().into_owned();
        if rel.starts_with("src/generated/") {
            continue;
        }
        let text = fs::read_to_string(&path)?;
        let markdown = Markdown::parse(&text);
        let bench_chapter = markdown
            .live_directives()
            .any(|d| d.path().is_some_and(|p| p.ends_with("-figures.md")));
        for (line, prose) in markdown.prose_lines() {
            for (q, dim) in quantities(&prose) {
                let copied = q.value.and_then(|v| {
                    figures.iter().find(|(_, d, f)| {
                        *d == dim && (v - f).abs() <= f.abs() * 0.005
                    })
                });
                if let Some(i) = exempt
                    .iter()
                    .position(|(_, f, t)| *f == rel && *t == q.text)
                {
                    used[i] = true;
                    continue;
                }
                if let Some((figure, _, _)) = copied {
                    problems.push(format!(
                        "{rel}:{line}: `{}` is the measured figure {figure} \
                         written as literal text; include it from the \
                         generated file instead (CONTRIBUTING.md, 实测数字)",
                        q.text
                    ));
                } else if bench_chapter {
                    problems.push(format!(
                        "{rel}:{line}: `{}` is a quantity written as literal \
                         text in a chapter that cites measurements; include \
                         it from the generated file, or list it in \
                         {EXEMPTIONS} with why it is not a measurement",
                        q.text
                    ));
                }
            }
        }
    }
    for ((line, file, quantity), used) in exempt.iter().zip(used) {
        if !used {
            problems.push(format!(
                "{EXEMPTIONS}:{line}: `{quantity}` no longer appears in the \
                 prose of {file}; remove the exemption"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        quantities(line).into_iter().map(|(q, _)| q.text).collect()
    }

    #[test]
    fn quantities_in_digits_and_in_chinese_numerals() {
        assert_eq!(
            texts("量到过 5.6 µs，也量到过 30µs，约 600 字节，贵十倍"),
            ["5.6 µs", "30µs", "600 字节", "十倍"]
        );
        assert_eq!(
            texts("一百纳秒上下，从 6 MB 涨到 136 MB"),
            ["一百纳秒", "6 MB", "136 MB"]
        );
        assert_eq!(texts("100 000 个任务用了 56.6MiB"), ["56.6MiB"]);
        // Not quantities: counts, versions, identifiers, vague words,
        // ordinals.
        let none: Vec<String> = Vec::new();
        assert_eq!(
            texts(
                "第 12 章，Python 3.11，x86_64，u8，几十到几百倍，第十秒，\
                 10 seconds，8191 个线程"
            ),
            none
        );
        let (q, dim) = &quantities("1.19ms")[0];
        assert_eq!((q.value.unwrap() * 1e5).round(), 119.0);
        assert_eq!(*dim, 0);
    }

    #[test]
    fn code_comments_links_and_directives_are_not_prose() {
        let md = "a `30 µs` b [x](ch12.md#5-s) {{#include f.md:x}} c\n\
                  <!-- 7 ms\n 8 ms -->d 9 ms\n```\n10 ms\n```\n";
        let lines = Markdown::parse(md).prose_lines();
        let found: Vec<String> =
            lines.iter().flat_map(|(_, l)| texts(l)).collect();
        assert_eq!(found, ["9 ms"]);
    }
}
