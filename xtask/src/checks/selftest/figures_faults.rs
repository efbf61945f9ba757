//! Self-test faults for what the book shows of its own text: inline code
//! the preprocessor must leave alone, and measured figures the prose must
//! cite only through the generated file.

use super::{Fault, append, edit, messages, replace_once};
use crate::checks::{figures, inline_code};
use crate::site::book;
use std::fs;

const CH03_PAGE: &str = "src/ch03-send.md";
const CH12_PAGE: &str = "src/ch12-conclusion.md";
const CHAPTER_RS: &str = "tools/expected-output/src/chapter.rs";
const CH12_FIGURES: &str = "src/generated/ch12-figures.md";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a preprocessor that rewrites the chapter's own inline code",
            apply: |root| {
                append(root, CH03_PAGE, "写成 `{{1.002s | 1s..2s}}`。")?;
                // The old behaviour: bands stripped from the whole chapter.
                edit(root, CHAPTER_RS, |t| {
                    replace_once(
                        t,
                        "    Ok(out)\n}",
                        "    Ok(strip_bands(&out))\n}",
                    )
                })
            },
            check: |root| {
                let mut failures = messages(book::build(root));
                failures.extend(messages(inline_code::check(root)));
                failures
            },
            names: &[CH03_PAGE, "not shown as written"],
        },
        Fault {
            what: "a measured figure written as literal text in ch12",
            apply: |root| append(root, CH12_PAGE, "一次任务切换约 139 ns。"),
            check: |root| messages(figures::check(root)),
            names: &[CH12_PAGE, "literal text"],
        },
        Fault {
            what: "a measured figure copied into another chapter",
            apply: |root| {
                // The figure the bench offers as `task_switch`, whatever
                // the last run measured.
                let text = fs::read_to_string(root.join(CH12_FIGURES))?;
                let figure = anchored(&text, "task_switch")
                    .ok_or("no task_switch anchor in the figures")?;
                append(root, CH03_PAGE, &format!("任务切换只要 {figure}。"))
            },
            check: |root| messages(figures::check(root)),
            names: &[CH03_PAGE, "measured figure"],
        },
    ]
}

/// The one-line body of an anchor in a generated figures file.
fn anchored(text: &str, anchor: &str) -> Option<String> {
    let open = format!("<!-- ANCHOR: {anchor} -->\n");
    let start = text.find(&open)? + open.len();
    Some(text[start..].lines().next()?.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn anchored_reads_one_line() {
        let text = "<!-- ANCHOR: a -->\n84ns\n<!-- ANCHOR_END: a -->\n";
        assert_eq!(super::anchored(text, "a").as_deref(), Some("84ns"));
    }
}
