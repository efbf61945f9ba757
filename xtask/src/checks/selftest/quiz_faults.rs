//! Self-test faults for the “预测输出” questions: an expected output that
//! changes under a question, and a question that breaks one of the rules
//! (CONTRIBUTING.md “预测输出题”), must each fail the quiz check, naming
//! the quiz file and why, instead of leaving a stale or give-away question
//! in the book.

use super::{Fault, edit, messages, replace_once};
use crate::checks::quizzes;

const CH06_OUT: &str = "listings/ch06/python/output/countdown.txt";
const CH26_OUT: &str = "listings/ch26/output/countdown_iter.txt";

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
                edit(root, CH26_OUT, |t| replace_once(t, "1\ndone\n", "1\n"))
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch26.txt", CH26_OUT, "nothing comes next"],
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
                edit(root, "quizzes/ch02.txt", |t| {
                    replace_once(
                        t,
                        "wrong: 剩下的: []\n",
                        "wrong: next() -> Some(0)\n",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch02.txt:8:", "rule 3", "already shown"],
        },
        Fault {
            what: "a quiz question about an order the chapter says tokio \
                   does not promise",
            apply: |root| {
                edit(root, "quizzes/ch13.txt", |t| {
                    replace_once(
                        t,
                        "from: A 1 (thread main) #3\nto: B 3 (thread main) #3\n",
                        "from: B 1 (thread main) #2\nto: B 3 (thread main) #2\n",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch13.txt:12:", "rule 5", "not specified"],
        },
        Fault {
            what: "a Python output the chapter shows without saying whose \
                   twin it is (its lines, worded differently, could answer \
                   a question unnoticed)",
            apply: |root| {
                edit(root, "quizzes/ch22.txt", |t| {
                    replace_once(
                        t,
                        "twin ch22/python/output/queue_backpressure.txt\n\
                         of: ch22/output/bounded_channel.txt\n",
                        "",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &[
                "quizzes/ch22.txt:1:",
                "listings/ch22/python/output/queue_backpressure.txt",
                "whose twin",
            ],
        },
        Fault {
            what: "a quiz question answered by its Python twin's output, \
                   worded differently, shown before the program's code",
            apply: |root| {
                edit(root, "quizzes/ch20.txt", |t| {
                    replace_once(t, "except: drop worker's guard\n", "")
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch20.txt:", "rule 6", "before the code of"],
        },
        Fault {
            what: "a quiz question whose answer a code comment gives before \
                   the program's code (the original's `# Prints '84'`)",
            apply: |root| {
                edit(root, "quizzes/ch04.txt", |t| {
                    replace_once(
                        t,
                        "retired\n",
                        "next ch04/output/yield_from.txt\nask: 第二行是什么？\n\
                         after: 42\nwrong: None\nwrong: 168\n",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch04.txt:", "rule 6", "a code comment"],
        },
        Fault {
            what: "a quiz question about a program whose code the chapter \
                   never shows",
            apply: |root| {
                edit(root, "quizzes/ch24.txt", |t| {
                    replace_once(t, "code: ch24/src/bin/echo_tokio.rs\n", "")
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch24.txt:", "rule 6", "shows no code"],
        },
        Fault {
            what: "a quiz question the answer to the question above it on \
                   the same output gives away",
            apply: |root| {
                edit(root, "quizzes/ch10.txt", |t| {
                    replace_once(
                        t,
                        "from: B T-minus 2\nto: A T-minus 2\n",
                        "from: B starting\nto: A T-minus 3\n",
                    )
                })
            },
            check: |root| messages(quizzes::check(root)),
            names: &["quizzes/ch10.txt:", "rule 3", "answering ch10-1"],
        },
    ]
}
