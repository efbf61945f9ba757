//! The book's Markdown as mdBook reads it: one parse of a chapter, shared by
//! the preprocessors and every check of `cargo xtask`.
//!
//! A chapter is parsed once with [`mdbook_markdown::new_cmark_parser`], the
//! function mdBook 0.5.4 renders with, and its offset iterator. What a check
//! needs comes out of that one event stream, each piece with its byte range
//! in the source and its 1-based line:
//!
//! * [`Markdown::prose`]: the text a reader reads (paragraphs, headings,
//!   lists, tables, link and image text), never code, HTML or link targets;
//! * [`Markdown::code_spans`]: inline code, with its content as CommonMark
//!   reads it (one space stripped at each end, a line break read as a space);
//! * [`Markdown::blocks`]: code blocks, with the info string, the body and
//!   the line its body starts on;
//! * [`Markdown::directives`]: mdBook's `{{#include …}}`-style directives,
//!   found as mdBook's `links` preprocessor finds them (the same regular
//!   expression, on the raw text: a directive works in code too).
//!
//! [`summary`] reads `SUMMARY.md` as mdBook's summary parser does
//! (`mdbook-summary` 0.5.4: a plain pulldown-cmark parser, link text
//! joined from its text and code), so a chapter list here is the one the
//! book is built from.
//!
//! So that no tool decides on its own what is code and what is prose, no
//! other module of the repository scans Markdown by hand.

use mdbook_markdown::pulldown_cmark::{
    CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd,
};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use std::ops::Range;
use std::sync::LazyLock;

/// A piece of the source: its byte range and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub line: usize,
}

/// One inline code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpan {
    /// What the reader sees: the content as CommonMark reads it.
    pub code: String,
    /// The whole span in the source, backticks included.
    pub range: Range<usize>,
    pub line: usize,
}

/// One code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string of a fenced block (`rust,compile_fail,E0373`),
    /// trimmed; empty for a bare fence or an indented block.
    pub info: String,
    /// Whether the block is fenced (``` or ~~~) rather than indented.
    pub fenced: bool,
    /// The body as the parser reads it: the lines between the fences, with
    /// the indentation of an enclosing list item removed.
    pub body: String,
    /// The body in the source: from its first character to the end of its
    /// last line (empty, at the closing fence, for an empty block).
    pub body_range: Range<usize>,
    /// The whole block in the source, fences included.
    pub range: Range<usize>,
    /// The closing fence's whole line, its newline included; `None` for
    /// an indented block or a fenced one left open at the end of the page.
    pub closing: Option<Range<usize>>,
    /// The line of the opening fence.
    pub line: usize,
    /// The line of the body's first line.
    pub first_body_line: usize,
}

impl CodeBlock {
    /// The comma-separated words of the info string
    /// (`rust,compile_fail,E0373` gives `rust`, `compile_fail`, `E0373`).
    pub fn flags(&self) -> Vec<&str> {
        self.info.split(',').map(str::trim).collect()
    }

    /// The language, the info string's first word (`rust`, `console`).
    pub fn lang(&self) -> &str {
        self.flags()[0]
    }

    /// Whether mdBook treats the block as Rust: its language is `rust`.
    pub fn is_rust(&self) -> bool {
        self.lang() == "rust"
    }

    /// The body as a program: mdBook's hidden lines (`# code`, or a lone
    /// `#`) are part of it, without their mark.
    pub fn rust_program(&self) -> String {
        let mut code = String::new();
        for line in self.body.lines() {
            let trimmed = line.trim_start();
            code.push_str(match trimmed {
                "#" => "",
                _ => trimmed.strip_prefix("# ").unwrap_or(line),
            });
            code.push('\n');
        }
        code
    }
}

/// One mdBook directive, `{{#include ../listings/ch10/output/x.txt}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// `include`, `rustdoc_include`, `playground`, `title`…; empty for an
    /// escaped one.
    pub kind: String,
    /// Everything after the kind, trimmed (`../x.rs:main`).
    pub args: String,
    /// `\{{#include …}}`: mdBook shows it without the backslash and does
    /// not expand it.
    pub escaped: bool,
    pub range: Range<usize>,
    pub line: usize,
}

