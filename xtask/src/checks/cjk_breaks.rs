//! No page may show a space in the middle of a Chinese sentence.
//!
//! Chromium renders a line break between two Chinese characters as a space
//! (see `tools/expected-output/src/cjk.rs`, which removes them from the
//! Markdown). This check looks at what the reader gets, the built HTML:
//! in the text a browser lays out as running text (not inside `<pre>`,
//! `<code>`, `<script>`, `<style>`, `<textarea>` or `<svg>`), a line break
//! with a Chinese character on both sides, or with full-width punctuation
//! on either side, is a defect, also when inline tags such as `<strong>`
//! or `<a>` stand between them (inline code counts as a Latin letter). A block tag (`<p>`,
//! `<li>`, `<td>`…) between them ends the line, so that break is fine.

use crate::{Result, walk};
use expected_output::cjk::joinable;
use std::fs;
use std::path::Path;

/// Elements whose content is not running text.
const SKIPPED: &[&str] = &["pre", "code", "script", "style", "textarea", "svg"];

/// Inline elements: the text on both sides of them runs on.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
];

/// One stray break: the line of the page where it starts, and the text
/// around it as the reader sees it.
#[derive(Debug, PartialEq)]
pub struct Break {
    pub line: usize,
    pub context: String,
}

/// The line breaks between two Chinese characters in running text.
pub fn find(html: &str) -> Vec<Break> {
    let mut found = Vec::new();
    // The running text since the last block boundary, with the line of
    // each character, so a finding can say where it is.
    let mut run: Vec<(char, usize)> = Vec::new();
    let mut skip_until: Option<String> = None;
    let mut line = 1;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            line += tag.matches('\n').count();
            rest = &rest[end..];
            let name = tag_name(tag);
            let closing = tag.starts_with("</");
            match &skip_until {
                Some(skipped) => {
                    if closing && name == *skipped {
                        skip_until = None;
                    }
                }
                None if SKIPPED.contains(&name.as_str())
                    && !closing
                    && !tag.ends_with("/>") =>
                {
                    if name == "code" {
                        // Inline code runs on with its neighbours; for the
                        // rule it is a Latin letter.
                        run.push(('a', line));
                    } else {
                        scan(&run, &mut found);
                        run.clear();
                    }
                    skip_until = Some(name);
                }
                None if INLINE.contains(&name.as_str()) => {}
                None => {
                    scan(&run, &mut found);
                    run.clear();
                }
            }
            continue;
        }
        if c == '\n' {
            line += 1;
        }
        if skip_until.is_none() {
            run.push((c, line));
        }
        rest = &rest[c.len_utf8()..];
    }
    scan(&run, &mut found);
    found
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Finds two characters with white space holding a line break between
/// them, where the break shows as a space that does not belong there
/// (`expected_output::cjk::joinable`).
fn scan(run: &[(char, usize)], found: &mut Vec<Break>) {
    let mut i = 0;
    while i < run.len() {
        if run[i].0.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < run.len() && run[j].0.is_whitespace() {
            j += 1;
        }
        let gap = &run[i + 1..j];
        if j < run.len()
            && gap.iter().any(|&(c, _)| c == '\n')
            && joinable(run[i].0, run[j].0)
        {
            let from = i.saturating_sub(8);
            let to = (j + 8).min(run.len());
            let context = run[from..to]
                .iter()
                .map(|&(c, _)| if c == '\n' { '⏎' } else { c })
                .collect();
            found.push(Break {
                line: run[i].1,
                context,
            });
        }
        i = j;
    }
}

/// Checks every page under `book_dir`; the error names each page and line.
pub fn check(book_dir: &Path) -> Result {
    let pages = walk::files_with_extension(book_dir, "html");
    if pages.is_empty() {
        return Err(format!(
            "{}: no HTML pages (build first)",
            book_dir.display()
        )
        .into());
    }
    let mut problems = Vec::new();
    let mut total = 0;
    for page in &pages {
        let html = fs::read_to_string(page)?;
        let breaks = find(&html);
        total += breaks.len();
        let shown = page.strip_prefix(book_dir.parent().unwrap_or(book_dir));
        let shown = shown.unwrap_or(page).display();
        for b in breaks.iter().take(3) {
            problems.push(format!(
                "{shown}:{}: a line break between Chinese characters shows \
                 as a space: 「{}」",
                b.line, b.context
            ));
        }
        if breaks.len() > 3 {
            problems.push(format!("{shown}: … and {} more", breaks.len() - 3));
        }
    }
    if total > 0 {
        return Err(format!(
            "{total} line break(s) between Chinese characters in the built \
             book (is the cjk-lines preprocessor in book.toml?):\n{}",
            problems.join("\n")
        )
        .into());
    }
    println!(
        "ok: no line break shows as a space in Chinese prose ({} pages)",
        pages.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_in_running_text_are_found_through_inline_tags() {
        let html = "<p>可以\n让出</p>\n<p><strong>重点</strong>\n然后</p>\n\
                    <p><code>poll</code>\n，然后</p>";
        let found = find(html);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].line, 1);
        assert_eq!(found[1].line, 3);
    }

    #[test]
    fn block_boundaries_code_and_latin_neighbours_are_fine() {
        let html = "<p>第一段。</p>\n<p>第二段</p>\n\
                    <pre><code>中文\n中文</code></pre>\n\
                    <p>调用 poll\n的次数，<code>中\n文</code>\n的</p>\n\
                    <li>一项</li>\n<li>二项</li>";
        assert_eq!(find(html), vec![]);
    }
}
