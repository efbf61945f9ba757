//! mdBook preprocessor: removes the line breaks between two Chinese
//! characters in the chapters' prose, which Chromium would show as spaces
//! (see `expected_output::cjk`). It runs after `links`, so prose that a
//! chapter includes from another file is joined too.

use expected_output::book_json::for_each_chapter;
use expected_output::cjk;
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
            eprintln!("mdbook-cjk-lines: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let [_context, mut book]: [Value; 2] = serde_json::from_str(&input)?;
    for_each_chapter(&mut book, &mut |_, content| {
        *content = cjk::join_lines(content);
    });
    io::stdout().write_all(serde_json::to_string(&book)?.as_bytes())?;
    Ok(())
}
