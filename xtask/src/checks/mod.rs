//! The checks, and `cargo xtask test`: everything CI checks, in the order that fails
//! fastest. Every step runs even when an earlier one failed, so one run
//! shows all problems. The summary shows how long each phase took; its
//! last line is `N passed, N failed`.

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
pub mod pyext;
pub mod python;
pub mod quizzes;
pub mod running;
pub mod same_as;
pub mod selftest;
pub mod sources;
pub mod timelines;

use crate::site::{book, browser};
use crate::{Result, cmd, listings};
use std::path::Path;

pub fn run(root: &Path) -> Result {
    let mut report = Report::default();
    report.phase("rustfmt, clippy");
    report.record("rustfmt", lint::rustfmt(root));
    report.record("clippy", lint::clippy(root));
    report.phase("unit tests");
    let mut unit_tests = cmd::cargo();
    unit_tests
        .current_dir(root)
        .args(["test", "--locked", "--workspace"]);
    report.record("unit tests", cmd::run(&mut unit_tests));
    report.phase("listings, Python programs, parity");
    let listings = listings::discover_into(&mut report, root, &[]);
    report.merge(programs::check_all(root, &listings, &[]));
    report.phase("graceful shutdown");
    report.merge(graceful::check(root));
    report.phase("listing tests");
    report.merge(listing_tests::check(root, &[]));
    report.phase("echo protocol");
    report.merge(protocol::check(root, &[]));
    report.phase("bench-net --quick");
    report.record("bench-net --quick", crate::author::bench_net::quick(root));
    report.phase("exercises");
    report.merge(crate::exercises::check::check(root, &[]));
    report.phase("sources, timelines, quizzes, code blocks, prose, figures");
    report.record("book sources", sources::check(root));
    report.record("copies marked SAME-AS", same_as::check(root));
    report.record("timelines", timelines::check(root));
    report.record("quizzes", quizzes::check(root));
    report.record("inline code blocks", code_blocks::check(root));
    report.record("prose words", prose::check(root));
    report.record("measured figures", figures::check(root));
    report.record("diagram SVGs", diagrams::check(root));
    report.phase("book build, links");
    let built = book::build(root);
    let book_built = built.is_ok();
    report.record("book build", built);
    report.record("book links", links::check(&root.join("book")));
    report.record(
        "no spaces inside Chinese sentences",
        cjk_breaks::check(&root.join("book")),
    );
    report.record("inline code as written", inline_code::check(root));
    report.phase("browser tests");
    report.merge(browser::check(root, book_built));
    // After the browser tests: printing adds nothing to the pages they see.
    report.phase("PDF");
    report.record(
        "PDF",
        if book_built {
            crate::site::pdf::print(root)
                .and_then(|pdf| crate::site::pdf::check(root, &pdf))
        } else {
            Err("not run: the book did not build".into())
        },
    );
    report.phase("EPUB");
    report.record(
        "EPUB",
        if book_built {
            crate::site::epub::write(root)
                .and_then(|epub| crate::site::epub::check(root, &epub))
        } else {
            Err("not run: the book did not build".into())
        },
    );
    report.phase("copy-out builds");
    report.merge(copyout::build_each(root, &listings));
    // Last: it proves that the checks above still catch what they should.
    report.phase("self-test");
    report.record("self-test", selftest::run(root));
    report.finish()
}
