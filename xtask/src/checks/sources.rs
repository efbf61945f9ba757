//! Checks of the book's Markdown sources that mdBook itself does not make:
//! every `{{#include}}` target and anchor exists (mdBook silently includes
//! nothing for a missing anchor), and every chapter file is reachable from
//! SUMMARY.md (mdBook silently ignores a file that is not listed).

use crate::{Result, walk};
use expected_output::markdown::{self, Markdown};
use std::fs;
use std::path::{Path, PathBuf};

/// One `{{#include path[:anchor]}}` or `{{#rustdoc_include ...}}`.
struct Include {
    line: usize,
    target: PathBuf,
    anchor: Option<String>,
}

/// The includes in a Markdown text, with targets resolved against `dir`.
fn includes(text: &str, dir: &Path) -> Vec<Include> {
    Markdown::parse(text)
        .live_directives()
        .filter(|d| matches!(d.kind.as_str(), "include" | "rustdoc_include"))
        .filter_map(|d| {
            Some(Include {
                line: d.line,
                target: dir.join(d.path()?),
                anchor: d.anchor().map(str::to_string),
            })
        })
        .collect()
}

/// Whether a file has both `ANCHOR: name` and `ANCHOR_END: name`.
fn has_anchor(text: &str, name: &str) -> bool {
    let marks = |tag: &str| {
        text.lines().any(|line| {
            line.split(tag).nth(1).is_some_and(|rest| {
                rest.split_whitespace().next() == Some(name)
            })
        })
    };
    marks("ANCHOR:") && marks("ANCHOR_END:")
}

/// Runs both checks over `root/src`; the error lists every problem.
pub fn check(root: &Path) -> Result {
    let src = root.join("src");
    let shown =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut problems = Vec::new();
    let mut included: Vec<PathBuf> = Vec::new();
    let files = walk::files_with_extension(&src, "md");
    for file in &files {
        let text = fs::read_to_string(file)?;
        let dir = file.parent().unwrap();
        for inc in includes(&text, dir) {
            let at = format!("{}:{}", shown(file), inc.line);
            let Ok(target) = fs::read_to_string(&inc.target) else {
                problems.push(format!(
                    "{at}: includes {}, which does not exist",
                    shown(&inc.target)
                ));
                continue;
            };
            if let Some(anchor) = &inc.anchor
                && !has_anchor(&target, anchor)
            {
                problems.push(format!(
                    "{at}: {} has no `ANCHOR: {anchor}` … \
                     `ANCHOR_END: {anchor}` pair",
                    shown(&inc.target)
                ));
            }
            if let Ok(target) = inc.target.canonicalize() {
                included.push(target);
            }
        }
    }
    let summary = fs::read_to_string(src.join("SUMMARY.md"))
        .map_err(|e| format!("src/SUMMARY.md: {e}"))?;
    let links = markdown::summary(&summary);
    let listed: Vec<&str> = links.iter().map(|l| l.path.as_str()).collect();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let is_included = file
            .canonicalize()
            .is_ok_and(|canonical| included.contains(&canonical));
        if rel != "SUMMARY.md"
            && !listed.contains(&rel.as_str())
            && !is_included
        {
            problems.push(format!(
                "{}: not in src/SUMMARY.md and not included by any chapter, \
                 so readers never see it",
                shown(file)
            ));
        }
    }
    for link in links.iter().filter(|l| !l.path.is_empty()) {
        if !src.join(&link.path).is_file() {
            problems.push(format!(
                "src/SUMMARY.md:{}: {} does not exist",
                link.line, link.path
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

    #[test]
    fn includes_are_parsed_with_anchors_but_not_line_ranges() {
        let text = "a {{#include ../x.rs:main}}\n\
                    {{#rustdoc_include y.rs}} {{#include z.txt:2:5}}\n\
                    {{#title t}}";
        let found = includes(text, Path::new("src"));
        let shown: Vec<_> = found
            .iter()
            .map(|i| (i.line, i.target.display().to_string(), i.anchor.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                (1, "src/../x.rs".into(), Some("main".into())),
                (2, "src/y.rs".into(), None),
                (2, "src/z.txt".into(), None),
            ]
        );
    }

    #[test]
    fn anchors_need_both_ends_and_the_exact_name() {
        let text = "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n";
        assert!(has_anchor(text, "main"));
        assert!(!has_anchor(text, "mai"));
        assert!(!has_anchor("// ANCHOR: main\n", "main"));
    }
}
