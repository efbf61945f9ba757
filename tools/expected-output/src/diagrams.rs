//! Mermaid diagrams drawn at build time.
//!
//! `cargo xtask diagrams` renders every ```` ```mermaid ```` block of the
//! book to two SVG files (light and dark colours) in `src/generated/diagrams/`,
//! named by [`key`], a hash of the diagram's source. The `mdbook-diagrams`
//! preprocessor puts both SVGs inline in the page in place of the block, so
//! no page loads mermaid; a block without its SVGs stays a
//! `<pre class="mermaid">` that `theme/diagrams.js` draws in the browser.
//! `cargo xtask test` fails on such a block (xtask `checks/diagrams.rs`).

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

/// Every ```` ```mermaid ```` block (backtick or tilde fences of three or
/// more, optionally indented by up to three spaces), in order.
pub fn find(markdown: &str) -> Vec<Diagram> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut open: Option<(usize, usize, String, Vec<&str>)> = None;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        let indent = bare.len() - bare.trim_start_matches(' ').len();
        let text = bare.trim_start_matches(' ');
        let fence_char = text.chars().next();
        let fence_len = match fence_char {
            Some(c @ ('`' | '~')) => {
                text.chars().take_while(|&x| x == c).count()
            }
            _ => 0,
        };
        match &mut open {
            None => {
                if indent <= 3 && fence_len >= 3 {
                    let info = text[fence_len..].trim();
                    let fence = text[..fence_len].to_string();
                    if info == "mermaid" {
                        open = Some((i + 1, start, fence, Vec::new()));
                    } else {
                        // Another fenced block: skip to its end.
                        open = Some((0, start, fence, Vec::new()));
                    }
                }
            }
            Some((line_no, block_start, fence, lines)) => {
                let closes = indent <= 3
                    && fence_len >= fence.len()
                    && text.starts_with(fence.as_str())
                    && text[fence_len..].trim().is_empty();
                if closes {
                    if *line_no > 0 {
                        found.push(Diagram {
                            line: *line_no,
                            source: normalise(&lines.join("\n")),
                            span: *block_start..start + bare.len(),
                        });
                    }
                    open = None;
                } else {
                    lines.push(bare);
                }
            }
        }
    }
    found
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
                    escape(&diagram.source)
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
    svg.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

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
