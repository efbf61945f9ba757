//! `cargo xtask diagrams`: renders every mermaid diagram of the book to
//! SVG (light and dark) in `src/generated/diagrams/`, keyed by a hash of
//! its source, with Chromium and the book's own mermaid
//! (`tests/tools/render-diagrams.js`). Only diagrams without SVGs are
//! drawn (`--all` redraws every one); SVGs no diagram uses are deleted.
//! The `mdbook-diagrams` preprocessor inlines them into the pages.

use crate::{Result, cmd, walk};
use expected_output::diagrams;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the rendered SVGs live (committed).
pub const DIR: &str = "src/generated/diagrams";

/// A diagram found in a chapter: its key, source and `file:line`.
pub struct Found {
    pub key: String,
    pub source: String,
    pub place: String,
}

/// Every diagram in the Markdown files under `src/`, in file order.
pub fn discover(root: &Path) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    for file in walk::files_with_extension(&root.join("src"), "md") {
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let rel = file.strip_prefix(root).unwrap_or(&file);
        for d in diagrams::find(&text) {
            found.push(Found {
                key: d.key(),
                source: d.source.clone(),
                place: format!("{}:{}", rel.display(), d.line),
            });
        }
    }
    Ok(found)
}

/// Whether both SVGs of `key` are in `dir`.
pub fn is_rendered(dir: &Path, key: &str) -> bool {
    diagrams::file_names(key)
        .iter()
        .all(|f| dir.join(f).is_file())
}

/// The SVG files in `dir` that no diagram uses.
pub fn orphans(dir: &Path, found: &[Found]) -> Vec<PathBuf> {
    let used: Vec<String> = found
        .iter()
        .flat_map(|d| diagrams::file_names(&d.key))
        .collect();
    walk::files_with_extension(dir, "svg")
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !used.iter().any(|u| *u == name)
        })
        .collect()
}

/// `cargo xtask diagrams [--all]`: `all` redraws the diagrams that
/// already have their SVGs too.
pub fn run(root: &Path, all: bool) -> Result {
    let dir = root.join(DIR);
    fs::create_dir_all(&dir)?;
    let found = discover(root)?;
    let mut jobs: BTreeMap<String, &Found> = BTreeMap::new();
    for d in &found {
        if all || !is_rendered(&dir, &d.key) {
            jobs.entry(d.key.clone()).or_insert(d);
        }
    }
    for orphan in orphans(&dir, &found) {
        println!("deleting {} (no diagram uses it)", orphan.display());
        fs::remove_file(&orphan)?;
    }
    if jobs.is_empty() {
        println!(
            "all {} diagram(s) have their SVGs in {DIR} (--all redraws them)",
            found.len()
        );
        return Ok(());
    }
    let tests = root.join("tests");
    crate::site::browser::prepare(&tests)?;
    let json = format!(
        "[{}]",
        jobs.values()
            .map(|d| format!(
                "{{\"key\":{},\"source\":{},\"where\":{}}}",
                json_string(&d.key),
                json_string(&d.source),
                json_string(&d.place)
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let jobs_file = cmd::target_dir(root).join("diagram-jobs.json");
    fs::create_dir_all(jobs_file.parent().unwrap_or(root))?;
    fs::write(&jobs_file, json)?;
    for d in jobs.values() {
        println!("drawing {} ({})", d.place, d.key);
    }
    cmd::run(
        Command::new("node")
            .current_dir(&tests)
            .arg("tools/render-diagrams.js")
            .arg(&jobs_file)
            .arg(&dir)
            .env("CHROMIUM", crate::site::browser::chromium()),
    )?;
    println!("commit {DIR}/ with the chapters");
    Ok(())
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_strings_escape_quotes_and_control_characters() {
        assert_eq!(
            super::json_string("a\"b\\\n\u{1}中"),
            r#""a\"b\\\n\u0001中""#
        );
    }
}
