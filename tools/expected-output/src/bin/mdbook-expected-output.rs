//! mdBook preprocessor: shows expected-output files as a reader's terminal
//! would, by replacing every `{{recorded | min..max}}` with `recorded`.
//!
//! It runs after mdBook's `links` preprocessor (see book.toml), so the
//! `{{#include}}`d output files are already part of the chapter text.
//! mdBook calls it twice: `supports <renderer>` (we support all), then with
//! `[context, book]` as JSON on stdin, expecting the book on stdout.

use serde_json::Value;
use std::io::{self, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-expected-output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let [_context, mut book]: [Value; 2] = serde_json::from_str(&input)?;
    rewrite_chapters(&mut book);
    io::stdout().write_all(serde_json::to_string(&book)?.as_bytes())?;
    Ok(())
}

/// Walks the book's JSON and rewrites every chapter's `content`. The walk is
/// generic so that it does not depend on the exact shape of mdBook's types.
fn rewrite_chapters(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter")
                && let Some(Value::String(content)) = chapter.get_mut("content")
            {
                *content = expected_output::render_chapter(content);
            }
            map.values_mut().for_each(rewrite_chapters);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_chapters),
        _ => {}
    }
}
