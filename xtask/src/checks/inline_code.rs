//! What a chapter writes in inline code reaches the reader unchanged: every
//! inline code span of a chapter's Markdown that contains `{{` appears
//! verbatim in the chapter's built HTML. The book's preprocessors rewrite
//! `{{…}}` in included files (expected outputs, `{{#include}}`), so a span
//! that shows that syntax is the first thing a too-eager preprocessor
//! would break (the introduction explains `{{5.002s | 5s..6s}}` that way).

use crate::Result;
use expected_output::markdown::{self, Markdown};
use std::fs;
use std::path::Path;

/// The chapters listed in src/SUMMARY.md, as paths relative to src/.
pub fn chapters(root: &Path) -> Result<Vec<String>> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md"))
        .map_err(|e| format!("src/SUMMARY.md: {e}"))?;
    Ok(markdown::summary(&summary)
        .into_iter()
        .map(|link| link.path)
        .filter(|path| path.ends_with(".md"))
        .collect())
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
        let Ok(text) = fs::read_to_string(root.join(&source)) else {
            continue; // the build reports a missing chapter itself
        };
        let page = format!("book/{}", chapter.replace(".md", ".html"));
        let spans: Vec<_> = Markdown::parse(&text)
            .code_spans
            .iter()
            .filter_map(|span| Some((span.line, shown(&span.code)?)))
            .collect();
        if spans.is_empty() {
            continue;
        }
        let html = fs::read_to_string(root.join(&page))
            .map_err(|e| format!("{page}: {e} (build the book first)"))?;
        for (line, text) in spans {
            checked += 1;
            let code = format!("<code>{}</code>", markdown::escape_html(&text));
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
    fn directives_in_spans_are_not_checked_but_escaped_ones_are() {
        let spans = [
            "{{1s | 0s..2s}}",
            "\\{{#include x}}",
            "{{#include y}}",
            "poll",
        ];
        let shown: Vec<_> = spans.iter().filter_map(|s| shown(s)).collect();
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
