//! Mermaid diagrams drawn at build time.
//!
//! `cargo xtask diagrams` renders every ```` ```mermaid ```` block of the
//! book to two SVG files (light and dark colours) in `src/generated/diagrams/`,
//! named by [`key`], a hash of the diagram's source. The `mdbook-diagrams`
//! preprocessor puts both SVGs inline in the page in place of the block, so
//! no page loads mermaid; a block without its SVGs stays a
//! `<pre class="mermaid">` that `theme/diagrams.js` draws in the browser.
//! `cargo xtask test` fails on such a block (xtask `checks/diagrams.rs`).

use crate::markdown::{self, Markdown};

/// A ```` ```mermaid ```` block in a Markdown text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// 1-based line number of the opening fence.
    pub line: usize,
    /// The diagram's source: the lines between the fences, joined by `\n`.
    pub source: String,
    /// Byte range of the whole block, fences included (without the newline
    /// after the closing fence).
    pub span: std::ops::Range<usize>,
}

impl Diagram {
    pub fn key(&self) -> String {
        key(&self.source)
    }
}

/// The file-name key of a diagram source: 64-bit FNV-1a of its text with
/// line ends normalised and trailing blanks trimmed, as 16 hex digits.
/// It names files; it is not a security measure.
pub fn key(source: &str) -> String {
    let text = normalise(source);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn normalise(source: &str) -> String {
    let lines: Vec<&str> = source.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// The file names of a diagram's two renderings.
pub fn file_names(key: &str) -> [String; 2] {
    [format!("{key}-light.svg"), format!("{key}-dark.svg")]
}

/// Every ```` ```mermaid ```` block, in order, as the Markdown model
/// reads the page.
pub fn find(markdown: &str) -> Vec<Diagram> {
    let md = Markdown::parse(markdown);
    md.blocks
        .iter()
        .filter(|b| b.fenced && b.info == "mermaid")
        .map(|b| {
            let end =
                markdown[..b.range.end].trim_end_matches(['\n', '\r']).len();
            Diagram {
                line: b.line,
                source: normalise(&b.body),
                span: md.line_start(b.line)..end,
            }
        })
        .collect()
}

/// The two SVGs of a diagram, if both are rendered.
pub struct Rendered {
    pub light: String,
    pub dark: String,
}

/// `markdown` with every diagram replaced: by both SVGs inline when
/// `lookup` has them, else by `<pre class="mermaid">` with the escaped
/// source for the browser to draw. Returns the new text and the diagrams
/// that had no SVGs.
pub fn inline(
    markdown: &str,
    lookup: impl Fn(&str) -> Option<Rendered>,
) -> (String, Vec<Diagram>) {
    let mut out = String::with_capacity(markdown.len());
    let mut missing = Vec::new();
    let mut last = 0;
    for diagram in find(markdown) {
        out.push_str(&markdown[last..diagram.span.start]);
        let key = diagram.key();
        match lookup(&key) {
            Some(svg) => {
                // One HTML block: it must contain no blank line, or
                // Markdown would end the block there.
                out.push_str(&format!(
                    "<figure class=\"diagram\" data-diagram=\"{key}\">\
                     <div class=\"diagram-light\">{}</div>\
                     <div class=\"diagram-dark\">{}</div></figure>",
                    one_block(&svg.light),
                    one_block(&svg.dark)
                ));
            }
            None => {
                out.push_str(&format!(
                    "<pre class=\"mermaid\">{}</pre>",
                    markdown::escape_text(&diagram.source)
                ));
                missing.push(diagram.clone());
            }
        }
        last = diagram.span.end;
    }
    out.push_str(&markdown[last..]);
    (out, missing)
}

/// An SVG without blank lines and without the XML declaration.
fn one_block(svg: &str) -> String {
    let svg = svg.trim();
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, r)| r).trim(),
        None => svg,
    };
    let svg = svg
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    round_geometry(&svg)
}

/// Attributes that hold coordinates and sizes.
const GEOMETRY: &[&str] = &[
    "d",
    "transform",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "viewBox",
    "points",
];

