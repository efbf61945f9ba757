//! The command line of `cargo xtask`, declared in one place. Parsing,
//! `cargo xtask help`, every `--help` and the errors for bad arguments
//! (exit status 2, naming the argument) all come from this declaration,
//! and the tests below hold the command tables of README.md and
//! docs/commands.md to it.
//!
//! The help texts are wrapped by hand (`verbatim_doc_comment`): clap
//! wraps only with its `wrap_help` feature, which would bring in a
//! terminal-size crate to save a few line breaks.

use crate::author::{bench, bench_net};
use crate::exercises;
use clap::{ArgGroup, Args, Parser, Subcommand};
use std::path::PathBuf;

/// Builds, serves and tests the book
///
/// Every command it runs is echoed first (`$ ...`), so that a failure can
/// be reproduced by copying the line. `cargo xtask <command> --help`
/// prints the options of one command; docs/commands.md explains each.
#[derive(Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    verbatim_doc_comment,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands, in the order `cargo xtask help` lists them.
#[derive(Subcommand)]
pub enum Command {
    /// Install the tools if needed, then serve the book
    #[command(verbatim_doc_comment)]
    Serve {
        /// Serve at http://localhost:N/
        #[arg(long, value_name = "N", default_value_t = 3000)]
        port: u16,
    },

    /// Build the static site into book/
    ///
    /// Fails on any ERROR or WARN line of the build log, or on a line
    /// break that shows as a space in a Chinese sentence.
    #[command(verbatim_doc_comment)]
    Build,

    /// Everything CI checks (ends with `N passed, N failed`)
    ///
    /// docs/checks.md tells what it checks.
    #[command(verbatim_doc_comment)]
    Test,

    /// Build the book and run only the browser tests (tests/)
    #[command(verbatim_doc_comment)]
    BrowserTests,

    /// Run the listings and Python programs, compare their outputs
    ///
    /// Also compares the Rust/Python parity pairs of those chapters (the
    /// partner chapter of a pair runs too) and runs the listings' own
    /// tests; with ch25, its graceful shutdown.
    #[command(verbatim_doc_comment)]
    Listings {
        /// Only these chapters (all when none is given)
        #[arg(value_name = "chNN")]
        chapters: Vec<String>,
    },

    /// Run the line echo protocol against the echo servers
    ///
    /// Every echo server of ch23, ch24, ch25 and ch27 (or those named):
    /// fixed cases, lines pipelined past a long line, a seeded fuzzer
    /// (its seed is printed) and a port already in use. With --fuzz-seed
    /// or --fuzz-cases only the fuzzer runs, replaying cases 0 to N-1 of
    /// seed S.
    #[command(verbatim_doc_comment)]
    Protocol {
        /// Replay the fuzzer with this seed (a new one when not given)
        #[arg(long, value_name = "S")]
        fuzz_seed: Option<u64>,
        /// Fuzz cases per server (when not given: as many as
        /// `cargo xtask test` runs)
        #[arg(long, value_name = "N", verbatim_doc_comment)]
        fuzz_cases: Option<usize>,
        /// Only the servers with these file names, without extension
        /// (echo_tokio, echo_asyncio); all when none is given
        #[arg(value_name = "NAME", verbatim_doc_comment)]
        servers: Vec<String>,
    },

    /// Check an exercise you edited, or list the exercises
    Exercise(ExerciseArgs),

    /// Build each listing copied alone outside the workspace
    #[command(verbatim_doc_comment)]
    CopyOut {
        /// Only these chapters (all when none is given)
        #[arg(value_name = "chNN")]
        chapters: Vec<String>,
    },

    /// Render the mermaid diagrams that have no SVG yet
    ///
    /// Writes a light and a dark SVG of each into src/generated/diagrams/
    /// and deletes the SVGs no diagram uses (Node.js and Chromium).
    #[command(verbatim_doc_comment)]
    Diagrams {
        /// Redraw every diagram, also those that have their SVGs
        #[arg(long)]
        all: bool,
    },

    /// Build the book, print it to a PDF and check the PDF
    ///
    /// Chromium prints it to book/pdf/python-coroutines-to-rust-async.pdf;
    /// poppler-utils check it.
    #[command(verbatim_doc_comment)]
    Pdf,

    /// Lighthouse on three pages, beside a stock mdBook build (slow)
    ///
    /// Lighthouse 12.2.3 on the introduction, ch10 and the heaviest
    /// chapter; not part of `cargo xtask test`.
    #[command(verbatim_doc_comment)]
    Audit,

