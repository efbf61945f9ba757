//! mdBook preprocessor: puts the diagrams rendered by `cargo xtask diagrams`
//! inline in the pages (both the light and the dark SVG; theme/site.css
//! shows the one that matches the theme), so no page loads mermaid.
//!
//! It only reads the committed files in `src/generated/diagrams/`, so it
//! works in `mdbook serve` with nothing but the Rust toolchain. A diagram
//! without its SVGs (new or edited since the last `cargo xtask diagrams`)
//! becomes `<pre class="mermaid">`, which theme/diagrams.js draws in the
//! browser; `cargo xtask test` fails until the SVGs are regenerated.

use expected_output::book_json::for_each_chapter;
use expected_output::diagrams::{self, Rendered};
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
            eprintln!("mdbook-diagrams: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let [context, mut book]: [Value; 2] = serde_json::from_str(&input)?;
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    let dir = root.join(src).join("generated").join("diagrams");
    rewrite_chapters(&mut book, &dir);
    io::stdout().write_all(serde_json::to_string(&book)?.as_bytes())?;
    Ok(())
}

fn lookup(dir: &Path, key: &str) -> Option<Rendered> {
    let [light, dark] = diagrams::file_names(key);
    Some(Rendered {
        light: std::fs::read_to_string(dir.join(light)).ok()?,
        dark: std::fs::read_to_string(dir.join(dark)).ok()?,
    })
}

/// Inlines the rendered diagrams in every chapter.
fn rewrite_chapters(book: &mut Value, dir: &Path) {
    for_each_chapter(book, &mut |path, content| {
        let (text, missing) = diagrams::inline(content, |k| lookup(dir, k));
        for d in missing {
            // Not a warning line: `mdbook serve` keeps working, and the
            // check in `cargo xtask test` names it.
            let shown = if path.is_empty() { "?" } else { path };
            eprintln!(
                "mdbook-diagrams: {shown}: the diagram at line {} has no \
                 rendered SVG; the browser draws it (run `cargo xtask \
                 diagrams`)",
                d.line
            );
        }
        *content = text;
    });
}