/// `svg` with every number in a coordinate or size attribute cut to two
/// decimals. Mermaid writes them with up to 15 (`translate(61.2265625,
/// 17.5)`); a hundredth of a pixel is invisible, and the digits are a
/// good part of a chart's bytes, which count against a page's budget.
/// Text, labels and styles are left exactly as drawn.
fn round_geometry(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    let mut in_tag = false;
    while let Some(eq) = rest.find("=\"") {
        let name_start = rest[..eq]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name = &rest[name_start..eq];
        let value_start = eq + 2;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        let before = &rest[..value_start];
        // Inside a tag when the last `<` or `>` so far is a `<` (an `=\"`
        // in a text node is not an attribute).
        if let Some(i) = before.rfind(['<', '>']) {
            in_tag = before.as_bytes()[i] == b'<';
        }
        out.push_str(before);
        if in_tag && GEOMETRY.contains(&name) {
            out.push_str(&round_numbers(value));
        } else {
            out.push_str(value);
        }
        out.push('"');
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Every decimal number in `text` with more than two decimals, rounded to
/// two (trailing zeros dropped); everything else unchanged. Path data runs
/// numbers together (`1.5.25` is 1.5 and .25, `-.5` is -0.5), so a number
/// that starts with `.` or is followed by `.` is left exactly as written:
/// rewriting it could merge it with its neighbour.
fn round_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < bytes.len() {
        if !(digit_at(i) || (bytes[i] == b'.' && digit_at(i + 1))) {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut seen_dot = false;
        while i < bytes.len() {
            if digit_at(i) {
                i += 1;
            } else if bytes[i] == b'.' && !seen_dot && digit_at(i + 1) {
                seen_dot = true;
                i += 1;
            } else {
                break;
            }
        }
        let number = &text[start..i];
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        let alone = bytes[start] != b'.' && bytes.get(i) != Some(&b'.');
        match number.parse::<f64>() {
            Ok(n) if alone && decimals > 2 => {
                let rounded = format!("{n:.2}");
                let trimmed =
                    rounded.trim_end_matches('0').trim_end_matches('.');
                out.push_str(trimmed);
            }
            _ => out.push_str(number),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_is_rounded_and_text_is_not() {
        let svg = "<svg viewBox=\"0 0 700.123456 440\"><g \
                   transform=\"translate(61.2265625, 17.5)\"><path \
                   d=\"M1.005,2.9999L3,4\" id=\"a1.23456\"/>\
                   <text x=\"10.0001\">0.123456 ms</text></g></svg>";
        assert_eq!(
            round_geometry(svg),
            "<svg viewBox=\"0 0 700.12 440\"><g \
             transform=\"translate(61.23, 17.5)\"><path \
             d=\"M1,3L3,4\" id=\"a1.23456\"/>\
             <text x=\"10\">0.123456 ms</text></g></svg>"
        );
        // Numbers run together stay apart.
        assert_eq!(
            round_numbers("M12.001.5-.045.0455v-17l3.14159 2"),
            "M12.001.5-.045.0455v-17l3.14 2"
        );
    }

    const PAGE: &str = "# T\n\n```rust\n```mermaid\n```\n\n\
                        ```mermaid\ngraph TD\n  A-->B  \n```\ntext\n\
                        ~~~~mermaid\nsequenceDiagram\n~~~~\n";

    #[test]
    fn finds_mermaid_blocks_with_lines_outside_other_blocks() {
        let found = find(PAGE);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].line, 7);
        assert_eq!(found[0].source, "graph TD\n  A-->B");
        assert_eq!(
            &PAGE[found[0].span.clone()],
            "```mermaid\ngraph TD\n  A-->B  \n```"
        );
        assert_eq!(found[1].line, 12);
        assert_eq!(found[1].source, "sequenceDiagram");
    }

    #[test]
    fn the_key_ignores_line_ends_and_trailing_blanks_only() {
        assert_eq!(key("a\r\nb  \n"), key("a\nb"));
        assert_ne!(key("a\nb"), key("a\nc"));
        assert_eq!(key("").len(), 16);
    }

    #[test]
    fn inlines_rendered_svgs_and_keeps_the_others_for_the_browser() {
        let first = find(PAGE)[0].key();
        let (text, missing) = inline(PAGE, |k| {
            (k == first).then(|| Rendered {
                light: "<?xml version=\"1.0\"?>\n<svg>L\n\n</svg>".into(),
                dark: "<svg>D</svg>".into(),
            })
        });
        assert!(text.contains(&format!(
            "<figure class=\"diagram\" data-diagram=\"{first}\">\
             <div class=\"diagram-light\"><svg>L\n</svg></div>"
        )));
        assert!(text.contains("<pre class=\"mermaid\">sequenceDiagram</pre>"));
        assert!(text.ends_with("</pre>\n"));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].line, 12);
    }
}
