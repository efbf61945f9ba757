//! The site readers see: building and serving the book, and the browser
//! tests that run against the built pages.

pub mod audit;
pub mod book;
pub mod browser;
pub mod diagrams;
pub mod epub;
pub mod pdf;
pub mod serve_static;
