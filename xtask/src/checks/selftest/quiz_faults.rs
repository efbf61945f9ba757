//! Self-test faults for the “预测输出” questions: an expected output that
//! changes under a question, and a question that breaks one of the rules
//! (CONTRIBUTING.md “预测输出题”), must each fail the quiz check, naming
//! the quiz file and why, instead of leaving a stale or give-away question
//! in the book.

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
        Fault {
            what: "a quiz question whose stem states its answer (a time \
                   question that says how long B waits)",
            apply: |root| {
                edit(root, "quizzes/ch10.txt", |t| {
                    replace_once(
                        t,
                        "B 先等一段时间才开始倒数（等多久见 `main`）",
                        "B 先等 2 秒才开始倒数",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch10.txt:3:", "rule 1"],
        },
        Fault {
            what: "a quiz question with two choices",
            apply: |root| {
                edit(root, "quizzes/ch05.txt", |t| {
                    replace_once(t, "wrong: 2\nwrong: 4\n", "wrong: 4\n")
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch05.txt:8:", "rule 2"],
        },
        Fault {
            what: "a quiz question offering a wrong choice the page already \
                   shows above it",
            apply: |root| {
                edit(root, "quizzes/ch03.txt", |t| {
                    replace_once(t, "wrong: 1\n", "wrong: 0\n")
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch03.txt:3:", "rule 3", "already shown"],
        },
        Fault {
            what: "a quiz question about an order the chapter says tokio \
                   does not promise",
            apply: |root| {
                edit(root, "quizzes/ch06.txt", |t| {
                    replace_once(
                        t,
                        "after: T-minus 1 (A)\nwrong: T-minus 0 (A)\n",
                        "after: T-minus 3 (B)\n",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch06.txt", "rule 5", "not specified"],
        },
    ]
}
