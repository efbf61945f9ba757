//! `cargo xtask selftest`: proves that the checks catch what they promise
//! to catch. Each fault is applied to a fresh temporary copy of the
//! repository (never to the working tree), the check that should catch it
//! runs on that copy, and the fault counts as caught only if the check
//! fails with a message naming the file at fault.

use super::{
    code_blocks, copyout, diagrams, links, lint, outputs, same_as, sources,
    timelines,
};
use crate::Result;
use crate::report::Report;
use crate::site::book;
use std::fs;
use std::path::Path;

mod bench_net_faults;
mod figures_faults;
mod protocol_faults;
mod python_faults;
mod quiz_faults;
mod recording_faults;
mod shutdown_faults;

/// Applies a fault to the copy at the given root.
type Apply = fn(&Path) -> Result;
/// Runs a check on a root; returns its failure messages (none = passed).
type Check = fn(&Path) -> Vec<String>;

struct Fault {
    what: &'static str,
    apply: Apply,
    check: Check,
    /// One failure message must contain all of these: the file at fault
    /// (relative to the root) and a word that says why.
    names: &'static [&'static str],
}

// The faults use listing 3-1 (short, untimed) and listing 10-1 (timed):
// both are core listings of the book.
const CH03_BIN: &str = "listings/ch03/src/bin/jumping_range.rs";
const CH03_OUT: &str = "listings/ch03/output/jumping_range.txt";
const CH03_MANIFEST: &str = "listings/ch03/Cargo.toml";
const CH03_PAGE: &str = "src/ch03-send.md";
const CH10_BIN: &str = "listings/ch10/src/bin/sleeping_loop.rs";
const CH10_OUT: &str = "listings/ch10/output/sleeping_loop.txt";
// And exercise 2-1 (short, untimed).
const EX_STARTER: &str = "listings/ch02/examples/step_range.rs";
const EX_SOLUTION: &str = "listings/ch02/examples/step_range_solution.rs";
const CH10_TIMELINE: &str = "src/generated/timelines/ch10-sleeping_loop.svg";
// Chapter 18 repeats chapter 10's `countdown`, marked `SAME-AS`.
const CH18_BIN: &str = "listings/ch18/src/bin/wake_loop.rs";

fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a changed digit in an expected output",
            apply: |root| edit(root, CH03_OUT, |t| change_first_digit(t, 2)),
            check: ch03_listing,
            names: &[CH03_OUT, "expected:"],
        },
        Fault {
            what: "a swapped pair of output lines",
            apply: |root| edit(root, CH03_OUT, |t| swap_lines(t, 1, 2)),
            check: ch03_listing,
            names: &[CH03_OUT, "expected:"],
        },
        Fault {
            what: "an expected-output file removed",
            apply: |root| Ok(fs::remove_file(root.join(CH03_OUT))?),
            check: ch03_listing,
            names: &[CH03_BIN, "without expected output"],
        },
        Fault {
            what: "a program with no expected output",
            apply: |root| {
                let orphan = root.join("listings/ch03/src/bin/orphan.rs");
                Ok(fs::write(orphan, "fn main() {}\n")?)
            },
            check: ch03_listing,
            names: &[
                "listings/ch03/src/bin/orphan.rs",
                "without expected output",
            ],
        },
        Fault {
            what: "a listing that panics",
            apply: |root| at_start_of_main(root, "panic!(\"injected fault\");"),
            check: ch03_listing,
            names: &[CH03_BIN, "injected fault"],
        },
        Fault {
            what: "a listing that exits non-zero",
            apply: |root| at_start_of_main(root, "std::process::exit(3);"),
            check: ch03_listing,
            names: &[CH03_BIN, "exit status: 3"],
        },
        Fault {
            what: "a listing that hangs (killed after the timeout)",
            apply: |root| {
                at_start_of_main(
                    root,
                    "loop { std::thread::sleep(std::time::Duration::MAX) }",
                )
            },
            check: |root| with_timeout("3", || ch03_listing(root)),
            names: &[CH03_BIN, "killed"],
        },
        Fault {
            what: "a timed listing made 50% slower",
            apply: |root| scale_ch10_sleeps(root, "* 3 / 2"),
            check: ch10_listing,
            names: &[CH10_OUT, "above the band's maximum"],
        },
        Fault {
            what: "a timed listing made to finish early",
            apply: |root| scale_ch10_sleeps(root, "* 4 / 5"),
            check: ch10_listing,
            names: &[CH10_OUT, "earlier than the ideal time"],
        },
        Fault {
            what: "a reference solution whose output drifts",
            apply: |root| {
                edit(root, EX_SOLUTION, |t| {
                    replace_once(t, "Some(value)\n", "Some(value + 1)\n")
                })
            },
            check: ch02_exercises,
            names: &[EX_SOLUTION, "fails its check", "expected:"],
        },
        Fault {
            what: "an untouched starter that already passes",
            apply: |root| {
                Ok(fs::copy(root.join(EX_SOLUTION), root.join(EX_STARTER))
                    .map(drop)?)
            },
            check: ch02_exercises,
            names: &[EX_STARTER, "already passes"],
        },
        Fault {
            what: "a starter that differs from its solution outside the \
                   marked regions",
            apply: |root| {
                edit(root, EX_STARTER, |t| {
                    replace_once(
                        t,
                        "step_range(0, 10, 2)",
                        "step_range(0, 12, 2)",
                    )
                })
            },
            check: ch02_exercises,
            names: &[EX_STARTER, "differ outside"],
        },
        Fault {
            what: "a timed listing that prints everything at the end",
            apply: buffer_ch10_output,
            check: ch10_listing,
            names: &[CH10_OUT, "the line arrived at", "above the band's"],
        },
        Fault {
            what: "one line of a timed listing 1 s late, its text unchanged",
            apply: |root| {
                edit(root, CH10_BIN, |t| {
                    replace_once(
                        t,
                        "    println!(\"{label} lift-off!\");",
                        "    if label == \"C\" {\n        \
                         thread::sleep(Duration::from_secs(1));\n    }\n    \
                         println!(\"{label} lift-off!\");",
                    )
                })
            },
            check: ch10_listing,
            names: &[CH10_OUT, "C lift-off!", "the line arrived at"],
        },
        Fault {
            what: "a timeline not redrawn after its output was re-recorded",
            apply: |root| {
                edit(root, CH10_OUT, |t| {
                    replace_once(t, "T-minus 4  ⟨@1.0", "T-minus 4  ⟨@1.2")
                })
            },
            check: |root| messages(timelines::check(root)),
            names: &[CH10_TIMELINE, "stale", CH10_OUT],
        },
        Fault {
            what: "an {{#include}} of a missing file",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "{{#include ../listings/ch03/nope.txt}}",
                )
            },
            check: |root| messages(sources::check(root)),
            names: &[CH03_PAGE, "does not exist"],
        },
        Fault {
            what: "an {{#include}} of a missing anchor",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "{{#include ../listings/ch03/src/bin/jumping_range.rs:nope}}",
                )
            },
            check: |root| messages(sources::check(root)),
            names: &[CH03_PAGE, "ANCHOR: nope"],
        },
        Fault {
            what: "a copy marked SAME-AS edited, its original not",
            apply: |root| {
                edit(root, CH18_BIN, |t| {
                    replace_once(t, "lift-off!", "liftoff!")
                })
            },
            check: |root| messages(same_as::check(root)),
            names: &[CH18_BIN, CH10_BIN, "not the same as"],
        },
        Fault {
            what: "an original edited, its copy marked SAME-AS not",
            apply: |root| {
                edit(root, CH10_BIN, |t| {
                    replace_once(
                        t,
                        "let _waited = sleep(1)",
                        "let _w = sleep(1)",
                    )
                })
            },
            check: |root| messages(same_as::check(root)),
            names: &[CH18_BIN, CH10_BIN, "not the same as"],
        },
        Fault {
            what: "a compile_fail block that compiles",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "```rust,compile_fail\nfn main() {}\n```",
                )
            },
            check: |root| messages(code_blocks::check(root)),
            names: &[CH03_PAGE, "compile_fail block that compiles"],
        },
        Fault {
            what: "an inline Rust block that does not compile",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "```rust\nfn main() { let x: u8 = \"no\"; }\n```",
                )
            },
            check: |root| messages(code_blocks::check(root)),
            names: &[CH03_PAGE, "does not compile"],
        },
        Fault {
            what: "a broken internal link",
            apply: |root| append(root, CH03_PAGE, "[坏链接](no-such-page.md)"),
            check: built_links,
            names: &["book/ch03-send.html", "no-such-page.html"],
        },
        Fault {
            what: "a broken #anchor",
            apply: |root| {
                append(
                    root,
                    CH03_PAGE,
                    "[坏锚点](ch03-send.md#no-such-heading)",
                )
            },
            check: built_links,
            names: &["book/ch03-send.html", "no-such-heading"],
        },
        Fault {
            what: "a chapter file missing from SUMMARY.md",
            apply: |root| {
                edit(root, "src/SUMMARY.md", |t| {
                    drop_lines_containing(t, "(ch03-send.md)")
                })
            },
            check: |root| messages(sources::check(root)),
            names: &[CH03_PAGE, "not in src/SUMMARY.md"],
        },
        Fault {
            what: "a path dependency in a listing",
            apply: |root| {
                append(root, CH03_MANIFEST, "ch01 = { path = \"../ch01\" }")
            },
            check: ch03_listing,
            names: &[CH03_MANIFEST, "path dependency"],
        },
        Fault {
            what: "`workspace = true` in a listing",
            apply: |root| {
                edit(root, CH03_MANIFEST, |t| {
                    replace_once(
                        t,
                        "edition = \"2024\"",
                        "edition.workspace = true",
                    )
                })
            },
            check: ch03_listing,
            names: &[CH03_MANIFEST, "workspace inheritance"],
        },
        Fault {
            what: "a compiler warning",
            apply: |root| at_start_of_main(root, "let unused = 1;"),
            check: |root| messages(lint::clippy(root)),
            names: &[CH03_BIN, "unused variable"],
        },
        Fault {
            what: "a diagram edited without regenerating its SVGs",
            apply: |root| {
                edit(root, CH03_PAGE, |t| {
                    replace_once(
                        t,
                        "```mermaid\nsequenceDiagram\n",
                        "```mermaid\nsequenceDiagram\n    autonumber\n",
                    )
                })
            },
            check: |root| messages(diagrams::check(root)),
            names: &[CH03_PAGE, "cargo xtask diagrams"],
        },
        Fault {
            what: "an accessibility regression (a button without a name)",
            apply: |root| {
                edit(root, CH03_PAGE, |t| {
                    Ok(format!("{t}\n<button type=\"button\"></button>\n"))
                })
            },
            check: ch03_accessibility,
            names: &["book/ch03-send.html", "button-name"],
        },
        Fault {
            what: "an unknown book.toml key",
            apply: |root| {
                edit(root, "book.toml", |t| {
                    replace_once(
                        t,
                        "[output.html]\n",
                        "[output.html]\nno-such-key = 1\n",
                    )
                })
            },
            check: |root| messages(book::build(root)),
            names: &["book.toml", "no-such-key"],
        },
        Fault {
            what: "Chinese prose built without joining its source lines",
            apply: |root| {
                // The whole section goes, as if it had never been added.
                edit(root, "book.toml", |t| {
                    let start = t.find("[preprocessor.cjk-lines]\n");
                    let start = start.ok_or("no [preprocessor.cjk-lines]")?;
                    let end = t[start + 1..]
                        .find("\n[")
                        .map_or(t.len(), |e| start + 2 + e);
                    Ok(format!("{}{}", &t[..start], &t[end..]))
                })
            },
            check: |root| {
                let mut report = Report::default();
                report.record("book build", book::build(root));
                report.record(
                    "no spaces inside Chinese sentences",
                    super::cjk_breaks::check(&root.join("book")),
                );
                report.failure_messages()
            },
            names: &["book/ch03-send.html", "between Chinese characters"],
        },
    ]
}