impl Directive {
    /// The file an `include` or `rustdoc_include` names, without its
    /// anchor or line range (`../x.rs` for `../x.rs:main`).
    pub fn path(&self) -> Option<&str> {
        match self.kind.as_str() {
            "include" | "rustdoc_include" | "playground" => {
                self.args.split_whitespace().next()?.split(':').next()
            }
            _ => None,
        }
    }

    /// The anchor an include selects (`main` in `x.rs:main`); `None` for
    /// the whole file or a line range (`x.rs:10`, `x.rs:2:8`, `x.rs::5`).
    pub fn anchor(&self) -> Option<&str> {
        self.path()?;
        let spec = self.args.split_whitespace().next()?;
        let (_, anchor) = spec.split_once(':')?;
        (!anchor.starts_with(|c: char| c.is_ascii_digit() || c == ':'))
            .then_some(anchor)
    }
}

/// One heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`…
    pub level: usize,
    /// Its text, code without backticks (`练习`).
    pub text: String,
    pub range: Range<usize>,
    pub line: usize,
}

/// A parsed chapter. Every position is a byte range into [`Self::source`].
#[derive(Debug)]
pub struct Markdown<'a> {
    pub source: &'a str,
    /// The text a reader reads, as source ranges of the parser's text
    /// events (so `\_` keeps its backslash and `"` stays straight).
    pub prose: Vec<Piece>,
    pub code_spans: Vec<CodeSpan>,
    pub blocks: Vec<CodeBlock>,
    pub directives: Vec<Directive>,
    pub headings: Vec<Heading>,
    /// Raw HTML, blocks and inline (comments included).
    pub html: Vec<Piece>,
    line_starts: Vec<usize>,
}

/// mdBook's pattern for a directive (mdbook-driver 0.5.4,
/// `builtin_preprocessors/links.rs`, `find_links`).
static DIRECTIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?x)
        \\\{\{\#.*\}\}      # an escaped directive
        |
        \{\{\s*
        \#([a-zA-Z0-9_]+)   # its kind
        \s+
        ([^}]+)             # its arguments
        \}\}",
    )
    .expect("the directive pattern is valid")
});

