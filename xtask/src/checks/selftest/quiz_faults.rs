//! Self-test faults for the “预测输出” questions: an expected output that
//! changes under a question must fail the quiz check, naming the quiz file
//! and the output file, instead of leaving a stale question in the book.

use super::{Fault, edit, messages, replace_once};
use crate::checks::quizzes;

const CH06_OUT: &str = "listings/ch06/output/countdown.txt";
const CH03_OUT: &str = "listings/ch03/output/jumping_range.txt";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a quiz question whose output line changed under it",
            apply: |root| {
                edit(root, CH06_OUT, |t| {
                    replace_once(t, "T-minus 1 (B)", "T-minus 1 (C)")
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch06.txt", CH06_OUT, "no longer makes sense"],
        },
        Fault {
            what: "a quiz question about the next line when the output \
                   now ends there",
            apply: |root| {
                edit(root, CH03_OUT, |t| replace_once(t, "3\n4\n", "3\n"))
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch03.txt", CH03_OUT, "nothing comes next"],
        },
    ]
}