// ---- checks, as the test suite runs them, on the copy ----

fn messages(result: Result) -> Vec<String> {
    result.err().map(|e| e.to_string()).into_iter().collect()
}

fn ch03_accessibility(root: &Path) -> Vec<String> {
    messages(crate::site::browser::check_accessibility_of(
        root,
        "ch03-send.html",
    ))
}

fn ch03_listing(root: &Path) -> Vec<String> {
    outputs::check(root, &["ch03".to_string()]).failure_messages()
}

fn ch10_listing(root: &Path) -> Vec<String> {
    outputs::check(root, &["ch10".to_string()]).failure_messages()
}

fn ch02_exercises(root: &Path) -> Vec<String> {
    crate::exercises::check::check(root, &["ch02"]).failure_messages()
}

fn built_links(root: &Path) -> Vec<String> {
    let mut report = Report::default();
    report.record("book build", book::build(root));
    report.record("book links", links::check(&root.join("book")));
    report.failure_messages()
}

fn with_timeout(
    secs: &str,
    check: impl FnOnce() -> Vec<String>,
) -> Vec<String> {
    // SAFETY: the self-test runs its faults one after another on the main
    // thread; no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("XTASK_LISTING_TIMEOUT", secs) };
    let found = check();
    unsafe { std::env::remove_var("XTASK_LISTING_TIMEOUT") };
    found
}

