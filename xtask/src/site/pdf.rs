//! `cargo xtask pdf`: prints the built book's print.html to
//! `book/pdf/python-coroutines-to-rust-async.pdf` with Chromium
//! (`tests/tools/print-pdf.js`, Playwright's `page.pdf`), then checks the
//! result with poppler-utils: pages, the Chinese text (事件循环) as text,
//! embedded fonts, the outline, and no code line cut at the page edge.

use crate::site::serve_static::Server;
use crate::{Result, cmd};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const FILE: &str = "pdf/python-coroutines-to-rust-async.pdf";

/// Builds the book, prints it and checks the PDF.
pub fn run(root: &Path) -> Result {
    crate::site::book::build(root)?;
    let pdf = print(root)?;
    check(root, &pdf)?;
    link_from_pages(root)
}

/// Puts a “PDF” link beside mdBook's print button on every built page, now
/// that the PDF exists (a plain `mdbook build` has no PDF and no link).
pub fn link_from_pages(root: &Path) -> Result {
    const PRINT: &str = "print.html\" title=\"Print this book\"";
    let book = root.join("book");
    let mut linked = 0;
    for page in crate::walk::files_with_extension(&book, "html") {
        let html = std::fs::read_to_string(&page)?;
        let Some(at) = html.find(PRINT) else {
            continue;
        };
        if html.contains("class=\"pdf-link\"") {
            continue;
        }
        // `<a href="{path_to_root}print.html" ...>`: the link starts at the
        // last `<a href="` before the match.
        let Some(start) = html[..at].rfind("<a href=\"") else {
            continue;
        };
        let to_root = &html[start + 9..at];
        let link = format!(
            "<a class=\"pdf-link\" href=\"{to_root}{FILE}\" \
             title=\"下载 PDF 版\" aria-label=\"下载 PDF 版\">PDF</a>\n"
        );
        let new = format!("{}{link}{}", &html[..start], &html[start..]);
        std::fs::write(&page, new)?;
        linked += 1;
    }
    println!("linked the PDF from {linked} page(s)");
    Ok(())
}

/// Prints book/print.html (the book must be built) to [`FILE`].
pub fn print(root: &Path) -> Result<PathBuf> {
    let book = root.join("book");
    let out = book.join(FILE);
    std::fs::create_dir_all(out.parent().unwrap_or(&book))?;
    let tests = root.join("tests");
    crate::site::browser::prepare(&tests)?;
    let server = Server::start(&book)?;
    cmd::run(
        Command::new("node")
            .current_dir(&tests)
            .arg("tools/print-pdf.js")
            .arg(format!("{}print.html", server.url()))
            .arg(&out)
            .env("CHROMIUM", crate::site::browser::chromium()),
    )?;
    drop(server);
    Ok(out)
}

