//! How the book shows expected outputs: a clean terminal transcript, plus,
//! for a timed output, the recorded arrival times as data for the replay
//! (theme/replay.js). Only text included from an expected-output file is
//! rewritten; what a chapter writes itself is never touched.

use crate::{Band, header, parse_band, split_arrival, strip_bands};
use serde_json::json;

/// A fenced block being read: its fence, its opening line, and its body as
/// (line, came from an expected-output file).
type OpenBlock = (String, String, Vec<(String, bool)>);

/// Whether `path` (as written in a `{{#include}}`) names an expected-output
/// file: a `.txt` file in a directory named `output`.
pub fn is_output_path(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    file.ends_with(".txt") && parts.next() == Some("output")
}

/// The `{{#include PATH}}` directives of a line that name an
/// expected-output file: `(byte range of the directive, PATH)`.
fn output_includes(line: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = line[from..].find("{{#include") {
        let start = from + at;
        let Some(len) = line[start..].find("}}") else {
            break;
        };
        let end = start + len + 2;
        let escaped = start > 0 && line.as_bytes()[start - 1] == b'\\';
        let path = line[start + "{{#include".len()..end - 2].trim();
        if !escaped && is_output_path(path.split(':').next().unwrap_or("")) {
            found.push((start..end, path));
        }
        from = end;
    }
    found
}

/// Rewrites a chapter *before* mdBook's `links` preprocessor expands its
/// `{{#include}}`s. Only the text of expected-output files is touched, at
/// the moment it is included (`read` gets the path as written and returns
/// the file's text): every `{{recorded | min..max}}` in it becomes
/// `recorded`; a fenced code block that holds a timed output loses the
/// `⟨recorded …⟩` header and the arrival stamps, and right after the block
/// comes
///
/// ```html
/// <script type="application/json" class="timed-output">{"command": …,
/// "recorded": …, "lines": [{"t": 0.001, "text": "…"}, …]}</script>
/// ```
///
/// which the page's replay reads; it needs no request of its own.
/// Everything the chapter writes itself, prose and inline code included,
/// is left exactly as written: a chapter may show `{{5.002s | 5s..6s}}`.
/// An error names the chapter's line (1-based) and why.
pub fn render_chapter(
    text: &str,
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut block: Option<OpenBlock> = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let expanded = expand(line, read)
            .map_err(|e| format!("line {}: {e}", index + 1))?;
        match &mut block {
            None => {
                let fence: String = trimmed
                    .chars()
                    .take_while(|&c| c == '`' || c == '~')
                    .collect();
                if fence.len() >= 3
                    && fence.chars().all(|c| c == fence.as_bytes()[0] as char)
                {
                    // Written when the block closes: its info string may
                    // get a mark.
                    block = Some((fence, line.to_string(), Vec::new()));
                    continue;
                }
                for (piece, from_file) in expanded {
                    if from_file {
                        out.push_str(&strip_bands(&piece));
                    } else {
                        out.push_str(&piece);
                    }
                }
            }
            Some((fence, open, body)) => {
                let closes = trimmed.starts_with(fence.as_str())
                    && trimmed[fence.len()..]
                        .trim_start_matches(fence.as_bytes()[0] as char)
                        .trim()
                        .is_empty();
                if closes {
                    out.push_str(&mark_long_run(open, body, read));
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
                    // A file's lines become lines of the block; a line
                    // that holds any included text counts as included.
                    let mut current = (String::new(), false);
                    for (piece, from_file) in expanded {
                        for l in piece.split_inclusive('\n') {
                            current.0.push_str(l);
                            current.1 |= from_file;
                            if l.ends_with('\n') {
                                body.push(std::mem::take(&mut current));
                            }
                        }
                    }
                    if !current.0.is_empty() {
                        body.push(current);
                    }
                }
            }
        }
    }
    if let Some((_, open, body)) = block {
        out.push_str(&open);
        out.push_str(&render_block(&body));
    }
    Ok(out)
}

/// Half the time the Rust Playground gives a job, compiling included
/// (rust-playground `ui/src/server_axum.rs`: `DOCKER_PROCESS_TIMEOUT_SOFT`
/// is 10 s): a program recorded running longer cannot be trusted to finish
/// there, so its block gets no Run button.
pub const PLAYGROUND_RUN_BUDGET_S: f64 = 5.0;

