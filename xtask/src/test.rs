//! `cargo xtask test`: everything CI checks, in the order that fails
//! fastest. Every step runs even when an earlier one failed, so one run
//! shows all problems; the last line is `N passed, N failed`.

use crate::report::Report;
use crate::{Result, book, browser, cmd, copyout, outputs};
use std::path::Path;

pub fn run(root: &Path) -> Result {
    let mut report = Report::default();
    let cargo = |args: &[&str]| {
        let mut c = cmd::cargo();
        c.current_dir(root).args(args);
        cmd::run(&mut c)
    };
    report.record("rustfmt", cargo(&["fmt", "--all", "--check"]));
    report.record(
        "clippy",
        cargo(&[
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    report.record("unit tests", cargo(&["test", "--locked", "--workspace"]));
    report.merge(outputs::check(root, &[]));
    let built = book::build(root);
    let book_built = built.is_ok();
    report.record("book build", built);
    report.merge(browser::check(root, book_built));
    report.merge(copyout::check(root, &[]));
    report.finish()
}