impl<'a> Markdown<'a> {
    /// Parses `source` with mdBook's options.
    pub fn parse(source: &'a str) -> Markdown<'a> {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut md = Markdown {
            source,
            prose: Vec::new(),
            code_spans: Vec::new(),
            blocks: Vec::new(),
            directives: Vec::new(),
            headings: Vec::new(),
            html: Vec::new(),
            line_starts,
        };
        let options = MarkdownOptions::default();
        let mut block: Option<CodeBlock> = None;
        // Where the open block's body starts and ends (its first and last
        // text), while it is read.
        let mut body: Option<Range<usize>> = None;
        // Inside `<https://…>`: its text is a URL, not prose.
        let mut autolink = false;
        let mut heading: Option<Heading> = None;
        for (event, range) in
            new_cmark_parser(source, &options).into_offset_iter()
        {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (info, fenced) = match kind {
                        CodeBlockKind::Fenced(info) => {
                            (info.trim().to_string(), true)
                        }
                        CodeBlockKind::Indented => (String::new(), false),
                    };
                    block = Some(CodeBlock {
                        info,
                        fenced,
                        body: String::new(),
                        body_range: 0..0,
                        closing: None,
                        line: md.line(range.start),
                        first_body_line: 0,
                        range,
                    });
                }
                Event::End(TagEnd::CodeBlock) => {
                    let mut b = block.take().expect("a code block was open");
                    let last = md.last_line_start(&b);
                    let below_open = md.line(last) > b.line;
                    b.body_range = body.take().unwrap_or_else(|| {
                        // An empty block: its body is where the closing
                        // fence starts (or where the block ends).
                        let at = if below_open { last } else { b.range.end };
                        at..at
                    });
                    // The last line closes the block when it is neither
                    // the opening fence nor part of the body.
                    if b.fenced && below_open && last >= b.body_range.end {
                        b.closing = Some(last..md.line_end(last));
                    }
                    b.first_body_line = if b.body.is_empty() {
                        b.line + usize::from(b.fenced)
                    } else {
                        md.line(b.body_range.start)
                    };
                    md.blocks.push(b);
                }
                Event::Text(text) if block.is_some() => {
                    let b = block.as_mut().unwrap();
                    b.body.push_str(&text);
                    body = Some(match body.take() {
                        Some(seen) => seen.start..range.end,
                        None => range,
                    });
                }
                Event::Start(Tag::Link {
                    link_type: LinkType::Autolink | LinkType::Email,
                    ..
                }) => autolink = true,
                Event::End(TagEnd::Link) => autolink = false,
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some(Heading {
                        level: level as usize,
                        text: String::new(),
                        line: md.line(range.start),
                        range,
                    });
                }
                Event::End(TagEnd::Heading(_)) => {
                    md.headings.extend(heading.take());
                }
                Event::Text(_) if autolink => {}
                Event::Text(text) => {
                    if let Some(h) = &mut heading {
                        h.text.push_str(&text);
                    }
                    md.prose.push(md.piece(range));
                }
                Event::Code(code) => {
                    if let Some(h) = &mut heading {
                        h.text.push_str(&code);
                    }
                    md.code_spans.push(CodeSpan {
                        code: code.into_string(),
                        line: md.line(range.start),
                        range,
                    });
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    md.html.push(md.piece(range))
                }
                _ => {}
            }
        }
        md.directives = DIRECTIVE
            .captures_iter(source)
            .map(|c| {
                let whole = c.get(0).unwrap();
                Directive {
                    kind: c.get(1).map_or("", |m| m.as_str()).to_string(),
                    args: c
                        .get(2)
                        .map_or("", |m| m.as_str())
                        .trim()
                        .to_string(),
                    escaped: c.get(1).is_none(),
                    line: md.line(whole.start()),
                    range: whole.range(),
                }
            })
            .collect();
        md
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    /// Whether a byte offset lies inside a code block.
    pub fn in_code_block(&self, offset: usize) -> bool {
        self.blocks.iter().any(|b| b.range.contains(&offset))
    }

    fn piece(&self, range: Range<usize>) -> Piece {
        Piece {
            line: self.line(range.start),
            range,
        }
    }

    /// Where the line after the one holding `offset` starts (the end of
    /// the text on the last line).
    pub fn line_end(&self, offset: usize) -> usize {
        self.source[offset..]
            .find('\n')
            .map_or(self.source.len(), |i| offset + i + 1)
    }

    /// Where the last line of a block (its closing fence, if it has one)
    /// starts.
    fn last_line_start(&self, block: &CodeBlock) -> usize {
        let text = &self.source[block.range.clone()];
        let trimmed = text.trim_end_matches('\n');
        block.range.start + trimmed.rfind('\n').map_or(0, |i| i + 1)
    }

    /// The source text of a range.
    pub fn text(&self, range: &Range<usize>) -> &'a str {
        &self.source[range.clone()]
    }

    /// The fenced blocks whose language is `rust`.
    pub fn rust_blocks(&self) -> impl Iterator<Item = &CodeBlock> {
        self.blocks.iter().filter(|b| b.fenced && b.is_rust())
    }

    /// The directives mdBook expands (escaped ones left out).
    pub fn live_directives(&self) -> impl Iterator<Item = &Directive> {
        self.directives.iter().filter(|d| !d.escaped)
    }

    /// Each line that holds text a reader reads, in source order:
    /// `(line, text)`. That is the prose, without directives, and the text
    /// between the tags of raw HTML (`<summary>深入：…</summary>`), without
    /// comments. Wherever something else stood between two pieces (inline
    /// code, a link target, markup, a tag) there is one space, so that
    /// words on either side stay apart.
    pub fn prose_lines(&self) -> Vec<(usize, String)> {
        let mut pieces = self.prose_without_directives();
        pieces.extend(self.html_text());
        pieces.sort_by_key(|p| p.range.start);
        let mut lines: Vec<(usize, String)> = Vec::new();
        let mut last_end = usize::MAX;
        for piece in pieces {
            let text = &self.source[piece.range.clone()];
            match lines.last_mut() {
                Some((line, out)) if *line == piece.line => {
                    if piece.range.start == last_end {
                        out.push_str(text);
                    } else if out.ends_with(' ') {
                        out.push_str(text.trim_start_matches(' '));
                    } else {
                        if !text.starts_with(' ') {
                            out.push(' ');
                        }
                        out.push_str(text);
                    }
                }
                _ => lines.push((piece.line, text.to_string())),
            }
            last_end = piece.range.end;
        }
        for (_, text) in &mut lines {
            *text = text.trim_matches(' ').to_string();
        }
        lines
    }

    /// The text between the tags of raw HTML, comments left out.
    fn html_text(&self) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut in_comment = false;
        for piece in &self.html {
            let mut at = piece.range.start;
            let end = piece.range.end;
            while at < end {
                let rest = &self.source[at..end];
                if in_comment {
                    match rest.find("-->") {
                        Some(close) => {
                            at += close + 3;
                            in_comment = false;
                        }
                        None => at = end,
                    }
                } else if rest.starts_with("<!--") {
                    in_comment = true;
                    at += 4;
                } else if rest.starts_with('<') {
                    at += rest.find('>').map_or(rest.len(), |close| close + 1);
                } else {
                    let text = rest.find('<').unwrap_or(rest.len());
                    let shown = rest[..text].trim_end();
                    if !shown.trim().is_empty() {
                        out.push(self.piece(at..at + shown.len()));
                    }
                    at += text;
                }
            }
        }
        out
    }

    /// The prose pieces with every directive cut out of them.
    fn prose_without_directives(&self) -> Vec<Piece> {
        let mut out = Vec::new();
        for piece in &self.prose {
            let mut start = piece.range.start;
            for d in &self.directives {
                if d.range.end <= start || d.range.start >= piece.range.end {
                    continue;
                }
                if d.range.start > start {
                    out.push(self.piece(start..d.range.start));
                }
                start = d.range.end;
            }
            if start < piece.range.end {
                out.push(self.piece(start..piece.range.end));
            }
        }
        out
    }
}