/// The opening line of a Rust block, with `,long-run-N` added to its info
/// string when the block shows a program (`src/bin/NAME.rs`) whose
/// expected output (`output/NAME.txt`) recorded it running longer than
/// [`PLAYGROUND_RUN_BUDGET_S`]; N is the recorded time, rounded to
/// whole seconds (nearest). theme/run.js shows "run it locally" for such a block.
fn mark_long_run(
    open: &str,
    body: &[(String, bool)],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> String {
    let info = open.trim().trim_start_matches(['`', '~']);
    if !(info == "rust" || info.starts_with("rust,")) {
        return open.to_string();
    }
    let mut longest: f64 = 0.0;
    for (line, _) in body {
        for directive in ["{{#include", "{{#rustdoc_include"] {
            let Some(at) = line.find(directive) else {
                continue;
            };
            let rest = &line[at + directive.len()..];
            let Some(end) = rest.find("}}") else { continue };
            let path = rest[..end].trim().split(':').next().unwrap_or("");
            let Some((dir, name)) = path.rsplit_once("/src/bin/") else {
                continue;
            };
            let Some(name) = name.strip_suffix(".rs") else {
                continue;
            };
            if let Ok(text) = read(&format!("{dir}/output/{name}.txt")) {
                longest = longest.max(recorded_seconds(&text));
            }
        }
    }
    if longest <= PLAYGROUND_RUN_BUDGET_S {
        return open.to_string();
    }
    let (content, newline) = split_newline(open);
    format!(
        "{},long-run-{}{newline}",
        content.trim_end(),
        longest.round() as u64
    )
}

/// The longest time an expected-output file recorded: its latest arrival
/// stamp, or its largest recorded duration (`{{8.003s | …}}`).
pub fn recorded_seconds(text: &str) -> f64 {
    let mut longest: f64 = 0.0;
    for line in text.lines() {
        if let Some(band) = stamp(line) {
            longest = longest.max(band.recorded.value);
        }
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            if let Ok(band) = parse_band(&after[..end])
                && band.recorded.kind == crate::Kind::Time
            {
                longest = longest.max(band.recorded.value);
            }
            rest = &after[end + 2..];
        }
    }
    longest
}

/// A line cut into what the chapter wrote (`false`) and the text of the
/// expected-output files it includes (`true`).
fn expand(
    line: &str,
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Vec<(String, bool)>, String> {
    let mut pieces = Vec::new();
    let mut last = 0;
    for (range, path) in output_includes(line) {
        if path.contains(':') {
            return Err(format!(
                "`{{{{#include {path}}}}}`: an expected-output file is \
                 included whole (no anchor or line range)"
            ));
        }
        pieces.push((line[last..range.start].to_string(), false));
        let mut file = read(path)?;
        // mdBook's `links` drops the file's last newline the same way.
        if file.ends_with('\n') {
            file.pop();
        }
        pieces.push((file, true));
        last = range.end;
    }
    pieces.push((line[last..].to_string(), false));
    pieces.retain(|(p, _)| !p.is_empty());
    Ok(pieces)
}

/// A block's lines with headers and stamps removed, and the bands of the
/// included lines shown as their recorded values. A block that includes no
/// expected-output file is left as written.
fn render_block(body: &[(String, bool)]) -> String {
    let timed = timed_data(body).is_some();
    let mut out = String::new();
    for (line, from_file) in body {
        if !from_file {
            out.push_str(line);
            continue;
        }
        let (content, newline) = split_newline(line);
        if timed && header(content).is_some() {
            continue;
        }
        let text = match split_arrival(content) {
            Ok((text, Some(_))) if timed => text,
            _ => content,
        };
        out.push_str(&strip_bands(text));
        out.push_str(newline);
    }
    out
}

/// Seconds to whole milliseconds, as the stamps are written (so that
/// 0.156 + 1.002 is 1.158 in the page, not 1.1580000000000001).
fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
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

/// The replay's JSON for a block, if it holds a timed output (stamps in
/// lines that came from an expected-output file).
fn timed_data(body: &[(String, bool)]) -> Option<String> {
    let lines: Vec<(&str, bool)> =
        body.iter().map(|(l, f)| (split_newline(l).0, *f)).collect();
    if !lines.iter().any(|&(l, f)| f && stamp(l).is_some()) {
        return None;
    }
    let head = lines.iter().find_map(|&(l, f)| header(l).filter(|_| f));
    // A Python output counts from its first line; the replay, like the
    // timelines, counts from the process start, so that no line shows up
    // before the time it prints. The note says it in the book's language:
    // when and where, and when the first line came; not the digest.
    let offset = crate::first_line_seconds(head).unwrap_or(0.0);
    let recorded = head.map(|h| {
        let parts = crate::parse_recorded(h);
        match parts.first_line_at {
            Some(at) => format!(
                "{}；从进程启动算起，第一行在 {} 秒出现",
                parts.when_where,
                at.trim_end_matches('s')
            ),
            None => parts.when_where.to_string(),
        }
    });
    let shown = |l: &str, f: bool| if f { strip_bands(l) } else { l.into() };
    let mut command = None;
    let mut timed = Vec::new();
    for &(line, from_file) in &lines {
        if from_file && header(line).is_some() {
            continue;
        }
        let band = if from_file { stamp(line) } else { None };
        match (band, split_arrival(line)) {
            (Some(band), Ok((text, _))) => timed.push(json!({
                "t": round_ms(band.recorded.value + offset),
                "text": shown(text, from_file),
            })),
            _ if timed.is_empty() && command.is_none() => {
                command = Some(shown(line, from_file));
            }
            _ => {
                timed.push(json!({ "t": null, "text": shown(line, from_file) }))
            }
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