// ---- edits ----

fn edit(
    root: &Path,
    file: &str,
    change: impl FnOnce(&str) -> Result<String>,
) -> Result {
    let path = root.join(file);
    let text = fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
    let changed = change(&text).map_err(|e| format!("{file}: {e}"))?;
    if changed == text {
        return Err(format!("{file}: the fault changed nothing").into());
    }
    Ok(fs::write(path, changed)?)
}

fn append(root: &Path, file: &str, line: &str) -> Result {
    edit(root, file, |t| Ok(format!("{t}\n{line}\n")))
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(
            format!("`{from}` not found, cannot apply the fault").into()
        );
    }
    Ok(text.replacen(from, to, 1))
}

fn at_start_of_main(root: &Path, statement: &str) -> Result {
    edit(root, CH03_BIN, |t| {
        replace_once(
            t,
            "fn main() {\n",
            &format!("fn main() {{\n    {statement}\n"),
        )
    })
}

/// Makes every `sleep()` of listing 10-1 last `factor` times its length.
fn scale_ch10_sleeps(root: &Path, factor: &str) -> Result {
    edit(root, CH10_BIN, |t| {
        let sleep = "Duration::from_secs(seconds)";
        replace_once(t, sleep, &format!("{sleep} {factor}"))
    })
}

/// Makes listing 10-1 collect its countdown lines and print them all
/// after the loop has finished: the text stays right, the timing does not.
fn buffer_ch10_output(root: &Path) -> Result {
    edit(root, CH10_BIN, |t| {
        let t = replace_once(
            t,
            "// ANCHOR: task\n",
            "static OUT: std::sync::Mutex<String> = \
             std::sync::Mutex::new(String::new());\n\
             macro_rules! buffered {\n    ($($t:tt)*) => {\n        \
             OUT.lock().unwrap().push_str(&format!(\"{}\\n\", \
             format_args!($($t)*)))\n    };\n}\n// ANCHOR: task\n",
        )?;
        let t = t.replace("println!(\"{label}", "buffered!(\"{label}");
        replace_once(
            &t,
            "    event_loop.run_until_complete();\n",
            "    event_loop.run_until_complete();\n    \
             print!(\"{}\", OUT.lock().unwrap());\n",
        )
    })
}

/// Changes the first digit on line `line` (0-based, after the command).
fn change_first_digit(text: &str, line: usize) -> Result<String> {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let target = lines.get_mut(line + 1).ok_or("too few lines")?;
    let at = target
        .find(|c: char| c.is_ascii_digit())
        .ok_or("no digit")?;
    let digit = target.as_bytes()[at];
    let other = if digit == b'9' {
        '1'
    } else {
        (digit + 1) as char
    };
    target.replace_range(at..at + 1, &other.to_string());
    Ok(lines.join("\n") + "\n")
}

/// Swaps two output lines (0-based, after the command).
fn swap_lines(text: &str, a: usize, b: usize) -> Result<String> {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.len() <= b + 1 || lines[a + 1] == lines[b + 1] {
        return Err("cannot swap: lines missing or equal".into());
    }
    lines.swap(a + 1, b + 1);
    Ok(lines.join("\n") + "\n")
}

