//! How the book shows expected outputs: a clean terminal transcript, plus,
//! for a timed output, the recorded arrival times as data for the replay
//! (theme/replay.js).

use crate::{Band, header, parse_band, split_arrival, strip_bands};
use serde_json::json;

/// Rewrites a chapter (after `{{#include}}`s are expanded): every
/// `{{recorded | min..max}}` becomes `recorded`; in a fenced code block
/// that holds a timed output, the `⟨recorded …⟩` header and the arrival
/// stamps are removed, and right after the block comes
///
/// ```html
/// <script type="application/json" class="timed-output">{"command": …,
/// "recorded": …, "lines": [{"t": 0.001, "text": "…"}, …]}</script>
/// ```
///
/// which the page's replay reads; it needs no request of its own.
pub fn render_chapter(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block: Option<(String, Vec<&str>)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        match &mut block {
            None => {
                out.push_str(line);
                let fence: String = trimmed
                    .chars()
                    .take_while(|&c| c == '`' || c == '~')
                    .collect();
                if fence.len() >= 3
                    && fence.chars().all(|c| c == fence.as_bytes()[0] as char)
                {
                    block = Some((fence, Vec::new()));
                }
            }
            Some((fence, body)) => {
                let closes = trimmed.starts_with(fence.as_str())
                    && trimmed[fence.len()..]
                        .trim_start_matches(fence.as_bytes()[0] as char)
                        .trim()
                        .is_empty();
                if closes {
                    out.push_str(&render_block(body));
                    out.push_str(line);
                    if let Some(data) = timed_data(body) {
                        if !line.ends_with('\n') {
                            out.push('\n');
                        }
                        out.push_str(&format!(
                            "\n<script type=\"application/json\" \
                             class=\"timed-output\">{data}</script>\n\n"
                        ));
                    }
                    block = None;
                } else {
                    body.push(line);
                }
            }
        }
    }
    if let Some((_, body)) = block {
        out.push_str(&body.concat());
    }
    strip_bands(&out)
}

/// A block's lines with headers and stamps removed.
fn render_block(body: &[&str]) -> String {
    if timed_data(body).is_none() {
        return body.concat();
    }
    let mut out = String::new();
    for line in body {
        let (content, newline) = split_newline(line);
        if header(content).is_some() {
            continue;
        }
        let text = match split_arrival(content) {
            Ok((text, Some(_))) => text,
            _ => content,
        };
        out.push_str(text);
        out.push_str(newline);
    }
    out
}

fn split_newline(line: &str) -> (&str, &str) {
    match line.strip_suffix('\n') {
        Some(l) => (l.strip_suffix('\r').unwrap_or(l), "\n"),
        None => (line, ""),
    }
}

fn stamp(line: &str) -> Option<Band> {
    match split_arrival(line) {
        Ok((_, Some(inner))) => parse_band(inner).ok(),
        _ => None,
    }
}

/// The replay's JSON for a block, if it holds a timed output.
fn timed_data(body: &[&str]) -> Option<String> {
    let lines: Vec<&str> = body.iter().map(|l| split_newline(l).0).collect();
    if !lines.iter().any(|l| stamp(l).is_some()) {
        return None;
    }
    let recorded = lines.iter().find_map(|l| header(l));
    let mut command = None;
    let mut timed = Vec::new();
    for line in &lines {
        if header(line).is_some() {
            continue;
        }
        match (stamp(line), split_arrival(line)) {
            (Some(band), Ok((text, _))) => timed.push(json!({
                "t": band.recorded.value,
                "text": strip_bands(text),
            })),
            _ if timed.is_empty() && command.is_none() => {
                command = Some(strip_bands(line));
            }
            _ => timed.push(json!({ "t": null, "text": strip_bands(line) })),
        }
    }
    let data = json!({
        "command": command,
        "recorded": recorded,
        "lines": timed,
    });
    // `<` escaped so that no text can close the <script> element.
    Some(data.to_string().replace('<', "\\u003c"))
}
