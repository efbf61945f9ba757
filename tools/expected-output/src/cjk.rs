//! Joins the source lines of Chinese prose, so that no page shows a space
//! in the middle of a sentence.
//!
//! The chapters wrap their prose at about 80 columns, and a paragraph that
//! goes on in the next source line is one paragraph with a *soft break* in
//! it. HTML keeps the line break, and Chromium (which also prints the PDF)
//! renders a line break between two Chinese characters as a space: CSS Text
//! level 4 asks browsers to drop it, but Chromium does not implement that
//! rule. So `可以\n让出` shows as 「可以 让出」.
//!
//! [`join_lines`] removes exactly those breaks: a soft break whose last
//! rendered character before it and first rendered character after it are
//! both Chinese (CJK ideographs, CJK punctuation, full-width forms), or
//! one of which is full-width punctuation (，。（）, which carries its own
//! spacing). A break between a Chinese character and a Latin letter, a
//! digit or inline code stays a space, as mixed Chinese–English text is
//! usually set (「调用 `poll`⏎的次数」 shows 「`poll` 的」). Code blocks, inline code and raw HTML are
//! never touched: the parser gives them no soft breaks.
//!
//! The Markdown is parsed with [`mdbook_markdown::new_cmark_parser`], the
//! very function mdBook 0.5.4 renders with, so a soft break here is a soft
//! break in the page.

use mdbook_markdown::pulldown_cmark::{Event, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use std::ops::Range;

/// True for the characters between which a line break must not become a
/// space: CJK ideographs and their extensions, CJK symbols and
/// punctuation (、。「」《》), full-width forms (，：；！？（）), kana
/// and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}' // kana
        | '\u{3100}'..='\u{312F}' // bopomofo
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{31C0}'..='\u{31EF}' // strokes
        | '\u{3200}'..='\u{33FF}' // enclosed, compatibility
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}' // compatibility forms
        | '\u{FF00}'..='\u{FFEF}' // full-width and half-width forms
        | '\u{20000}'..='\u{3134F}' // extensions B–G
        // “ ” ‘ ’ … — are shared with Latin text, but in this book they
        // stand in Chinese sentences (「“运行”按钮」), where a space is
        // just as wrong.
        | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{2026}' | '\u{2014}'
    )
}

/// Full-width punctuation (，。：（）「」 and the rest of the CJK symbols
/// and full-width forms): it carries its own spacing, so a space next to
/// it is wrong whatever stands on the other side (「`poll`⏎，」 and
/// 「是，⏎Rust」 show a gap too). Curly quotes and dashes are left out:
/// English sentences in the book use them as well.
pub fn is_wide_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}'
    )
}

/// Whether a line break between `before` and `after` would show a space
/// that does not belong there: between two Chinese characters, or next
/// to full-width punctuation.
pub fn joinable(before: char, after: char) -> bool {
    (is_cjk(before) && is_cjk(after))
        || is_wide_punct(before)
        || is_wide_punct(after)
}

/// The byte ranges of `markdown` to delete: each is one soft break between
/// two Chinese characters, with the next line's indentation or block-quote
/// markers (`> `), which belong to the same paragraph.
pub fn breaks_to_join(markdown: &str) -> Vec<Range<usize>> {
    let options = MarkdownOptions::default();
    let mut joins = Vec::new();
    // The last character a reader sees before the current position
    // (inline code counts as a Latin letter, `a`).
    let mut last_seen: Option<char> = None;
    // A soft break with the character before it, and the gap from the
    // break to the first event after it (the next line's text, or the
    // `[` or `**` that opens it).
    let mut pending: Option<(Range<usize>, char)> = None;
    let mut gap_open = false;
    for (event, range) in
        new_cmark_parser(markdown, &options).into_offset_iter()
    {
        if gap_open {
            if let Some((gap, _)) = &mut pending {
                gap.end = range.start;
            }
            gap_open = false;
        }
        let shown = match &event {
            Event::Text(text) => text.chars().next().zip(text.chars().last()),
            Event::Code(_) => Some(('a', 'a')),
            _ => None,
        };
        match (event, shown) {
            (Event::SoftBreak, _) => {
                pending = last_seen.map(|c| (range.start..range.end, c));
                gap_open = pending.is_some();
                last_seen = None;
            }
            (_, Some((first, last))) => {
                if let Some((gap, before)) = pending.take() {
                    // The gap may hold only white space and block-quote
                    // markers, or it is not one paragraph running on into
                    // the next line (then it is left alone).
                    if joinable(before, first)
                        && markdown[gap.clone()]
                            .chars()
                            .all(|c| c.is_whitespace() || c == '>')
                    {
                        joins.push(gap);
                    }
                }
                last_seen = Some(last);
            }
            // Emphasis, links and strikethrough show their text but no
            // characters of their own: they neither end nor start a run.
            (
                Event::Start(_)
                | Event::End(TagEnd::Emphasis)
                | Event::End(TagEnd::Strong)
                | Event::End(TagEnd::Strikethrough)
                | Event::End(TagEnd::Link),
                None,
            ) => {}
            // Anything else (HTML, a footnote mark, the end of a paragraph
            // or heading) ends the run.
            _ => {
                pending = None;
                last_seen = None;
            }
        }
    }
    joins
}