fn tool_output(program: &str, args: &[&str]) -> Result<String> {
    let out = cmd::capture(Command::new(program).args(args)).map_err(|e| {
        format!("{e} (install Debian's poppler-utils for {program})")
    })?;
    if !out.status.success() {
        return Err(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What the PDF must be: see the module comment.
pub fn check(root: &Path, pdf: &Path) -> Result {
    let path = pdf.to_string_lossy().into_owned();
    let rel = pdf.strip_prefix(root).unwrap_or(pdf).display().to_string();
    let info = tool_output("pdfinfo", &[&path])?;
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("{rel}: pdfinfo reports no page count"))?;
    let mut problems = Vec::new();
    if pages < 50 {
        problems
            .push(format!("{rel}: only {pages} pages (expected 50 or more)"));
    }
    let text = tool_output("pdftotext", &["-layout", &path, "-"])?;
    if !text.contains("事件循环") {
        problems.push(format!("{rel}: pdftotext finds no 事件循环"));
    }
    // A book printed before its page settled ends early: the last page of
    // SUMMARY.md must be in it.
    let summary = std::fs::read_to_string(root.join("src/SUMMARY.md"))?;
    if let Some(last) = expected_output::markdown::summary(&summary)
        .pop()
        .map(|link| link.title)
        && !text
            .split_whitespace()
            .collect::<String>()
            .contains(&last.split_whitespace().collect::<String>())
    {
        problems.push(format!(
            "{rel}: the book's last page “{last}” is not in the PDF (printed before the page settled?)"
        ));
    }
    // Chromium (Skia) embeds the Noto CJK glyphs as Type 3 fonts, which
    // pdffonts lists without a name: what matters is that every font is
    // embedded and that the Chinese text above comes back as text.
    let fonts = tool_output("pdffonts", &[&path])?;
    let not_embedded: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.len() >= 5 && cols[cols.len() - 5] != "yes"
        })
        .collect();
    if !not_embedded.is_empty() {
        problems.push(format!(
            "{rel}: fonts not embedded:\n{}",
            not_embedded.join("\n")
        ));
    }
    let outline =
        tool_output("pdfinfo", &["-dests", &path]).unwrap_or_default();
    let bookmarks = count_outline(pdf)?;
    if bookmarks < 17 {
        problems.push(format!(
            "{rel}: the outline has {bookmarks} entries (expected one per chapter at least)"
        ));
    }
    let cut = cut_code_lines(root, &text);
    if !cut.is_empty() {
        problems.push(format!(
            "{rel}: code lines missing from the PDF text (cut at the page edge?):\n{}",
            cut.join("\n")
        ));
    }
    let size = std::fs::metadata(pdf)?.len();
    println!(
        "{rel}: {pages} pages, {:.1} MiB, {bookmarks} outline entries, {} named destinations",
        size as f64 / 1048576.0,
        outline.lines().count().saturating_sub(1)
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// Outline entries: `/Title` keys of outline items, counted in the raw
/// file (Chromium writes the outline uncompressed).
fn count_outline(pdf: &Path) -> Result<usize> {
    let bytes = std::fs::read(pdf)?;
    let has_outlines = contains(&bytes, b"/Outlines");
    if !has_outlines {
        return Ok(0);
    }
    Ok(count(&bytes, b"/Title") - usize::from(contains(&bytes, b"/Info")))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The longest line (over 60 characters) of every code block in
/// print.html, looked up in the PDF text with all whitespace removed: a
/// wrapped line comes back in pieces, a line cut at the page edge loses
/// its end. Hidden (`boring`) lines are not printed and not checked.
fn cut_code_lines(root: &Path, text: &str) -> Vec<String> {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let all = squash(text);
    let html = std::fs::read_to_string(root.join("book/print.html"))
        .unwrap_or_default();
    let mut missing = Vec::new();
    for block in html.split("<pre><code").skip(1) {
        let Some((_, rest)) = block.split_once('>') else {
            continue;
        };
        let code = rest.split("</code>").next().unwrap_or("");
        let mut plain = String::new();
        let mut rest = code;
        // Drop hidden lines, then every tag.
        while let Some(i) = rest.find("<span class=\"boring\">") {
            plain.push_str(&rest[..i]);
            rest = rest[i..].split_once("</span>").map_or("", |(_, r)| r);
        }
        plain.push_str(rest);
        let decoded = super::without_tags(&plain)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        let longest = decoded.lines().max_by_key(|l| l.chars().count());
        if let Some(line) = longest
            && line.trim().chars().count() > 60
            && !all.contains(&squash(line))
            && !runs_all_present(line, &all)
        {
            missing.push(format!("  {}", line.trim()));
        }
    }
    missing
}

/// Whether every run of the line, split where the script changes between
/// ASCII and other characters, appears in the PDF text. pdftotext puts the
/// CJK and Latin runs of a mixed line in another order (they are set in
/// different fonts), so such a line is found only run by run; a line cut
/// at the page edge still loses its last run.
fn runs_all_present(line: &str, all: &str) -> bool {
    let squashed: String = line.split_whitespace().collect();
    let mut runs: Vec<String> = Vec::new();
    for c in squashed.chars() {
        match runs.last_mut() {
            Some(run)
                if run.ends_with(|p: char| p.is_ascii() == c.is_ascii()) =>
            {
                run.push(c);
            }
            _ => runs.push(c.to_string()),
        }
    }
    runs.iter().all(|run| all.contains(run.as_str()))
}

#[cfg(test)]
mod tests {
    use super::runs_all_present;

    #[test]
    fn a_mixed_line_is_found_run_by_run_but_a_cut_one_is_not() {
        let pdf = "照jumping_range写完：收到，每次最多跳{first:?}，到{max_jump}{up_to}为止\")";
        let line = "\"照 jumping_range 写完：收到 {first:?}，每次最多跳 {max_jump}，到 {up_to} 为止\")";
        assert!(runs_all_present(line, pdf));
        let cut =
            "照jumping_range写完：收到，每次最多跳{first:?}，到{max_jump}";
        assert!(!runs_all_present(line, cut));
    }
}
