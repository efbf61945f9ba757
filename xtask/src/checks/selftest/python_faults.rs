//! Self-test faults for the Python side, the Rust/Python parity pairs and
//! the prose checks (kept apart from the listing faults above them).

use super::{Fault, append, edit, messages, replace_once};
use crate::checks::{code_blocks, programs, prose, python};
use crate::listings;
use crate::report::Report;
use std::path::Path;

const CH03_PY_OUT: &str = "listings/ch03/python/output/jumping_range.txt";
const CH16_PY2: &str = "listings/ch16/python/coroutine_ab_py2.py";
const CH16_PY2_OUT: &str = "listings/ch16/python/output/coroutine_ab_py2.txt";
const CH16_PY: &str = "listings/ch16/python/coroutine_ab.py";
const CH16_PY_OUT: &str = "listings/ch16/python/output/coroutine_ab.txt";
const CH16_RS: &str = "listings/ch16/src/bin/coroutine_ab.rs";
const CH03_PAGE: &str = "src/ch03-send.md";
const CH28_LIB: &str = "listings/ch28/src/lib.rs";
const CH28_CANCEL_OUT: &str = "listings/ch28/python/output/cancel_drop.txt";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a changed line in a Python expected output",
            apply: |root| {
                edit(root, CH03_PY_OUT, |t| replace_once(t, "\n2\n", "\n5\n"))
            },
            check: |root| python_check(root, "ch03"),
            names: &[CH03_PY_OUT, "expected:"],
        },
        Fault {
            what: "a Python original that runs although the chapter says \
                   it fails",
            apply: |root| {
                // Python 2's `print 'x'` made valid Python 3.
                edit(root, CH16_PY2, |t| {
                    Ok(t.lines()
                        .map(|l| match l.split_once("print '") {
                            Some((indent, rest)) => {
                                format!("{indent}print('{})\n", rest.trim_end())
                            }
                            None => format!("{l}\n"),
                        })
                        .collect())
                })
            },
            check: |root| python_check(root, "ch16"),
            names: &[CH16_PY2_OUT, "expected to fail"],
        },
        Fault {
            what: "a Rust/Python parity pair whose lines differ",
            apply: |root| {
                // Both the program and its expected output change, so the
                // Python program passes its own check: only parity fails.
                edit(root, CH16_PY, |t| {
                    replace_once(t, "print('y')", "print('Y')")
                })?;
                edit(root, CH16_PY_OUT, |t| replace_once(t, "\ny\n", "\nY\n"))
            },
            check: |root| {
                let only = ["ch16".to_string()];
                let mut report = Report::default();
                let ch16 = listings::discover_into(&mut report, root, &only);
                report.merge(programs::check_all(root, &ch16, &only));
                report.failure_messages()
            },
            names: &[CH16_PY, CH16_RS, "output line 4: Y"],
        },
        Fault {
            what: "a Rust future not dropped on cancel (chapter 28's \
                   extension module leaks what cancelling must drop)",
            apply: |root| {
                edit(root, CH28_LIB, |t| {
                    replace_once(
                        t,
                        "let _guard = Guard(name);",
                        "std::mem::forget(Guard(name));",
                    )
                })
            },
            check: |root| python_check(root, "ch28"),
            names: &[CH28_CANCEL_OUT, "Guard(task)：drop"],
        },
        Fault {
            what: "a compile_fail block without an error code",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "```rust,compile_fail\nfn main() { let x: u8 = \"no\"; }\n```",
                )
            },
            check: |root| messages(code_blocks::check(root)),
            names: &[CH03_PAGE, "without an error code", "E0308"],
        },
        Fault {
            what: "a bare `poll` used as a verb in prose",
            apply: |root| {
                append(root, CH03_PAGE, "执行器再 poll 一次这个任务。")
            },
            check: |root| messages(prose::check(root)),
            names: &[CH03_PAGE, "`poll` used as a Chinese word", "轮询"],
        },
    ]
}

fn python_check(root: &Path, chapter: &str) -> Vec<String> {
    python::check(root, &[chapter.to_string()]).failure_messages()
}
