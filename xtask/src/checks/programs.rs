//! Every program the book runs, checked together: the Rust listings
//! (outputs.rs), the Python programs (python.rs) and the Rust/Python
//! parity pairs between them (parity.rs), which compares what the first two
//! collected. The three share running.rs and do not import each other.

use super::{outputs, parity, python};
use crate::Result;
use crate::listings::{self, Listing};
use crate::report::Report;
use std::path::Path;

/// `cargo xtask listings [chNN..]`.
/// The Python programs and the Rust/Python parity pairs of the same chapters
/// run too.
pub fn run_selected(root: &Path, only: &[String]) -> Result {
    let mut report = Report::default();
    let only = parity::with_partners(root, only);
    let listings = listings::discover_into(&mut report, root, &only);
    report.merge(check_all(root, &listings, &only));
    report.finish()
}

/// The Rust listings, the Python programs and the parity pairs between
/// them, for the chapters in `only` (all when empty): what
/// `cargo xtask listings` and `cargo xtask test` run.
pub fn check_all(root: &Path, listings: &[Listing], only: &[String]) -> Report {
    let mut report = Report::default();
    let (rust, rust_outputs) = outputs::run_collecting(root, listings);
    report.merge(rust);
    let (python, python_outputs) = python::run(root, only);
    report.merge(python);
    report.merge(parity::check(root, &rust_outputs, &python_outputs, only));
    report
}
