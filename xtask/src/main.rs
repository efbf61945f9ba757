//! `cargo xtask`: builds, serves and tests the book.
//!
//! Every command it runs is echoed first (`$ ...`), so a failure can be
//! reproduced by copying the line. See README.md for the commands.

// Shared by every command: running commands, the listings' layout, the
// check report, walking the sources, the pinned tools, the servers under
// test.
mod cmd;
mod listings;
mod report;
mod run;
mod stats;
mod tools;
mod walk;

// By role: what `cargo xtask test` checks, the site and its browser work,
// and authoring commands.
mod author;
mod checks;
mod exercises;
mod site;

use author::{bench, record, timelines};
use checks::{copyout, programs, python, selftest};
use site::{audit, book, browser, diagrams, pdf};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are plain messages: they are read by people, not handled.
pub type Result<T = ()> =
    std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]   install the tools if needed, then serve the book
                     (default http://localhost:3000)
  build              build the static site into book/, failing on any
                     ERROR or WARN line of the build log, or on a line
                     break that shows as a space in a Chinese sentence
  test               everything CI checks (ends with `N passed, N failed`)
  browser-tests      build the book and run only the browser tests (tests/)
  listings [chNN..]  run the listings and the Python programs, compare
                     their output and the Rust/Python parity pairs
  protocol [--fuzz-seed S] [--fuzz-cases N] [NAME..]
                     run the line echo protocol against every echo server
                     of ch23, ch24, ch25 and ch27 (or those named, e.g.
                     echo_tokio): fixed cases, lines pipelined past a long
                     line, then a seeded fuzzer (its seed is printed);
                     with --fuzz-seed/--fuzz-cases only the fuzzer runs,
                     replaying cases 0 to N-1 of seed S
  exercise --list    list the exercises (chapter, difficulty, title)
  exercise NAME      build and check your edited listings/chNN/examples/NAME.rs
                     (--solution: the reference solution; --path DIR: a
                     listing folder you copied out)
  exercise --status  which exercises pass on this machine
  exercise --check   what `test` checks: every solution passes, every
                     untouched starter fails
  copy-out [chNN..]  build each listing copied alone outside the workspace
  diagrams [--all]   render the mermaid diagrams that have no SVG yet into
                     src/generated/diagrams/ (Node.js and Chromium)
  pdf                build the book and print it to
                     book/pdf/python-coroutines-to-rust-async.pdf (Chromium),
                     then check the PDF (poppler-utils)
  audit              Lighthouse 12.2.3 on the introduction, ch10 and the
                     heaviest chapter, beside a stock mdBook build (slow)
  lock               refresh each listing's own Cargo.lock
  prose              check the chapters for English API words used as
                     Chinese words (list: xtask/src/checks/prose-words.txt)
  figures            check that the chapters cite measured figures only
                     through src/generated/*-figures.md (no literal copies)
  selftest [WORD..]  inject faults into temporary copies of the repository
                     and check that the tests catch every one (only the
                     faults whose description contains a WORD, if given)
  bench [--rounds N] run the ch12 benchmarks (release) N times (default 5)
                     and rewrite src/generated/ch12-figures.md with the
                     median and range of every figure
  bench-net [--quick] [--rounds N]
                     every echo server under the ch27 load generator
                     (default 3 rounds); rewrites ch27-figures.md
  record [--python] [chNN..]
                     re-run the timed listings and re-record their
                     expected outputs, each from one run (values, arrival
                     times, date and machine; text and bands unchanged),
                     then the timelines (--python: only the Python ones)
  timelines          redraw src/generated/timelines/*.svg from the
                     expected outputs
  quizzes            check the “预测输出” questions (quizzes/chNN.txt)
                     against the outputs they are generated from
  stats              count the chapters, programs, Python programs,
                     exercises, questions, diagrams, timelines, servers
                     and self-test faults, from the repository
  epub               build the book and write book/epub/*.epub (pandoc),
                     then check it (epubcheck)
  install-tools      install the pinned mdBook tools and the gevent
                     virtualenv into the tool cache
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("install-tools") => {
            tools::install().and_then(|()| python::install_gevent())
        }
        Some("build") => book::build(&root)
            .and_then(|()| checks::cjk_breaks::check(&root.join("book"))),
        Some("serve") => parse_port(rest).and_then(|p| book::serve(&root, p)),
        Some("test") => checks::run(&root),
        Some("browser-tests") => browser::run_alone(&root),
        Some("listings") => programs::run_selected(&root, rest),
        Some("protocol") => checks::protocol::run_selected(&root, rest),
        Some("exercise") => exercises::run(&root, rest),
        Some("copy-out") => copyout::run_selected(&root, rest),
        Some("diagrams") => diagrams::run(&root, rest),
        Some("pdf") if rest.is_empty() => pdf::run(&root),
        Some("audit") if rest.is_empty() => audit::run(&root),
        Some("lock") => copyout::lock(&root),
        Some("selftest") => selftest::run_matching(&root, rest),
        Some("prose") if rest.is_empty() => checks::prose::check(&root),
        Some("figures") if rest.is_empty() => checks::figures::check(&root),
        Some("bench") => bench::run(&root, rest),
        Some("bench-net") => author::bench_net::run(&root, rest),
        Some("record") => record::run(&root, rest),
        Some("timelines") if rest.is_empty() => timelines::write(&root),
        Some("quizzes") if rest.is_empty() => checks::quizzes::check(&root),
        Some("epub") if rest.is_empty() => site::epub::run(&root),
        Some("stats") if rest.is_empty() => stats::print(&root),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_port(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(3000),
        [flag, port] if flag == "--port" => {
            Ok(port.parse().map_err(|_| format!("bad port `{port}`"))?)
        }
        _ => Err(format!("serve takes only --port N\n\n{USAGE}").into()),
    }
}

/// The repository root: the parent of this crate's directory.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}
