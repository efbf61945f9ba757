//! `cargo xtask`: builds, serves and tests the book.
//!
//! Every command it runs is echoed first (`$ ...`), so a failure can be
//! reproduced by copying the line. The commands are declared in cli.rs
//! (`cargo xtask help`).

// Shared by every command: the command line, running commands, the
// listings' layout, the check report, walking the sources, the pinned tools,
// the servers under test.
mod cli;
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

use clap::Parser;
use cli::{Cli, Command};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are plain messages: they are read by people, not handled.
pub type Result<T = ()> =
    std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    // Bad arguments end here, with clap's message and exit status 2.
    let cli = Cli::parse();
    let root = repo_root();
    let result = match cli.command {
        Command::InstallTools => {
            tools::install().and_then(|()| python::install_gevent())
        }
        Command::Build => book::build(&root)
            .and_then(|()| checks::cjk_breaks::check(&root.join("book"))),
        Command::Serve { port } => book::serve(&root, port),
        Command::Test => checks::run(&root),
        Command::BrowserTests => browser::run_alone(&root),
        Command::Listings { chapters } => {
            programs::run_selected(&root, &chapters)
        }
        Command::Protocol {
            fuzz_seed,
            fuzz_cases,
            servers,
        } => checks::protocol::run_selected(
            &root, &servers, fuzz_seed, fuzz_cases,
        ),
        Command::Exercise(args) => exercises::run(&root, args.action()),
        Command::CopyOut { chapters } => {
            copyout::run_selected(&root, &chapters)
        }
        Command::Diagrams { all } => diagrams::run(&root, all),
        Command::Pdf => pdf::run(&root),
        Command::Audit => audit::run(&root),
        Command::Lock => copyout::lock(&root),
        Command::Selftest { words } => selftest::run_matching(&root, &words),
        Command::Prose => checks::prose::check(&root),
        Command::Figures => checks::figures::check(&root),
        Command::Bench { rounds } => bench::run(&root, rounds),
        Command::BenchNet { quick, rounds } => {
            author::bench_net::run(&root, quick, rounds)
        }
        Command::Record { python, chapters } => {
            record::run(&root, python, &chapters)
        }
        Command::Timelines => timelines::write(&root),
        Command::Quizzes => checks::quizzes::check(&root),
        Command::Epub => site::epub::run(&root),
        Command::Stats => stats::print(&root),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's directory.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}
