//! The checks, and `cargo xtask test`: everything CI checks, in the order that fails
//! fastest. Every step runs even when an earlier one failed, so one run
//! shows all problems; the last line is `N passed, N failed`.

use crate::report::Report;
pub mod bench_venv;
pub mod cjk_breaks;
pub mod code_blocks;
pub mod copyout;
pub mod diagrams;
pub mod figures;
pub mod graceful;
pub mod inline_code;
pub mod links;
pub mod lint;
pub mod listing_tests;
pub mod outputs;
pub mod parity;
pub mod programs;
pub mod prose;
pub mod protocol;
pub mod python;
pub mod quizzes;
pub mod running;
pub mod selftest;
pub mod sources;
pub mod timelines;

use crate::site::{book, browser};
use crate::{Result, cmd, listings};
use std::path::Path;

pub fn run(root: &Path) -> Result {
    let mut report = Report::default();
    report.record("rustfmt", lint::rustfmt(root));
    report.record("clippy", lint::clippy(root));
    let mut unit_tests = cmd::cargo();
    unit_tests
        .current_dir(root)
        .args(["test", "--locked", "--workspace"]);
    report.record("unit tests", cmd::run(&mut unit_tests));
    let listings = listings::discover_into(&mut report, root, &[]);
    report.merge(programs::check_all(root, &listings, &[]));
    report.merge(graceful::check(root));
    report.merge(listing_tests::check(root, &[]));
    report.merge(protocol::check(root, &[]));
    report.record("bench-net --quick", crate::author::bench_net::quick(root));
    report.merge(crate::exercises::check::check(root, &[]));
    report.record("book sources", sources::check(root));
    report.record("timelines", timelines::check(root));
    report.record("quizzes", quizzes::check(root));
    report.record("inline code blocks", code_blocks::check(root));
    report.record("prose words", prose::check(root));
    report.record("measured figures", figures::check(root));
    report.record("diagram SVGs", diagrams::check(root));
    let built = book::build(root);
    let book_built = built.is_ok();
    report.record("book build", built);
    report.record("book links", links::check(&root.join("book")));
    report.record(
        "no spaces inside Chinese sentences",
        cjk_breaks::check(&root.join("book")),
    );
    report.record("inline code as written", inline_code::check(root));
    report.merge(browser::check(root, book_built));
    // After the browser tests: printing adds nothing to the pages they see.
    report.record(
        "PDF",
        if book_built {
            crate::site::pdf::print(root)
                .and_then(|pdf| crate::site::pdf::check(root, &pdf))
        } else {
            Err("not run: the book did not build".into())
        },
    );
    report.record(
        "EPUB",
        if book_built {
            crate::site::epub::write(root)
                .and_then(|epub| crate::site::epub::check(root, &epub))
        } else {
            Err("not run: the book did not build".into())
        },
    );
    report.merge(copyout::build_each(root, &listings));
    // Last: it proves that the checks above still catch what they should.
    report.record("self-test", selftest::run(root));
    report.finish()
}
