//! Copies that the book calls unchanged stay unchanged. Each listing is a
//! crate of its own that a reader can copy out alone, so a program that
//! builds on an earlier chapter's code carries a copy of it; the copy is
//! marked with the region it repeats, and this check compares the two line
//! by line.
//!
//! The marker names the original as `path#anchor`: the path from the
//! repository root, and the mdBook anchor (`ANCHOR: anchor` …
//! `ANCHOR_END: anchor`) around the original region. It has two forms:
//!
//! - on an anchor line, where mdBook hides it from every page that
//!   includes the file through an anchor: `// ANCHOR: name SAME-AS:
//!   path#anchor`, the copy running to `// ANCHOR_END: name`. A file a
//!   chapter shows whole (an exercise's starter) is wrapped in an anchor of
//!   its own and included through it, since a whole-file include shows
//!   anchor lines as they are;
//! - on a line of its own, for files no chapter includes: `// SAME-AS:
//!   path#anchor`, the copy running to `// SAME-AS-END`.
//!
//! Lines with `ANCHOR:`, `ANCHOR_END:` or a marker are left out on both
//! sides, as mdBook leaves anchor lines out of what it includes.

use crate::{Result, walk};
use std::fs;
use std::path::Path;

const MARK: &str = "SAME-AS:";
const END: &str = "SAME-AS-END";

/// One marked copy: where it is, what it claims to repeat, and its lines
/// as (1-based line number, text).
#[derive(Debug)]
struct Marked {
    line: usize,
    original: String,
    anchor: String,
    lines: Vec<(usize, String)>,
}

/// Whether a line is left out of what is compared.
fn is_marker(line: &str) -> bool {
    line.contains("ANCHOR:")
        || line.contains("ANCHOR_END:")
        || line.contains(MARK)
        || line.contains(END)
}

/// The anchor name after `tag` on a line, as mdBook reads it.
fn anchor_name<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    let rest = line.split(tag).nth(1)?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The lines of a region, markers left out, from the line after `start`
/// to the first line for which `is_end` holds; `None` if there is none.
fn region(
    lines: &[&str],
    start: usize,
    is_end: impl Fn(&str) -> bool,
) -> Option<Vec<(usize, String)>> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if is_end(line) {
            return Some(found);
        }
        if !is_marker(line) {
            found.push((i + 1, line.trim_end().to_string()));
        }
    }
    None
}

/// The marked copies in one file's text.
fn copies(text: &str) -> std::result::Result<Vec<Marked>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(spec) = line.split(MARK).nth(1) else {
            continue;
        };
        let n = i + 1;
        let spec = spec.split_whitespace().next().unwrap_or_default();
        let Some((original, anchor)) = spec.split_once('#') else {
            return Err(format!(
                "line {n}: `{MARK}` wants `path#anchor`, not `{spec}`"
            ));
        };
        let body = match anchor_name(line, "ANCHOR:") {
            Some(name) => region(&lines, i, |l| {
                anchor_name(l, "ANCHOR_END:") == Some(name)
            })
            .ok_or_else(|| {
                format!("line {n}: no `ANCHOR_END: {name}` after it")
            })?,
            None => {
                let body = region(&lines, i, |l| l.contains(END))
                    .ok_or_else(|| format!("line {n}: no `{END}` after it"))?;
                let nested = lines[i + 1..]
                    .iter()
                    .take_while(|l| !l.contains(END))
                    .any(|l| l.contains(MARK) && !l.contains("ANCHOR:"));
                if nested {
                    return Err(format!(
                        "line {n}: another `{MARK}` line before its `{END}`"
                    ));
                }
                body
            }
        };
        if body.is_empty() {
            return Err(format!("line {n}: the marked region is empty"));
        }
        found.push(Marked {
            line: n,
            original: original.to_string(),
            anchor: anchor.to_string(),
            lines: body,
        });
    }
    Ok(found)
}

/// The original region `anchor` of a file's text.
fn original(text: &str, anchor: &str) -> Option<Vec<(usize, String)>> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| anchor_name(l, "ANCHOR:") == Some(anchor))?;
    region(&lines, start, |l| {
        anchor_name(l, "ANCHOR_END:") == Some(anchor)
    })
}

/// The first line where a copy and its original differ, as a message;
/// `None` when they are the same.
fn difference(
    copy: &[(usize, String)],
    copy_file: &str,
    original: &[(usize, String)],
    original_file: &str,
) -> Option<String> {
    let show = |side: Option<&(usize, String)>, file: &str| match side {
        Some((n, line)) => format!("{file}:{n}: `{}`", line.trim()),
        None => format!("{file}: (the region ends here)"),
    };
    let at = (0..copy.len().max(original.len())).find(|&i| {
        copy.get(i).map(|l| &l.1) != original.get(i).map(|l| &l.1)
    })?;
    Some(format!(
        "{}\n  {}",
        show(copy.get(at), copy_file),
        show(original.get(at), original_file)
    ))
}

