//! Keeps the Chinese prose honest about names: English API words from
//! `prose-words.txt` (poll, spawn, future, panic, wake) may appear in
//! chapters only as code (`Future`, `tokio::spawn`), never as Chinese
//! words ("poll 一次", "被 spawn 出来"). Code blocks, code spans, link
//! URLs and HTML tags are skipped (`expected_output::markdown` decides what
//! is prose); everything else is checked, headings included.

use crate::{Result, walk};
use expected_output::markdown::Markdown;
use std::fs;
use std::path::Path;

/// The word list, kept beside this file so that it is reviewed with it.
const WORDS: &str = include_str!("prose-words.txt");

/// `(word, what to write instead)`, from `prose-words.txt`.
fn words() -> Vec<(String, String)> {
    WORDS
        .lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            let (word, instead) = line.split_once('=')?;
            Some((word.trim().to_lowercase(), instead.trim().to_string()))
        })
        .collect()
}

/// The listed words used as words in one Markdown text: `(line, word)`.
/// The prose is what the Markdown model reads as prose; a bare URL in it
/// (`https://docs.rs/futures/…`, not a link) is an address, not words.
fn hits(text: &str, words: &[(String, String)]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (line, prose) in Markdown::parse(text).prose_lines() {
        for token in prose
            .split_whitespace()
            .filter(|t| !t.contains("http://") && !t.contains("https://"))
            .flat_map(|t| {
                t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            })
            .filter(|t| !t.is_empty())
        {
            let lower = token.to_lowercase();
            if words.iter().any(|(w, _)| *w == lower) {
                found.push((line, lower));
            }
        }
    }
    found
}

/// Checks every Markdown file under `root/src`.
pub fn check(root: &Path) -> Result {
    let words = words();
    let mut problems = Vec::new();
    for chapter in walk::files_with_extension(&root.join("src"), "md") {
        let text = fs::read_to_string(&chapter)?;
        let shown = chapter.strip_prefix(root).unwrap_or(&chapter).display();
        let lines: Vec<&str> = text.lines().collect();
        for (line, word) in hits(&text, &words) {
            let instead = words
                .iter()
                .find(|(w, _)| *w == word)
                .map_or("", |(_, s)| s.as_str());
            problems.push(format!(
                "{shown}:{line}: `{word}` used as a Chinese word; write \
                 {instead}\n    {}",
                lines[line - 1].trim()
            ));
        }
    }
    if problems.is_empty() {
        println!("    no bare {} in prose", {
            let w: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
            w.join("/")
        });
        Ok(())
    } else {
        Err(format!(
            "{} bare English API word(s) in prose (list: \
             xtask/src/checks/prose-words.txt):\n{}",
            problems.len(),
            problems.join("\n")
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, String)> {
        hits(text, &words())
    }

    #[test]
    fn words_in_prose_are_found_whole_and_in_any_case() {
        let text = "先 poll 一次\n被 Spawn 出来的任务\n一个future值\n\
                    第 2 次 POLL：\n";
        let lines: Vec<usize> = found(text).iter().map(|h| h.0).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        // `一个future值`: Chinese around it still makes it a whole word.
        assert_eq!(found("一个future值")[0].1, "future");
        assert!(found("polled、wake_by_ref、futures-lite、spawner").is_empty());
    }

    #[test]
    fn code_links_and_blocks_are_skipped() {
        let text = "调用 `poll` 和 ``tokio::spawn``，[链接](ch09.md#wake)\n\
                    <https://docs.rs/futures/latest/futures/future/>\n\
                    ```rust\nfuture.poll(cx)\n```\n\
                    - 列表里：\n  ```text\n  panic\n  ```\n\
                    [Future 是什么](https://x.org/future)\n\
                    跨行的 `let x = y else { return\n\
                    Poll::Pending }` 也是代码，wake 不是\n";
        let lines: Vec<(usize, String)> = found(text);
        assert_eq!(
            lines,
            [(10, "future".to_string()), (12, "wake".to_string())]
        );
    }

    #[test]
    fn every_word_has_a_suggestion() {
        let words = words();
        assert_eq!(words.len(), 5);
        assert!(words.iter().all(|(w, s)| !w.is_empty() && !s.is_empty()));
    }
}