    /// Refresh each listing's own Cargo.lock
    #[command(verbatim_doc_comment)]
    Lock,

    /// Check the chapters for English API words used as Chinese words
    ///
    /// The words: xtask/src/checks/prose-words.txt.
    #[command(verbatim_doc_comment)]
    Prose,

    /// Check that the chapters copy no measured figure by hand
    ///
    /// A measured figure reaches a chapter only through an include of
    /// src/generated/*-figures.md.
    #[command(verbatim_doc_comment)]
    Figures,

    /// Inject faults into temporary copies; each must be caught
    #[command(verbatim_doc_comment)]
    Selftest {
        /// Only the faults whose description contains one of these words
        #[arg(value_name = "WORD")]
        words: Vec<String>,
    },

    /// Run the ch12 benchmarks, rewrite src/generated/ch12-figures.md
    ///
    /// Release builds, N rounds; each figure is the median of the rounds,
    /// with their range. The charts then need `cargo xtask diagrams`.
    #[command(verbatim_doc_comment)]
    Bench {
        /// How many rounds
        #[arg(
            long,
            value_name = "N",
            default_value_t = bench::ROUNDS,
            value_parser = at_least_one
        )]
        rounds: usize,
    },

    /// Every echo server under the ch27 load generator
    ///
    /// Rewrites src/generated/ch27-figures.md, then draws its charts as
    /// SVGs (as `cargo xtask diagrams` does).
    #[command(verbatim_doc_comment)]
    BenchNet {
        /// A sanity run of a few seconds per server that writes nothing
        /// (part of `cargo xtask test`)
        #[arg(long, verbatim_doc_comment)]
        quick: bool,
        /// How many rounds
        #[arg(
            long,
            value_name = "N",
            default_value_t = bench_net::ROUNDS,
            value_parser = at_least_one
        )]
        rounds: usize,
    },

    /// Re-record the timed expected outputs, each from one run
    ///
    /// Re-runs the programs whose expected outputs have arrival times and
    /// rewrites the values, arrival times, date and machine from that run
    /// (text and bands unchanged), then redraws the timelines.
    #[command(verbatim_doc_comment)]
    Record {
        /// Only the Python programs' outputs
        #[arg(long)]
        python: bool,
        /// Only these chapters (all when none is given)
        #[arg(value_name = "chNN")]
        chapters: Vec<String>,
    },

    /// Redraw src/generated/timelines/*.svg from the expected outputs
    #[command(verbatim_doc_comment)]
    Timelines,

    /// Check the “预测输出” questions against their outputs
    ///
    /// Each question (quizzes/chNN.txt) must obey the rules and still
    /// make sense against the expected output or code block it is
    /// generated from; prints how many each chapter has.
    #[command(verbatim_doc_comment)]
    Quizzes,

    /// Count what the book holds, from the repository
    ///
    /// Chapters, programs, Python programs, exercises, questions,
    /// diagrams, timelines, servers and self-test faults.
    #[command(verbatim_doc_comment)]
    Stats,

    /// Build the book, write book/epub/*.epub (pandoc) and check it
    ///
    /// epubcheck checks it.
    #[command(verbatim_doc_comment)]
    Epub,

    /// Install the pinned mdBook tools and the gevent virtualenv
    ///
    /// Into the tool cache (docs/decisions/0001-tool-cache.md).
    #[command(verbatim_doc_comment)]
    InstallTools,
}

/// `cargo xtask exercise`: exactly one of NAME, --list, --status, --check.
#[derive(Args)]
#[command(
    group(
        ArgGroup::new("what")
            .required(true)
            .args(["name", "list", "status", "check"])
))]
pub struct ExerciseArgs {
    /// Build and run your edited
    /// listings/chNN/examples/NAME.rs and check its output
    #[arg(verbatim_doc_comment)]
    name: Option<String>,
    /// Check the reference solution instead (NAME_solution.rs)
    #[arg(long, requires = "name", conflicts_with = "path")]
    solution: bool,
    /// Check DIR/examples/NAME.rs, in a listing folder you
    /// copied out of the book (DIR is that folder)
    #[arg(long, value_name = "DIR", requires = "name", verbatim_doc_comment)]
    path: Option<PathBuf>,
    /// List the exercises (chapter, difficulty, title, page)
    #[arg(long)]
    list: bool,
    /// Which exercises pass on this machine
    #[arg(long)]
    status: bool,
    /// What `cargo xtask test` checks: every solution
    /// passes, every untouched starter fails, starter =
    /// solution outside the marked regions
    #[arg(long, verbatim_doc_comment)]
    check: bool,
}