/// One page linked from `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLink {
    /// The title shown in the sidebar (link text, code without backticks).
    pub title: String,
    /// The page's file relative to `src/` (`ch10-example.md`); empty for a
    /// draft (`[Title]()`).
    pub path: String,
    pub line: usize,
}

impl SummaryLink {
    /// The page mdBook writes for it (`ch10-example.html`; a `README.md`
    /// becomes its folder's `index.html`); empty for a draft.
    pub fn html(&self) -> String {
        let Some(stem) = self.path.strip_suffix(".md") else {
            return self.path.clone();
        };
        match stem.strip_suffix("README") {
            Some(dir) if dir.is_empty() || dir.ends_with('/') => {
                format!("{dir}index.html")
            }
            _ => format!("{stem}.html"),
        }
    }
}

/// The chapter list as JSON for the browser tests (`cargo xtask build`
/// writes it): `[{"title", "file", "html", "diagrams"}, …]` in SUMMARY
/// order, `file` and `html` null for a draft; `diagrams` holds the source
/// of each mermaid block of the page (`read` gets the page's file as
/// SUMMARY.md names it).
pub fn chapters_json(
    links: &[SummaryLink],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut entries = Vec::new();
    for link in links {
        let file = (!link.path.is_empty()).then_some(link.path.as_str());
        let diagrams: Vec<String> = match file {
            Some(file) => crate::diagrams::find(&read(file)?)
                .into_iter()
                .map(|d| d.source)
                .collect(),
            None => Vec::new(),
        };
        entries.push(serde_json::json!({
            "title": link.title,
            "file": file,
            "html": file.map(|_| link.html()),
            "diagrams": diagrams,
        }));
    }
    Ok(serde_json::to_string_pretty(&entries).expect("JSON of strings"))
}

/// The links of `SUMMARY.md` in order, read as mdBook's summary parser
/// reads them: a plain parser (no smart punctuation), the title joined from
/// the link's text and code (a line break as a space), `%20` in the target
/// read as a space.
pub fn summary(text: &str) -> Vec<SummaryLink> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut links = Vec::new();
    let mut open: Option<SummaryLink> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some(SummaryLink {
                    title: String::new(),
                    path: dest_url.replace("%20", " "),
                    line: line_starts.partition_point(|&s| s <= range.start),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(link) = &mut open {
                    link.title.push_str(&t);
                }
            }
            Event::SoftBreak => {
                if let Some(link) = &mut open {
                    link.title.push(' ');
                }
            }
            Event::End(TagEnd::Link) => links.extend(open.take()),
            _ => {}
        }
    }
    links
}

