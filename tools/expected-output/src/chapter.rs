//! How the book shows expected outputs: a clean terminal transcript, plus,
//! for a timed output, the recorded arrival times as data for the replay
//! (theme/replay.js). Only text included from an expected-output file is
//! rewritten; what a chapter writes itself is never touched.

use crate::markdown::{CodeBlock, Directive, Markdown};
use crate::{Band, header, parse_band, split_arrival, strip_bands};
use serde_json::json;

/// Whether `path` (as written in a `{{#include}}`) names an expected-output
/// file: a `.txt` file in a directory named `output`.
pub fn is_output_path(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    file.ends_with(".txt") && parts.next() == Some("output")
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
    let md = Markdown::parse(text);
    // The `{{#include}}`s of expected-output files, in order.
    let outputs: Vec<&Directive> = md
        .live_directives()
        .filter(|d| d.kind == "include" && d.path().is_some_and(is_output_path))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for block in md.blocks.iter().filter(|b| b.fenced) {
        let open = md.line_start(block.line);
        let body_start = md.line_end(open);
        let body_end =
            block.closing.as_ref().map_or(block.range.end, |c| c.start);
        // What the chapter writes between two blocks: each included
        // output shown with its bands as recorded values.
        for (piece, from_file) in
            expand(text, copied..open, &md, &outputs, read)?
        {
            if from_file {
                out.push_str(&strip_bands(&piece));
            } else {
                out.push_str(&piece);
            }
        }
        // A file's lines become lines of the block; a line that holds any
        // included text counts as included.
        let mut body: Vec<(String, bool)> = Vec::new();
        let mut current = (String::new(), false);
        for (piece, from_file) in
            expand(text, body_start..body_end, &md, &outputs, read)?
        {
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
        let open_line = &text[open..body_start];
        match &block.closing {
            Some(closing) => {
                let programs: Vec<&str> = md
                    .live_directives()
                    .filter(|d| {
                        body_start <= d.range.start && d.range.end <= body_end
                    })
                    .filter(|d| {
                        matches!(d.kind.as_str(), "include" | "rustdoc_include")
                    })
                    .filter_map(Directive::path)
                    .collect();
                out.push_str(&mark_long_run(open_line, block, &programs, read));
                out.push_str(&render_block(&body));
                let line = md.text(closing);
                out.push_str(line);
                if let Some(data) = timed_data(&body) {
                    if !line.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&format!(
                        "\n<script type=\"application/json\" \
                         class=\"timed-output\">{data}</script>\n\n"
                    ));
                }
                copied = closing.end;
            }
            None => {
                out.push_str(open_line);
                out.push_str(&render_block(&body));
                copied = body_end;
            }
        }
    }
    for (piece, from_file) in
        expand(text, copied..text.len(), &md, &outputs, read)?
    {
        if from_file {
            out.push_str(&strip_bands(&piece));
        } else {
            out.push_str(&piece);
        }
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
    block: &CodeBlock,
    programs: &[&str],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> String {
    if !block.is_rust() {
        return open.to_string();
    }
    let mut longest: f64 = 0.0;
    for path in programs {
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

/// `text[range]` cut into what the chapter wrote (`false`) and the text
/// of the expected-output files it includes (`true`). An error names the
/// line of the include.
fn expand(
    text: &str,
    range: std::ops::Range<usize>,
    md: &Markdown,
    outputs: &[&Directive],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Vec<(String, bool)>, String> {
    let mut pieces = Vec::new();
    let mut last = range.start;
    for d in outputs
        .iter()
        .filter(|d| range.start <= d.range.start && d.range.end <= range.end)
    {
        let at = |e: String| format!("line {}: {e}", md.line(d.range.start));
        if d.args.contains(':') {
            return Err(at(format!(
                "`{{{{#include {}}}}}`: an expected-output file is \
                 included whole (no anchor or line range)",
                d.args
            )));
        }
        pieces.push((text[last..d.range.start].to_string(), false));
        let mut file = read(&d.args).map_err(at)?;
        // mdBook's `links` drops the file's last newline the same way.
        if file.ends_with('\n') {
            file.pop();
        }
        pieces.push((file, true));
        last = d.range.end;
    }
    pieces.push((text[last..range.end].to_string(), false));
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