fn drop_lines_containing(text: &str, needle: &str) -> Result<String> {
    Ok(text
        .lines()
        .filter(|l| !l.contains(needle))
        .map(|l| format!("{l}\n"))
        .collect())
}

// ---- running ----

/// Every fault the self-test injects, in the order it runs them.
fn all_faults() -> Vec<Fault> {
    faults()
        .into_iter()
        .chain(python_faults::faults())
        .chain(shutdown_faults::faults())
        .chain(protocol_faults::faults())
        .chain(figures_faults::faults())
        .chain(quiz_faults::faults())
        .chain(recording_faults::faults())
        .chain(bench_net_faults::faults())
        .collect()
}

/// How many faults `cargo xtask selftest` injects (`cargo xtask stats`).
pub fn fault_count() -> usize {
    all_faults().len()
}

/// Runs every fault; fails if any was missed.
pub fn run(root: &Path) -> Result {
    run_matching(root, &[])
}

/// `cargo xtask selftest [WORD..]`: the faults whose description contains
/// one of the words (all faults when none is given).
pub fn run_matching(root: &Path, words: &[String]) -> Result {
    let base = std::env::temp_dir()
        .join(format!("async-book-selftest-{}", std::process::id()));
    // Copies share one target directory beside the real one, so only the
    // first fault compiles the dependencies.
    let target = crate::cmd::target_dir(root).join("selftest");
    // SAFETY: set before any check of the self-test starts a thread.
    unsafe { std::env::set_var("CARGO_TARGET_DIR", &target) };
    let mut lines = Vec::new();
    let chosen = all_faults().into_iter().filter(|f| {
        words.is_empty() || words.iter().any(|w| f.what.contains(w.as_str()))
    });
    for (i, fault) in chosen.enumerate() {
        println!(
            "\n--- self-test: {} (the check below must fail) ---",
            fault.what
        );
        let copy = base.join(i.to_string());
        let line = match try_fault(root, &copy, &fault) {
            Ok(()) => format!("caught: {} ({})", fault.what, fault.names[0]),
            Err(why) => format!("MISSED: {}: {why}", fault.what),
        };
        println!("{line}");
        lines.push(line);
        let _ = fs::remove_dir_all(&copy);
    }
    let _ = fs::remove_dir_all(&base);
    unsafe { std::env::remove_var("CARGO_TARGET_DIR") };
    println!("\nself-test summary:");
    lines.iter().for_each(|l| println!("  {l}"));
    let missed = lines.iter().filter(|l| l.starts_with("MISSED")).count();
    if missed == 0 {
        Ok(())
    } else {
        // The missed faults come first: a log cut in the middle still
        // shows which fault got through.
        let (mut first, caught): (Vec<_>, Vec<_>) =
            lines.iter().partition(|l| l.starts_with("MISSED"));
        first.extend(caught);
        let all: Vec<&str> = first.iter().map(|l| l.as_str()).collect();
        Err(format!("{missed} fault(s) missed:\n{}", all.join("\n")).into())
    }
}

fn try_fault(root: &Path, copy: &Path, fault: &Fault) -> Result {
    copyout::copy_dir(
        root,
        copy,
        &["target", "book", ".git", "node_modules", "test-results"],
    )?;
    (fault.apply)(copy)?;
    // A check that depends on timing may let a fault through on a loaded
    // machine: the busy-client step catches a server that serves one
    // connection until it would block only while the client streams faster
    // than the server reads, and other processes can slow the client down.
    // So a check that passes gets three tries to catch the fault.
    let mut found = Vec::new();
    for attempt in 1..=3 {
        found = (fault.check)(copy);
        if !found.is_empty() {
            break;
        }
        println!("  the check passed on try {attempt} of 3");
    }
    if found.is_empty() {
        return Err("the check passed three times".into());
    }
    let names_all = |m: &String| fault.names.iter().all(|n| m.contains(n));
    if found.iter().any(names_all) {
        Ok(())
    } else {
        Err(format!(
            "the check failed, but no message says all of {:?}:\n{}",
            fault.names,
            found.join("\n")
        )
        .into())
    }
}