/// `text` escaped for HTML element content and attribute values in double
/// quotes: `&`, `<`, `>` and `"`.
pub fn escape_html(text: &str) -> String {
    escape_text(text).replace('"', "&quot;")
}

/// `text` escaped for HTML element content only: `&`, `<` and `>` (quotes
/// stay as written).
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_read_as_commonmark_reads_them() {
        let text = "a `{{1s | 0s..2s}}` and `` `x` `` b\n\
                    ```\n`{{not a span}}`\n```\n\
                    c `\\{{#include x}}` `{{#include y}}` `open\n\n\
                    a span `over\ntwo lines` ends\n";
        let md = Markdown::parse(text);
        let spans: Vec<(usize, &str)> = md
            .code_spans
            .iter()
            .map(|s| (s.line, s.code.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (1, "{{1s | 0s..2s}}"),
                (1, "`x`"),
                (5, "\\{{#include x}}"),
                (5, "{{#include y}}"),
                (7, "over two lines"),
            ]
        );
        assert_eq!(md.text(&md.code_spans[1].range), "`` `x` ``");
    }

    #[test]
    fn fenced_blocks_have_info_body_and_lines() {
        let text = "# T\n\n```rust,compile_fail,E0373\n# fn main() {\nlet x;\n\
                    #\n# }\n```\n\n- item\n\n  ~~~~text\n  ```\n  in\n  ~~~~\n\n\
                    ```\n```\n";
        let md = Markdown::parse(text);
        assert_eq!(md.blocks.len(), 3);
        let rust = &md.blocks[0];
        assert_eq!(rust.info, "rust,compile_fail,E0373");
        assert_eq!(rust.flags(), ["rust", "compile_fail", "E0373"]);
        assert!(rust.is_rust());
        assert_eq!((rust.line, rust.first_body_line), (3, 4));
        assert_eq!(rust.body, "# fn main() {\nlet x;\n#\n# }\n");
        assert_eq!(rust.rust_program(), "fn main() {\nlet x;\n\n}\n");
        assert_eq!(md.text(&rust.body_range), rust.body);
        assert_eq!(md.text(rust.closing.as_ref().unwrap()), "```\n");
        assert!(md.text(&rust.range).starts_with("```rust"));
        assert!(md.text(&rust.range).trim_end().ends_with("```"));
        // A longer fence holds a shorter one; a list item's indentation
        // is not part of the body.
        let text_block = &md.blocks[1];
        assert_eq!(text_block.info, "text");
        assert!(!text_block.is_rust());
        assert_eq!(text_block.body, "```\nin\n");
        assert_eq!((text_block.line, text_block.first_body_line), (12, 13));
        assert_eq!(md.text(&text_block.body_range), "```\n  in\n");
        let empty = &md.blocks[2];
        assert_eq!((empty.info.as_str(), empty.body.as_str()), ("", ""));
        assert_eq!((empty.line, empty.first_body_line), (17, 18));
        assert_eq!(md.text(&empty.body_range), "");
        assert_eq!(empty.body_range.start, text.len() - 4);
        assert_eq!(md.text(empty.closing.as_ref().unwrap()), "```\n");
        assert_eq!(md.rust_blocks().count(), 1);
        // A block left open runs to the end of the page.
        for open in ["```text\nabc\n", "```text\nabc", "```\n", "```"] {
            let md = Markdown::parse(open);
            let block = &md.blocks[0];
            assert_eq!(block.closing, None, "{open:?}");
            assert_eq!(block.body_range.end, open.len(), "{open:?}");
        }
    }

    #[test]
    fn prose_leaves_out_code_html_link_targets_and_directives() {
        let text = "调用 `poll` 和 [Future 是什么](https://x.org/future)\n\
                    <!-- a comment with wake -->\n\
                    ```rust\nfuture.poll(cx)\n```\n\
                    一次 {{#include generated/f.md:task}} 之后\n\
                    跨行的 `let x = y else { return\n\
                    Poll::Pending }` 也是代码，wake 不是\n\n\
                    ## 标题 spawn {#id}\n\n\
                    <details>\n<summary>深入：poll <b>a</b></summary>\n\n\
                    见 <https://docs.rs/futures/latest/futures/future/>\n";
        let md = Markdown::parse(text);
        assert_eq!(
            md.prose_lines(),
            [
                (1, "调用 和 Future 是什么".to_string()),
                (6, "一次 之后".to_string()),
                (7, "跨行的".to_string()),
                (8, "也是代码，wake 不是".to_string()),
                (10, "标题 spawn".to_string()),
                (13, "深入：poll a".to_string()),
                (15, "见".to_string()),
            ]
        );
        assert_eq!(md.html[0].line, 2);
    }

    #[test]
    fn directives_are_found_as_mdbook_finds_them() {
        let text = "a {{#include ../x.rs:main}}\n\
                    ```rust\n{{#rustdoc_include y.rs}} {{#include z.txt:2:5}}\n```\n\
                    {{#title t}} \\{{#include not/expanded.txt}}\n\
                    {{ #quiz ../quizzes/ch01.txt }}\n";
        let md = Markdown::parse(text);
        let found: Vec<_> = md
            .directives
            .iter()
            .map(|d| (d.line, d.kind.as_str(), d.path(), d.anchor(), d.escaped))
            .collect();
        assert_eq!(
            found,
            [
                (1, "include", Some("../x.rs"), Some("main"), false),
                (3, "rustdoc_include", Some("y.rs"), None, false),
                (3, "include", Some("z.txt"), None, false),
                (5, "title", None, None, false),
                (5, "", None, None, true),
                (6, "quiz", None, None, false),
            ]
        );
        assert_eq!(
            md.text(&md.directives[0].range),
            "{{#include ../x.rs:main}}"
        );
        assert_eq!(md.live_directives().count(), 5);
    }

    #[test]
    fn the_summary_lists_pages_as_mdbook_reads_them() {
        let text = "# 目录\n\n[前言](introduction.md)\n\n# 第一部分\n\n\
                    - [创建 `Vec`](ch01-eager-range.md)\n\
                    - [a \"quote\"](my%20page.md)\n\
                    - [草稿]()\n\n---\n\n[术语表](glossary.md)\n";
        let links = summary(text);
        let shown: Vec<_> = links
            .iter()
            .map(|l| (l.line, l.title.as_str(), l.path.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (3, "前言", "introduction.md"),
                (7, "创建 Vec", "ch01-eager-range.md"),
                (8, "a \"quote\"", "my page.md"),
                (9, "草稿", ""),
                (13, "术语表", "glossary.md"),
            ]
        );
        assert_eq!(links[1].html(), "ch01-eager-range.html");
        let readme = |path: &str| SummaryLink {
            title: String::new(),
            path: path.to_string(),
            line: 1,
        };
        assert_eq!(readme("README.md").html(), "index.html");
        assert_eq!(readme("a/README.md").html(), "a/index.html");
        assert_eq!(readme("NOTREADME.md").html(), "NOTREADME.html");
        let mut read = |file: &str| match file {
            "glossary.md" => Ok("# 术语\n\n```mermaid\ngraph TD\n```\n".into()),
            _ => Err(format!("{file}: no such page")),
        };
        let json: serde_json::Value = serde_json::from_str(
            &chapters_json(&links[3..], &mut read).unwrap(),
        )
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"title": "草稿", "file": null, "html": null, "diagrams": []},
                {
                    "title": "术语表",
                    "file": "glossary.md",
                    "html": "glossary.html",
                    "diagrams": ["graph TD"],
                },
            ])
        );
        assert!(chapters_json(&links[..1], &mut read).is_err());
    }

    #[test]
    fn headings_have_level_text_and_line() {
        let text = "# 第 `1` 章\n\n```\n## 练习\n```\n\n## 练习\n";
        let md = Markdown::parse(text);
        let found: Vec<_> = md
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(found, [(1, "第 1 章", 1), (2, "练习", 7)]);
        assert_eq!(md.line_start(7), text.len() - "## 练习\n".len());
        assert!(md.in_code_block(md.line_start(4)));
        assert!(!md.in_code_block(md.line_start(7)));
    }

    #[test]
    fn lines_are_counted_from_one() {
        let md = Markdown::parse("a\nb\n\nc");
        assert_eq!(
            (md.line(0), md.line(1), md.line(2), md.line(5)),
            (1, 1, 2, 4)
        );
    }

    #[test]
    fn escaping_keeps_quotes_only_where_asked() {
        assert_eq!(
            escape_html("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_text("\"a\" < b"), "\"a\" &lt; b");
    }
}
