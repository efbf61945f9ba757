//! The site readers see: building and serving the book, and the browser
//! tests that run against the built pages.

pub mod audit;
pub mod book;
pub mod browser;
pub mod diagrams;
pub mod epub;
pub mod pdf;
pub mod serve_static;

/// The text of an HTML or XHTML fragment: everything outside `<...>`
/// (entities are left as they are).
pub fn without_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