/// The problems of every marked copy under `listings/`.
fn problems(root: &Path) -> (usize, Vec<String>) {
    let shown =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let listings = root.join("listings");
    let mut files = walk::files_with_extension(&listings, "rs");
    files.extend(walk::files_with_extension(&listings, "py"));
    files.retain(|f| !f.components().any(|c| c.as_os_str() == "target"));
    let mut problems = Vec::new();
    let mut count = 0;
    for file in &files {
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        let name = shown(file);
        let found = match copies(&text) {
            Ok(found) => found,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        for copy in found {
            count += 1;
            let at = format!("{name}:{}", copy.line);
            let claimed = format!("{}#{}", copy.original, copy.anchor);
            let Ok(text) = fs::read_to_string(root.join(&copy.original)) else {
                problems.push(format!(
                    "{at}: marked as a copy of {claimed}, but {} does not \
                     exist",
                    copy.original
                ));
                continue;
            };
            let Some(lines) = original(&text, &copy.anchor) else {
                problems.push(format!(
                    "{at}: marked as a copy of {claimed}, but {} has no \
                     `ANCHOR: {}` … `ANCHOR_END: {}` pair",
                    copy.original, copy.anchor, copy.anchor
                ));
                continue;
            };
            if let Some(diff) =
                difference(&copy.lines, &name, &lines, &copy.original)
            {
                problems.push(format!(
                    "{at}: not the same as {claimed}, which it is marked as \
                     a copy of (change both, or neither); first difference:\
                     \n  {diff}"
                ));
            }
        }
    }
    (count, problems)
}

/// Every marked copy is the same as its original; the error lists every
/// one that is not.
pub fn check(root: &Path) -> Result {
    let (count, problems) = problems(root);
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    if count == 0 {
        return Err(format!(
            "no `{MARK}` marker under listings/: the book's copies are no \
             longer marked"
        )
        .into());
    }
    println!("copies marked SAME-AS: {count}, each the same as its original");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = "fn a() {}\n// ANCHOR: two\nfn b() {}\n\
                            // ANCHOR: inner\nfn c() {}\n\
                            // ANCHOR_END: inner\n// ANCHOR_END: two\n";

    fn compare(copy_text: &str) -> Option<String> {
        let copy = copies(copy_text).unwrap().pop().unwrap();
        let original = original(ORIGINAL, &copy.anchor).unwrap();
        difference(&copy.lines, "copy.rs", &original, "orig.rs")
    }

    #[test]
    fn an_anchor_line_marks_a_copy_up_to_its_end() {
        let text = "x\n// ANCHOR: mine SAME-AS: orig.rs#two\nfn b() {}\n\
                    fn c() {}\n// ANCHOR_END: mine\ny\n";
        let found = copies(text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].anchor.as_str()), (2, "two"));
        assert_eq!(found[0].original, "orig.rs");
        assert_eq!(compare(text), None);
    }

    #[test]
    fn a_line_of_its_own_marks_a_copy_up_to_the_end_marker() {
        let text = "// SAME-AS: orig.rs#two\nfn b() {}\nfn c() {}\n\
                    // SAME-AS-END\n";
        assert_eq!(compare(text), None);
    }

    #[test]
    fn the_first_differing_line_is_named_on_both_sides() {
        let text = "\n// SAME-AS: orig.rs#two\nfn b() {}\nfn d() {}\n\
                    // SAME-AS-END\n";
        assert_eq!(
            compare(text).unwrap(),
            "copy.rs:4: `fn d() {}`\n  orig.rs:5: `fn c() {}`"
        );
        let short = "// SAME-AS: orig.rs#two\nfn b() {}\n// SAME-AS-END\n";
        assert!(compare(short).unwrap().contains("orig.rs:5: `fn c() {}`"));
    }

    #[test]
    fn broken_markers_are_errors() {
        assert!(copies("// SAME-AS: orig.rs\nx\n// SAME-AS-END\n").is_err());
        assert!(copies("// SAME-AS: orig.rs#two\nx\n").is_err());
        assert!(copies("// ANCHOR: a SAME-AS: o.rs#two\nx\n").is_err());
        assert!(copies("// SAME-AS: o.rs#two\n// SAME-AS-END\n").is_err());
        let nested = "// SAME-AS: o.rs#a\n// SAME-AS: o.rs#b\nx\n\
                      // SAME-AS-END\n";
        assert!(copies(nested).is_err());
        assert_eq!(original(ORIGINAL, "nope"), None);
    }
}
