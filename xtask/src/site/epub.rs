//! `cargo xtask epub`: the book as an EPUB 3 for e-readers,
//! `book/epub/python-coroutines-to-rust-async.epub`, made by pandoc from the
//! built pages (so the outputs are the clean terminal text the site shows,
//! bands and arrival stamps already stripped by the preprocessor), then
//! checked with epubcheck and by reading the EPUB back.
//!
//! From each chapter page in SUMMARY.md order (the progress page is left
//! out: it is a script-driven page) the `<main>` element is taken, minus
//! what needs scripts or a screen: the “预测输出” section, `<script>`
//! elements, the dark copy of each diagram and rustdoc's hidden lines. Each
//! inline SVG (diagrams and timelines) becomes an SVG file of the EPUB, so
//! the pictures stay vectors. Code wraps instead of being cut
//! (`theme/epub.css`).

use crate::{Result, cmd};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const FILE: &str = "epub/python-coroutines-to-rust-async.epub";

/// Builds the book, writes the EPUB, checks it and links it from every page.
pub fn run(root: &Path) -> Result {
    crate::site::book::build(root)?;
    let epub = write(root)?;
    check(root, &epub)?;
    link_from_pages(root)
}

/// The chapter pages of SUMMARY.md in order: (title, html file).
fn chapters(root: &Path) -> Result<Vec<(String, String)>> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md"))?;
    Ok(expected_output::markdown::summary(&summary)
        .into_iter()
        .filter(|link| !link.path.is_empty() && link.path != "progress.md")
        .map(|link| {
            let html = link.html();
            (link.title, html)
        })
        .collect())
}

/// Writes the EPUB from the built book (`book/`) with pandoc.
pub fn write(root: &Path) -> Result<PathBuf> {
    let book = root.join("book");
    let work = root.join("target/epub");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(work.join("svg"))?;
    let mut body = String::new();
    let mut svgs = 0;
    let pages = chapters(root)?;
    let stems: Vec<&str> = pages
        .iter()
        .map(|(_, f)| f.trim_end_matches(".html"))
        .collect();
    for (title, file) in &pages {
        let html = fs::read_to_string(book.join(file))
            .map_err(|e| format!("book/{file} ({title}): {e}"))?;
        let main = between(&html, "<main>", "</main>")
            .ok_or(format!("book/{file}: no <main> element"))?;
        let stem = file.trim_end_matches(".html");
        let main = relink(&clean(main), stem, &stems);
        writeln!(body, "<div id=\"{stem}\"></div>")?;
        body.push_str(&extract_svgs(root, &main, &work, &mut svgs)?);
        body.push('\n');
    }
    let title = book_title(root)?;
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>{title}</title></head><body>\n{body}</body></html>\n"
    );
    fs::write(work.join("book.html"), page)?;
    let out = book.join(FILE);
    fs::create_dir_all(out.parent().unwrap())?;
    let pandoc = cmd::capture(
        Command::new("pandoc")
            .current_dir(&work)
            .args(["book.html", "--from=html-smart", "--to=epub3", "--toc"])
            .args(["--toc-depth=2", "--epub-chapter-level=1"])
            .arg(format!("--css={}", root.join("theme/epub.css").display()))
            .arg(format!("--metadata=title:{title}"))
            // pandoc changes no quotes of its own (-smart), the table of
            // contents has a Chinese title.
            .args(["--metadata=lang:zh-CN", "--metadata=toc-title:目录"])
            .arg("--output")
            .arg(&out),
    )
    .map_err(|e| {
        format!("{e}\n(pandoc comes from Debian: apt-get install pandoc)")
    })?;
    if !pandoc.status.success() {
        return Err(format!(
            "pandoc failed ({}):\n{}",
            pandoc.status,
            String::from_utf8_lossy(&pandoc.stderr)
        )
        .into());
    }
    println!("wrote {} ({svgs} SVG pictures)", out.display());
    Ok(out)
}

fn book_title(root: &Path) -> Result<String> {
    let toml = fs::read_to_string(root.join("book.toml"))?;
    toml.lines()
        .find_map(|l| l.strip_prefix("title = \""))
        .map(|t| t.trim_end_matches('"').to_string())
        .ok_or("book.toml: no title".into())
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let to = from + s[from..].rfind(end)?;
    Some(&s[from..to])
}