/// `markdown` with every soft break between two Chinese characters
/// removed (see the module documentation).
///
/// A join must not change how the rest of the line parses. It can: a
/// closing `**` after punctuation counts as closing only when white space
/// (the line break) follows it, so `**“引文。”**⏎它` joined would lose its
/// emphasis. So the result is parsed again, and where its structure
/// differs, the joins are tried one at a time and a join that changes the
/// structure is left out (the built-HTML check then names that line, and
/// the source is wrapped elsewhere).
pub fn join_lines(markdown: &str) -> String {
    let joins = breaks_to_join(markdown);
    let all = apply(markdown, &joins);
    let expected = structure(markdown);
    if structure(&all) == expected {
        return all;
    }
    let mut kept = Vec::new();
    for gap in joins {
        kept.push(gap);
        if structure(&apply(markdown, &kept)) != expected {
            kept.pop();
        }
    }
    apply(markdown, &kept)
}

fn apply(markdown: &str, gaps: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for gap in gaps {
        out.push_str(&markdown[at..gap.start]);
        at = gap.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// The events of a parse other than text and soft breaks: what a join may
/// not change.
fn structure(markdown: &str) -> Vec<String> {
    new_cmark_parser(markdown, &MarkdownOptions::default())
        .filter(|e| !matches!(e, Event::Text(_) | Event::SoftBreak))
        .map(|e| format!("{e:?}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_break_between_chinese_characters_goes() {
        assert_eq!(join_lines("可以\n让出的操作\n"), "可以让出的操作\n");
        assert_eq!(
            join_lines("读完第四部分，\n读者会看到\n"),
            "读完第四部分，读者会看到\n"
        );
    }

    #[test]
    fn a_break_next_to_full_width_punctuation_goes() {
        assert_eq!(join_lines("调用 `poll`\n，然后\n"), "调用 `poll`，然后\n");
        assert_eq!(join_lines("就是，\nRust 的\n"), "就是，Rust 的\n");
        assert_eq!(
            join_lines("生成器\n（generator）\n"),
            "生成器（generator）\n"
        );
        let english = "the docs say\n“only the waker”\n";
        assert_eq!(join_lines(english), english);
    }

    #[test]
    fn a_break_next_to_latin_text_or_code_stays() {
        let text = "调用 poll\n的次数，和 `Waker`\n的用法\n";
        assert_eq!(join_lines(text), text);
        assert_eq!(join_lines("Rust\n协程\n"), "Rust\n协程\n");
    }

    #[test]
    fn emphasis_and_links_do_not_hide_the_characters() {
        assert_eq!(
            join_lines("这是**重点**\n然后[链接](a.md)\n继续\n"),
            "这是**重点**然后[链接](a.md)继续\n"
        );
        // Joined, the closing `**` would follow punctuation and precede a
        // letter, and so no longer close: that break stays.
        let quote = "特点：**“特例。”**\n它出自\n这里\n";
        assert_eq!(join_lines(quote), "特点：**“特例。”**\n它出自这里\n");
        assert_eq!(
            join_lines("第 11 章的\n[示例](a.md)和\n**重点**\n"),
            "第 11 章的[示例](a.md)和**重点**\n"
        );
    }

    #[test]
    fn block_quotes_and_list_items_join_with_their_markers() {
        assert_eq!(join_lines("> 第一行\n> 第二行\n"), "> 第一行第二行\n");
        assert_eq!(
            join_lines("- 第一行\n  第二行\n- 下一项\n"),
            "- 第一行第二行\n- 下一项\n"
        );
    }

    #[test]
    fn code_blocks_code_spans_and_paragraph_ends_are_untouched() {
        let text = "```text\n中文\n中文\n```\n\n段落一\n\n段落二\n";
        assert_eq!(join_lines(text), text);
        let html = "<p>中文\n中文</p>\n";
        assert_eq!(join_lines(html), html);
        let hard = "硬换行  \n保留\n";
        assert_eq!(join_lines(hard), hard);
    }
}
