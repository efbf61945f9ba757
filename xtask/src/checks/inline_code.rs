//! What a chapter writes in inline code reaches the reader unchanged: every
//! inline code span of a chapter's Markdown that contains `{{` appears
//! verbatim in the chapter's built HTML. The book's preprocessors rewrite
//! `{{…}}` in included files (expected outputs, `{{#include}}`), so a span
//! that shows that syntax is the first thing a too-eager preprocessor
//! would break (the introduction explains `{{5.002s | 5s..6s}}` that way).

use crate::Result;
use std::fs;
use std::path::Path;

/// The chapters listed in src/SUMMARY.md, as paths relative to src/.
fn chapters(root: &Path) -> Result<Vec<String>> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md"))?;
    Ok(summary
        .match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &summary[i + 2..];
            let target = &rest[..rest.find(')')?];
            target.ends_with(".md").then(|| target.to_string())
        })
        .collect())
}

/// The inline code spans of a Markdown text outside fenced blocks, with
/// their 1-based line, as CommonMark reads them: a run of backticks up to
/// the next run of the same length, one space stripped at each end when
/// both ends have one.
pub fn inline_code_spans(text: &str) -> Vec<(usize, String)> {
    let mut spans = Vec::new();
    let mut fence: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let run: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        if let Some(open) = &fence {
            if run.len() >= open.len()
                && run.starts_with(open.as_str())
                && trimmed[run.len()..].trim().is_empty()
            {
                fence = None;
            }
            continue;
        }
        if run.len() >= 3 && run.chars().all(|c| c == run.as_bytes()[0] as char)
        {
            fence = Some(run);
            continue;
        }
        spans.extend(spans_in_line(line).into_iter().map(|s| (index + 1, s)));
    }
    spans
}

fn spans_in_line(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let open = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let start = i + open;
        let mut j = start;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let run = bytes[j..].iter().take_while(|&&b| b == b'`').count();
                if run == open {
                    close = Some(j);
                    break;
                }
                j += run;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                let mut span = &line[start..end];
                if span.len() >= 2
                    && span.starts_with(' ')
                    && span.ends_with(' ')
                    && !span.trim().is_empty()
                {
                    span = &span[1..span.len() - 1];
                }
                spans.push(span.to_string());
                i = end + open;
            }
            None => i = start,
        }
    }
    spans
}

/// How a code span's text is written in the HTML mdBook produces.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text a reader must see for a span that contains `{{`, or `None`
/// for a span that is an mdBook directive (`{{#include …}}` is expanded on
/// purpose; `\{{#include …}}` is shown without its backslash).
fn shown(span: &str) -> Option<String> {
    if !span.contains("{{") {
        return None;
    }
    let unescaped = span.replace("\\{{#", "\u{0}");
    if unescaped.contains("{{#") {
        return None;
    }
    Some(unescaped.replace('\u{0}', "{{#"))
}

/// Checks the built book under `root/book` against the chapters' Markdown.
pub fn check(root: &Path) -> Result {
    let mut problems = Vec::new();
    let mut checked = 0;
    for chapter in chapters(root)? {
        let source = format!("src/{chapter}");
        let Ok(markdown) = fs::read_to_string(root.join(&source)) else {
            continue; // the build reports a missing chapter itself
        };
        let page = format!("book/{}", chapter.replace(".md", ".html"));
        let spans: Vec<_> = inline_code_spans(&markdown)
            .into_iter()
            .filter_map(|(line, span)| Some((line, shown(&span)?)))
            .collect();
        if spans.is_empty() {
            continue;
        }
        let html = fs::read_to_string(root.join(&page))
            .map_err(|e| format!("{page}: {e} (build the book first)"))?;
        for (line, text) in spans {
            checked += 1;
            let code = format!("<code>{}</code>", html_escaped(&text));
            if !html.contains(&code) {
                problems.push(format!(
                    "{source}:{line}: inline code `{text}` is not shown as \
                     written in {page} (a preprocessor rewrote the \
                     chapter's own text)"
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    println!("{checked} inline code spans with `{{{{` shown as written");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_read_as_commonmark_reads_them() {
        let text = "a `{{1s | 0s..2s}}` and `` `x` `` b\n\
                    ```\n`{{not a span}}`\n```\n\
                    c `\\{{#include x}}` `{{#include y}}` `open\n";
        let spans = inline_code_spans(text);
        assert_eq!(
            spans,
            vec![
                (1, "{{1s | 0s..2s}}".to_string()),
                (1, "`x`".to_string()),
                (5, "\\{{#include x}}".to_string()),
                (5, "{{#include y}}".to_string()),
            ]
        );
        let shown: Vec<_> =
            spans.iter().filter_map(|(_, s)| shown(s)).collect();
        assert_eq!(shown, ["{{1s | 0s..2s}}", "{{#include x}}"]);
    }

    /// The repository's own built book (`cargo xtask build` first):
    /// `cargo test -p xtask built_book -- --ignored`.
    #[test]
    #[ignore]
    fn built_book_shows_inline_code_as_written() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        check(root).unwrap();
    }
}
