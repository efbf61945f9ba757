//! Building and serving the book with the pinned mdBook.

use crate::{Result, cmd, tools};
use std::fs;
use std::path::Path;

/// `mdbook build` into `book/`. Fails on a non-zero exit and on any ERROR or
/// WARN line in the log (mdBook logs some configuration errors, such as an
/// unknown `[output.html]` key, yet exits with 0 and drops the setting).
pub fn build(root: &Path) -> Result {
    let mut mdbook = tools::mdbook()?;
    let out = cmd::capture(mdbook.arg("build").current_dir(root))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{log}");
    let problems = log_problems(&log);
    if !out.status.success() {
        return Err(format!("mdbook build failed ({})", out.status).into());
    }
    if !problems.is_empty() {
        return Err(format!(
            "the book build (book.toml, src/) logged {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        )
        .into());
    }
    write_chapters(root)
}

/// Where the build leaves the book's chapter list for the browser tests
/// (`tests/book.js`): the pages of SUMMARY.md and their mermaid sources,
/// read by `expected_output::markdown` as mdBook reads them, so that the
/// tests parse no Markdown themselves.
pub const CHAPTERS_JSON: &str = "target/chapters.json";

/// Writes [`CHAPTERS_JSON`] from src/SUMMARY.md and the pages it lists.
fn write_chapters(root: &Path) -> Result {
    let src = root.join("src");
    let summary = fs::read_to_string(src.join("SUMMARY.md"))
        .map_err(|e| format!("src/SUMMARY.md: {e}"))?;
    let links = expected_output::markdown::summary(&summary);
    let mut read = |file: &str| {
        fs::read_to_string(src.join(file))
            .map_err(|e| format!("src/{file}: {e}"))
    };
    let json = expected_output::markdown::chapters_json(&links, &mut read)?;
    let path = root.join(CHAPTERS_JSON);
    fs::create_dir_all(path.parent().unwrap())?;
    fs::write(&path, json + "\n")
        .map_err(|e| format!("{CHAPTERS_JSON}: {e}"))?;
    Ok(())
}

/// ERROR and WARN lines of an mdBook log, each with the indented lines that
/// follow it (mdBook puts the cause there).
pub fn log_problems(log: &str) -> Vec<String> {
    let mut problems: Vec<String> = Vec::new();
    let mut in_problem = false;
    for line in log.lines() {
        let level = line.trim_start();
        let is_problem = level.starts_with("ERROR")
            || level.starts_with("WARN")
            || level.to_ascii_lowercase().starts_with("warning")
            || level.to_ascii_lowercase().starts_with("error");
        if is_problem {
            problems.push(format!("  | {line}"));
            in_problem = true;
        } else if in_problem && line.starts_with([' ', '\t']) {
            problems.push(format!("  | {line}"));
        } else {
            in_problem = false;
        }
    }
    problems
}

/// `mdbook serve` on localhost (live reload while you edit).
pub fn serve(root: &Path, port: u16) -> Result {
    let mut mdbook = tools::mdbook()?;
    println!("serving the book at http://localhost:{port}/ (Ctrl-C stops)");
    cmd::run(mdbook.current_dir(root).args([
        "serve",
        "--hostname",
        "localhost",
        "--port",
        &port.to_string(),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_warnings_are_found_with_their_causes() {
        let log = " INFO Book building has started\n\
                   ERROR Failed to deserialize `output.html`\n\
                   \tCaused by: unknown field `foo`\n\
                   \n INFO done\n WARN something odd\n";
        let problems = log_problems(log);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[1].contains("unknown field"));
        assert!(problems[2].contains("something odd"));
    }
}
