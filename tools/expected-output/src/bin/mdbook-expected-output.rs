//! mdBook preprocessor: shows expected-output files as a reader's terminal
//! would. It includes them itself, replacing each `{{#include …/output/
//! NAME.txt}}` by the file's text with every `{{recorded | min..max}}`
//! shown as `recorded` (see `expected_output::render_chapter`); the
//! chapter's own text, prose and inline code, is left as written.
//!
//! It runs before mdBook's `links` preprocessor (see book.toml), which then
//! expands the other `{{#include}}`s. mdBook calls it twice: `supports
//! <renderer>` (we support all), then with `[context, book]` as JSON on
//! stdin, expecting the book on stdout.

use serde_json::Value;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
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
    let [context, mut book]: [Value; 2] = serde_json::from_str(&input)?;
    let root = context["root"].as_str().ok_or("context has no `root`")?;
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    rewrite_chapters(&mut book, &Path::new(root).join(src))?;
    io::stdout().write_all(serde_json::to_string(&book)?.as_bytes())?;
    Ok(())
}

/// Walks the book's JSON and rewrites every chapter's `content`. The walk is
/// generic so that it does not depend on the exact shape of mdBook's types.
fn rewrite_chapters(value: &mut Value, src: &Path) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                // Includes are relative to the chapter's own directory.
                let path = chapter
                    .get("path")
                    .and_then(Value::as_str)
                    .map(PathBuf::from);
                let dir = match &path {
                    Some(p) => src.join(p.parent().unwrap_or(Path::new(""))),
                    None => src.to_path_buf(),
                };
                if let Some(Value::String(content)) = chapter.get_mut("content")
                {
                    let mut read = |included: &str| {
                        let file = dir.join(included);
                        std::fs::read_to_string(&file).map_err(|e| {
                            format!("cannot include {}: {e}", file.display())
                        })
                    };
                    *content =
                        expected_output::render_chapter(content, &mut read)
                            .map_err(|e| {
                                let name = path
                                    .as_deref()
                                    .unwrap_or(Path::new("(draft)"));
                                format!("{}: {e}", src.join(name).display())
                            })?;
                }
            }
            map.values_mut().try_for_each(|v| rewrite_chapters(v, src))
        }
        Value::Array(items) => {
            items.iter_mut().try_for_each(|v| rewrite_chapters(v, src))
        }
        _ => Ok(()),
    }
}
