//! Link check of the built book: every internal `href` must point at a page
//! that exists and, when it has a `#fragment`, at an `id` on that page.
//! External links (with a scheme such as `https:`) are not fetched: the
//! machines that build the book have no network.

use crate::{Result, walk};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Values of `attr="..."` in an HTML text.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let value = &html[i + needle.len()..];
            value.find('"').map(|end| &value[..end])
        })
        .collect()
}

/// Decodes `%E4%BA%8B`-style escapes, which browsers undo before matching
/// a fragment against an `id`.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| {
            u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        });
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks the HTML under `book_dir`; the error lists every broken link as
/// `page: href`.
pub fn check(book_dir: &Path) -> Result {
    let pages = walk::files_with_extension(book_dir, "html");
    if pages.is_empty() {
        return Err(format!(
            "{}: no HTML pages (build first)",
            book_dir.display()
        )
        .into());
    }
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut texts = Vec::new();
    for page in &pages {
        let html = fs::read_to_string(page)?;
        let page_ids = attribute_values(&html, "id")
            .into_iter()
            .map(|id| id.replace("&amp;", "&"))
            .collect();
        ids.insert(page.clone(), page_ids);
        texts.push((page.clone(), html));
    }
    let mut broken = Vec::new();
    for (page, html) in &texts {
        for href in attribute_values(html, "href") {
            let href = href.replace("&amp;", "&");
            let scheme = href.split_once(':').is_some_and(|(s, _)| {
                !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
            if scheme || href.starts_with("//") || href.is_empty() {
                continue;
            }
            let (path, fragment) = match href.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (href.as_str(), None),
            };
            let path = percent_decode(path.split('?').next().unwrap_or(""));
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(from_root) = path.strip_prefix('/') {
                // Root-relative, as in 404.html (`<base href="/">`).
                book_dir.join(from_root)
            } else {
                page.parent().unwrap().join(&path)
            };
            let target = normalize(&target);
            let shown_page = page.strip_prefix(book_dir).unwrap_or(page);
            let exists = target.is_file()
                || (target.is_dir() && target.join("index.html").is_file());
            if !exists {
                broken.push(format!(
                    "book/{}: link to {href}: no such file",
                    shown_page.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let fragment = percent_decode(fragment);
                let found =
                    ids.get(&target).is_some_and(|ids| ids.contains(&fragment));
                if !found && target.extension().is_some_and(|e| e == "html") {
                    broken.push(format!(
                        "book/{}: link to {href}: no element with id \
                         `{fragment}` there",
                        shown_page.display()
                    ));
                }
            }
        }
    }
    if broken.is_empty() {
        println!("    checked the links of {} pages", pages.len());
        Ok(())
    } else {
        Err(broken.join("\n").into())
    }
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_escapes() {
        let html = r#"<a href="a.html#x">a</a> <h2 id="事件">"#;
        assert_eq!(attribute_values(html, "href"), ["a.html#x"]);
        assert_eq!(attribute_values(html, "id"), ["事件"]);
        assert_eq!(percent_decode("%E4%BA%8B%E4%BB%B6"), "事件");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