impl ExerciseArgs {
    /// The one thing asked for; the group above makes it exactly one.
    pub fn action(self) -> exercises::Action {
        if self.list {
            exercises::Action::List
        } else if self.status {
            exercises::Action::Status
        } else if self.check {
            exercises::Action::Check
        } else {
            exercises::Action::One {
                name: self.name.expect("the `what` group requires NAME"),
                solution: self.solution,
                path: self.path,
            }
        }
    }
}

/// A round count: a whole number, at least 1.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("a round count is a whole number >= 1".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;
    use std::collections::{BTreeMap, BTreeSet};

    /// clap's own consistency checks of the declaration (names, groups,
    /// `requires` and `conflicts_with` that point at real arguments).
    #[test]
    fn declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    fn built() -> clap::Command {
        let mut command = Cli::command();
        command.build();
        command
    }

    #[test]
    fn every_command_and_argument_has_a_help_text() {
        let command = built();
        for sub in command.get_subcommands() {
            let about = sub.get_about().map(|a| a.to_string());
            assert!(
                about.is_some_and(|a| !a.trim().is_empty()),
                "`cargo xtask {}` has no about text",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                assert!(
                    arg.get_help().is_some(),
                    "`cargo xtask {} {}` has no help text",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }

    fn parse(line: &str) -> Result<Command, clap::Error> {
        let words = std::iter::once("xtask").chain(line.split_whitespace());
        Cli::try_parse_from(words).map(|cli| cli.command)
    }

    fn error(line: &str) -> clap::Error {
        match parse(line) {
            Ok(_) => panic!("`cargo xtask {line}` was accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        assert!(matches!(parse("serve"), Ok(Command::Serve { port: 3000 })));
        assert!(matches!(parse("bench"), Ok(Command::Bench { rounds: 5 })));
        assert!(matches!(
            parse("bench-net"),
            Ok(Command::BenchNet {
                quick: false,
                rounds: 3
            })
        ));
        assert!(matches!(
            parse("protocol"),
            Ok(Command::Protocol {
                fuzz_seed: None,
                fuzz_cases: None,
                ref servers,
            }) if servers.is_empty()
        ));
    }

    #[test]
    fn options_and_names_mix_in_any_order() {
        let Ok(Command::Protocol {
            fuzz_seed,
            fuzz_cases,
            servers,
        }) = parse("protocol echo_tokio --fuzz-seed 7 --fuzz-cases 12 x")
        else {
            panic!("protocol was not parsed");
        };
        assert_eq!((fuzz_seed, fuzz_cases), (Some(7), Some(12)));
        assert_eq!(servers, ["echo_tokio", "x"]);
        let Ok(Command::Record { python, chapters }) =
            parse("record ch10 --python ch12")
        else {
            panic!("record was not parsed");
        };
        assert!(python);
        assert_eq!(chapters, ["ch10", "ch12"]);
    }

    #[test]
    fn exercise_takes_exactly_one_thing_to_do() {
        let action = |line: &str| match parse(line) {
            Ok(Command::Exercise(args)) => args.action(),
            _ => panic!("`{line}` was not parsed"),
        };
        assert!(matches!(action("exercise --list"), exercises::Action::List));
        assert!(matches!(
            action("exercise --status"),
            exercises::Action::Status
        ));
        assert!(matches!(
            action("exercise --check"),
            exercises::Action::Check
        ));
        assert!(matches!(
            action("exercise step_range --path /tmp/ch02"),
            exercises::Action::One { ref name, solution: false, path: Some(ref p) }
                if name == "step_range" && p == &PathBuf::from("/tmp/ch02")
        ));
        assert!(matches!(
            action("exercise step_range --solution"),
            exercises::Action::One {
                solution: true,
                path: None,
                ..
            }
        ));
        for (line, kind) in [
            ("exercise", ErrorKind::MissingRequiredArgument),
            ("exercise --list --status", ErrorKind::ArgumentConflict),
            ("exercise step_range --list", ErrorKind::ArgumentConflict),
            ("exercise --solution", ErrorKind::MissingRequiredArgument),
            (
                "exercise x --solution --path d",
                ErrorKind::ArgumentConflict,
            ),
        ] {
            assert_eq!(error(line).kind(), kind, "`cargo xtask {line}`");
        }
    }

    #[test]
    fn bad_arguments_are_usage_errors_that_name_them() {
        for (line, kind, named) in [
            ("serve --port x", ErrorKind::ValueValidation, "--port"),
            ("serve --port 70000", ErrorKind::ValueValidation, "--port"),
            ("bench --rounds 0", ErrorKind::ValueValidation, "--rounds"),
            ("bench-net --rounds", ErrorKind::InvalidValue, "--rounds"),
            ("protocol --fuzz-seed -1", ErrorKind::UnknownArgument, "-1"),
            ("pdf now", ErrorKind::UnknownArgument, "now"),
            ("listings --all", ErrorKind::UnknownArgument, "--all"),
            ("tset", ErrorKind::InvalidSubcommand, "tset"),
        ] {
            let e = error(line);
            assert_eq!(e.kind(), kind, "`cargo xtask {line}`");
            assert_eq!(e.exit_code(), 2, "`cargo xtask {line}`");
            assert!(
                e.to_string().contains(named),
                "`cargo xtask {line}`: the error does not name `{named}`:\n{e}"
            );
        }
    }

    #[test]
    fn help_is_printed_not_an_error() {
        for line in ["help", "--help", "help exercise", "bench-net --help"] {
            let e = error(line);
            assert_eq!(e.kind(), ErrorKind::DisplayHelp, "`{line}`");
            assert_eq!(e.exit_code(), 0, "`{line}`");
        }
        let top = error("help").render().to_string();
        for sub in built().get_subcommands() {
            assert!(
                top.contains(&format!("  {} ", sub.get_name())),
                "`cargo xtask help` does not list {}:\n{top}",
                sub.get_name()
            );
        }
    }

    /// The rows of a command table: `| \`cargo xtask NAME ...\` | ... |`.
    /// For each subcommand NAME, the lines of its rows and every `--option`
    /// the rows mention.
    fn table(markdown: &str) -> BTreeMap<String, (Vec<usize>, Vec<String>)> {
        let mut rows: BTreeMap<String, (Vec<usize>, Vec<String>)> =
            BTreeMap::new();
        for (i, line) in markdown.lines().enumerate() {
            let Some(rest) = line.strip_prefix("| `cargo xtask ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            let entry = rows.entry(name).or_default();
            entry.0.push(i + 1);
            for (at, _) in line.match_indices("--") {
                let option: String = line[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                if !option.is_empty() {
                    entry.1.push(format!("--{option}"));
                }
            }
        }
        rows
    }

    /// A command table must name exactly the declared subcommands, and
    /// its rows for one subcommand exactly that subcommand's options.
    fn check_table(path: &str) {
        let root = crate::repo_root();
        let text = std::fs::read_to_string(root.join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let rows = table(&text);
        let command = built();
        let declared: BTreeSet<&str> =
            command.get_subcommands().map(|c| c.get_name()).collect();
        let named: BTreeSet<&str> = rows.keys().map(String::as_str).collect();
        let missing: Vec<_> = declared.difference(&named).collect();
        let unknown: Vec<_> = named.difference(&declared).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "{path}: the command table must name exactly the commands of \
             xtask/src/cli.rs; missing: {missing:?}, not declared: {unknown:?}"
        );
        for sub in command.get_subcommands() {
            let (lines, mentioned) = &rows[sub.get_name()];
            let options: BTreeSet<String> = sub
                .get_arguments()
                .filter_map(|a| a.get_long())
                .filter(|long| *long != "help")
                .map(|long| format!("--{long}"))
                .collect();
            // Every command has clap's --help; a row may mention it.
            let mentioned: BTreeSet<String> = mentioned
                .iter()
                .filter(|m| *m != "--help")
                .cloned()
                .collect();
            assert_eq!(
                mentioned,
                options,
                "{path}:{}: the rows of `cargo xtask {}` must mention \
                 exactly its options (left: the table, right: cli.rs)",
                lines[0],
                sub.get_name()
            );
        }
    }

    #[test]
    fn commands_md_names_the_declared_commands() {
        check_table("docs/commands.md");
    }

    #[test]
    fn readme_names_the_declared_commands() {
        check_table("README.md");
    }

    #[test]
    fn the_table_reader_sees_rows_and_options() {
        let rows = table(
            "| `cargo xtask bench [--rounds N]` | 5 rounds |\n\
             text `cargo xtask lock` outside a row\n\
             | `cargo xtask bench-net` | `--quick`: a few seconds |\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows["bench"], (vec![1], vec!["--rounds".to_string()]));
        assert_eq!(rows["bench-net"], (vec![3], vec!["--quick".to_string()]));
    }
}