/// The page content without what needs scripts or a screen.
fn clean(main: &str) -> String {
    let mut s = cut_between(main, "<!-- quiz -->", "<!-- /quiz -->");
    s = cut_between(&s, "<script", "</script>");
    s = cut_elements(&s, "<div class=\"diagram-dark\">", "div");
    s = cut_elements(&s, "<span class=\"boring\">", "span");
    s
}

/// One XHTML document needs unique ids: every id of a page gets the page's
/// name as prefix, and links between pages become links inside the book.
fn relink(html: &str, stem: &str, stems: &[&str]) -> String {
    let mut s = html.replace(" id=\"", &format!(" id=\"{stem}--"));
    s = s.replace("href=\"#", &format!("href=\"#{stem}--"));
    for other in stems {
        s = s
            .replace(
                &format!("href=\"{other}.html#"),
                &format!("href=\"#{other}--"),
            )
            .replace(
                &format!("href=\"{other}.html\""),
                &format!("href=\"#{other}\""),
            );
    }
    s
}

fn cut_between(s: &str, start: &str, end: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        match rest[i..].find(end) {
            Some(j) => rest = &rest[i + j + end.len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Removes each element that starts with `open`, up to its matching close
/// tag (nested elements of the same name are counted).
fn cut_elements(s: &str, open: &str, tag: &str) -> String {
    let (opening, closing) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let mut depth = 0;
        let mut at = i;
        loop {
            let next_open = rest[at + 1..].find(&opening).map(|k| k + at + 1);
            let next_close = rest[at..].find(&closing).map(|k| k + at);
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    at = o;
                }
                (_, Some(c)) if depth > 0 => {
                    depth -= 1;
                    at = c + 1;
                }
                (_, Some(c)) => {
                    rest = &rest[c + closing.len()..];
                    break;
                }
                _ => {
                    rest = "";
                    break;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Moves every inline `<svg>` into `svg/N.svg` and puts an `<img>` in its
/// place, with the SVG's accessible name as `alt`. The SVG is taken from
/// the file it was included from (mdBook re-serialises the page's HTML and
/// lowercases SVG's camel-case attributes such as `refX`): a diagram's
/// `src/generated/diagrams/KEY-light.svg`, a timeline's
/// `src/generated/timelines/*.svg` with the same `aria-label`. As XML for
/// epubcheck: mermaid's HTML `<br>` becomes `<br/>`, `&nbsp;` `&#160;`, and
/// its non-SVG `name` attributes go.
fn extract_svgs(
    root: &Path,
    html: &str,
    work: &Path,
    n: &mut usize,
) -> Result<String> {
    let timelines: Vec<String> = crate::walk::files_with_extension(
        &root.join("src/generated/timelines"),
        "svg",
    )
    .iter()
    .filter_map(|p| fs::read_to_string(p).ok())
    .collect();
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("</svg>").ok_or("an <svg> without </svg>")?
            + i
            + "</svg>".len();
        let inline = &rest[i..end];
        let label = attribute(inline, "aria-label");
        let diagram = out
            .rfind("data-diagram=\"")
            .filter(|&d| out.len() - d < 200)
            .map(|d| out[d + 14..].split('"').next().unwrap_or("").to_string());
        let original = match (&diagram, &label) {
            (Some(key), _) => fs::read_to_string(
                root.join(format!("src/generated/diagrams/{key}-light.svg")),
            )
            .ok(),
            (None, Some(label)) => timelines
                .iter()
                .find(|t| attribute(t, "aria-label").as_ref() == Some(label))
                .cloned(),
            _ => None,
        };
        if original.is_none() && label.is_none() && !inline.contains("<text") {
            // A decorative icon (mdBook's admonition icons): left out.
            rest = &rest[end..];
            continue;
        }
        let Some(svg) = original else {
            return Err(format!(
                "an inline SVG that is neither a diagram nor a timeline: {}",
                &inline[..inline.len().min(300)]
            )
            .into());
        };
        let mut svg = svg.replace("<br>", "<br/>").replace("&nbsp;", "&#160;");
        svg = xml_svg(&svg);
        if !svg[..svg.find('>').unwrap_or(0)].contains("xmlns=") {
            svg = svg.replacen(
                "<svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"",
                1,
            );
        }
        *n += 1;
        let name = format!("svg/{n}.svg");
        fs::write(
            work.join(&name),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
                svg.trim()
            ),
        )?;
        let alt = label
            .or_else(|| between(&svg, "<title>", "</title>").map(String::from))
            .unwrap_or_else(|| "图".to_string());
        write!(
            out,
            "<img src=\"{name}\" alt=\"{}\"/>",
            alt.replace('"', "&quot;")
        )?;
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// What EPUB's SVG schema rejects in mermaid's output: `name` on shapes,
/// ARIA roles other than `img`, `<p>` inside a label's `<span>`, and empty
/// `<rect/>` placeholders without a size (drawn as nothing anyway).
fn xml_svg(svg: &str) -> String {
    let mut s = cut_attribute(svg, " name=\"");
    s = cut_attribute(&s, " role=\"");
    s = s.replacen("<svg", "<svg role=\"img\"", 1);
    s = s.replace("<p>", "").replace("</p>", "");
    // SVG 2's `transform-origin` (the Gantt chart's bars: without it they
    // scale from the origin, and they are not scaled) and a size on
    // `<circle>` are not SVG 1.1.
    s = cut_attribute(&s, " transform-origin=\"");
    let mut circles = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("<circle ") {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j);
        circles.push_str(&rest[..i]);
        let tag = cut_attribute(&rest[i..end], " width=\"");
        circles.push_str(&cut_attribute(&tag, " height=\""));
        rest = &rest[end..];
    }
    circles.push_str(rest);
    s = circles;
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("<rect") {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j);
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        out.push_str("<rect");
        if !tag.contains(" width=") {
            out.push_str(" width=\"0\"");
        }
        if !tag.contains(" height=") {
            out.push_str(" height=\"0\"");
        }
        rest = &rest[i + 5..];
    }
    out.push_str(rest);
    out
}

fn cut_attribute(s: &str, start: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        let after = &rest[i + start.len()..];
        rest = after.find('"').map_or("", |j| &after[j + 1..]);
    }
    out.push_str(rest);
    out
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let head = &tag[..tag.find('>')?];
    let at = head.find(&format!("{name}=\""))? + name.len() + 2;
    Some(head[at..at + head[at..].find('"')?].to_string())
}

/// epubcheck (zero errors), then the EPUB read back: every chapter's title
/// in the table of contents in order, at least one SVG picture, the Chinese
/// text as text, no script, no bands or arrival stamps.
pub fn check(root: &Path, epub: &Path) -> Result {
    // Debian's /usr/bin/epubcheck is the jar itself, run through
    // binfmt_misc (jarwrapper), which containers often lack: run it with
    // java directly.
    let jar = std::env::var("EPUBCHECK_JAR")
        .unwrap_or_else(|_| "/usr/share/java/epubcheck.jar".to_string());
    let mut epubcheck = Command::new("java");
    epubcheck.arg("-jar").arg(&jar).arg(epub);
    let out = cmd::capture(&mut epubcheck).map_err(|e| {
        format!("{e}\n(epubcheck comes from Debian: apt-get install epubcheck)")
    })?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{log}");
    if !out.status.success() || log.contains("ERROR") || log.contains("FATAL") {
        return Err(format!("epubcheck rejects {}", epub.display()).into());
    }
    let unpacked = root.join("target/epub/unpacked");
    let _ = fs::remove_dir_all(&unpacked);
    cmd::run(
        Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(epub)
            .arg(&unpacked),
    )?;
    let files = crate::walk::files_with_extension(&unpacked, "xhtml");
    let mut text = String::new();
    for f in &files {
        text.push_str(&fs::read_to_string(f)?);
    }
    let nav = files
        .iter()
        .find(|f| f.file_name().is_some_and(|n| n == "nav.xhtml"))
        .map(fs::read_to_string)
        .transpose()?
        .unwrap_or_default();
    // A title with code (`send` 变成 `poll`) is `<code>send</code> 变成
    // <code>poll</code>` in the table of contents: compare its text.
    let nav = super::without_tags(&nav);
    let mut problems = Vec::new();
    let mut from = 0;
    for (title, file) in chapters(root)? {
        let plain = title.replace('`', "");
        let escaped = plain.replace('&', "&amp;").replace('\'', "&#39;");
        // mdBook's smart punctuation prints `'static` as `’static`.
        let curly = plain.replace('\'', "’");
        match [&plain, &escaped, &curly]
            .iter()
            .find_map(|t| nav[from..].find(t.as_str()))
        {
            Some(i) => from += i,
            None => problems.push(format!(
                "the table of contents lacks “{plain}” ({file}) or has it out of order"
            )),
        }
    }
    let svgs = crate::walk::files_with_extension(&unpacked, "svg").len();
    if svgs == 0 {
        problems.push("no SVG picture in the EPUB".to_string());
    }
    let css: String = crate::walk::files_with_extension(&unpacked, "css")
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .collect();
    if !css.contains("white-space: pre-wrap") {
        problems.push(
            "no `white-space: pre-wrap` for code: long lines would be cut"
                .to_string(),
        );
    }
    if !text.contains("事件循环") {
        problems.push("no Chinese text “事件循环” in the XHTML".to_string());
    }
    for (what, needle) in [
        ("a <script>", "<script"),
        ("an arrival stamp", "⟨@"),
        ("a quiz", "class=\"quiz"),
    ] {
        if text.contains(needle) {
            problems.push(format!("the EPUB contains {what}"));
        }
    }
    if has_stray_band(&text) {
        problems
            .push("the EPUB contains a band {{…}} outside inline code".into());
    }
    if !problems.is_empty() {
        return Err(
            format!("{}:\n{}", epub.display(), problems.join("\n")).into()
        );
    }
    println!(
        "EPUB ok: {} XHTML files, {svgs} SVG pictures, every chapter in the table of contents",
        files.len()
    );
    Ok(())
}

/// Puts an “EPUB” link beside the print button (and the PDF link) on every
/// built page, now that the EPUB exists.
pub fn link_from_pages(root: &Path) -> Result {
    const PRINT: &str = "print.html\" title=\"Print this book\"";
    let book = root.join("book");
    let mut linked = 0;
    for page in crate::walk::files_with_extension(&book, "html") {
        let html = fs::read_to_string(&page)?;
        let Some(at) = html.find(PRINT) else {
            continue;
        };
        if html.contains("class=\"epub-link\"") {
            continue;
        }
        let Some(start) = html[..at].rfind("<a href=\"") else {
            continue;
        };
        let to_root = &html[start + 9..at];
        let link = format!(
            "<a class=\"epub-link\" href=\"{to_root}{FILE}\" \
             title=\"下载 EPUB 电子书\" aria-label=\"下载 EPUB 电子书\">EPUB</a>\n"
        );
        fs::write(
            &page,
            format!("{}{link}{}", &html[..start], &html[start..]),
        )?;
        linked += 1;
    }
    println!("linked the EPUB from {linked} page(s)");
    Ok(())
}

/// Whether `{{` appears anywhere but in inline code: an output block (in a
/// `<pre>`) or prose with a band means the preprocessor missed it. Inline
/// code may show the syntax on purpose (the introduction explains it).
fn has_stray_band(text: &str) -> bool {
    text.match_indices("{{").any(|(at, _)| {
        let before = &text[..at];
        let open = |tag: &str, close: &str| {
            before
                .rfind(tag)
                .is_some_and(|o| before.rfind(close).is_none_or(|c| c < o))
        };
        open("<pre", "</pre>") || !open("<code", "</code>")
    })
}

#[cfg(test)]
mod band_tests {
    use super::has_stray_band;
    use crate::site::without_tags;

    #[test]
    fn a_title_with_code_is_compared_by_its_text() {
        let nav = "<li><a href=\"x\"><span><code>send</code> 变成 \
                   <code>poll</code></span></a></li>";
        assert_eq!(without_tags(nav), "send 变成 poll");
    }

    #[test]
    fn only_inline_code_may_show_a_band() {
        assert!(!has_stray_band(
            "<p>写成 <code>{{5.002s | 5s..6s}}</code></p>"
        ));
        assert!(has_stray_band(
            "<pre><code>total {{5.002s | 5s..6s}}</code></pre>"
        ));
        assert!(has_stray_band("<p>total {{5.002s | 5s..6s}}</p>"));
    }
}
