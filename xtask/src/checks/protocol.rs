//! `cargo xtask protocol [NAME..]` and a step of `cargo xtask test`: every
//! echo server of Part 5 must speak the book's line echo protocol.
//!
//! The protocol (chapter 24), the same for every server:
//!
//! - each `\n`-terminated line is written back unchanged, as bytes: any
//!   byte but `\n` may appear (invalid UTF-8, `\r`); an empty line is echoed
//!   as an empty line;
//! - a line longer than 8192 bytes (the `\n` not counted) gets
//!   `ERR line too long\n` and that connection is closed; others go on;
//!   the echoes of the lines before it and the ERR line reach the client
//!   even when it has sent more behind the long line (a server that
//!   closes with unread input makes Linux reset the connection and drop
//!   what it has not sent yet: the servers stop writing, then read and
//!   discard for a bounded time before they close);
//! - a client that leaves mid-line or mid-reply costs only its connection;
//! - `--listen ADDR` (`127.0.0.1:0` picks a free port); the first line on
//!   stdout is `listening on HOST:PORT`; a failed bind (a port in use) is a
//!   one-line error on stderr and a non-zero exit, never a backtrace.
//!
//! The servers are found, not listed: `listings/ch2{3,4,5,7}/src/bin/echo_*.rs`
//! (but `echo_client`) and `listings/ch2{3,4,5,7}/python/echo_*.py`. Each is
//! started with `--listen 127.0.0.1:0` and driven by [`cases`], then by
//! two adversaries: lines pipelined past an over-long line
//! ([`pipelined`], the same scripts every run) and a seeded differential
//! fuzzer ([`fuzz`]) whose every connection is compared with the protocol
//! written as a function ([`model`]). The fuzzer's seed is new each run
//! and printed; `cargo xtask protocol --fuzz-seed S --fuzz-cases N NAME`
//! replays the same connections (the fuzzer alone).

mod cases;
mod drive;
mod fuzz;
mod model;
mod pipelined;

use super::{python, running};
use crate::report::Report;
use crate::run::server::{self, Output, Program, ServerProcess};
use crate::run::socket;
use crate::{Result, cmd};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CHAPTERS: [&str; 4] = ["ch23", "ch24", "ch25", "ch27"];
/// How long a server may take to print its first line (a Python server on
/// a loaded machine takes seconds to import its modules).
const STARTUP: Duration = Duration::from_secs(30);

/// One echo server program.
pub struct Server {
    /// `ch24/echo_tokio`, `ch24/python/echo_asyncio.py`.
    pub id: String,
    /// The file stem, what `cargo xtask protocol NAME` matches.
    pub name: String,
    pub source: PathBuf,
    pub rust: bool,
}

/// The echo servers under `root` whose name is in `only` (all when empty).
pub fn discover(root: &Path, only: &[String]) -> Vec<Server> {
    let mut servers = Vec::new();
    for chapter in CHAPTERS {
        let dir = root.join("listings").join(chapter);
        for (sub, ext, rust) in
            [("src/bin", "rs", true), ("python", "py", false)]
        {
            for path in files(&dir.join(sub), ext) {
                let name = path.file_stem().unwrap().to_string_lossy();
                if !name.starts_with("echo_") || name == "echo_client" {
                    continue;
                }
                let id = if rust {
                    format!("{chapter}/{name}")
                } else {
                    format!("{chapter}/python/{name}.py")
                };
                servers.push(Server {
                    id,
                    name: name.into_owned(),
                    source: path,
                    rust,
                });
            }
        }
    }
    servers.retain(|s| only.is_empty() || only.contains(&s.name));
    servers
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// Fuzz cases per server in `cargo xtask test`, and the time after which
/// no new case starts: about 6 s a server on a loaded 2-CPU machine.
const FUZZ_CASES: usize = 400;
const FUZZ_TIME: Duration = Duration::from_secs(6);

/// Which parts of the check run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Phases {
    /// Everything (`cargo xtask test`, `cargo xtask protocol`).
    All,
    /// Only the pipelined cases and the fuzzer (the self-test).
    Adversaries,
    /// Only the fuzzer (`--fuzz-seed`, `--fuzz-cases`).
    Fuzz,
}

impl Phases {
    fn pipelined(self) -> bool {
        matches!(self, Phases::All | Phases::Adversaries)
    }

    fn cases(self) -> bool {
        self == Phases::All
    }
}

pub struct Options {
    pub phases: Phases,
    pub fuzz: fuzz::Budget,
}

impl Options {
    /// What `cargo xtask test` runs: a new seed, a fixed budget.
    pub fn full() -> Options {
        Options {
            phases: Phases::All,
            fuzz: fuzz::Budget {
                seed: fuzz::fresh_seed(),
                cases: FUZZ_CASES,
                time: Some(FUZZ_TIME),
            },
        }
    }
}

/// `cargo xtask protocol [--fuzz-seed S] [--fuzz-cases N] [NAME..]`.
/// Either option replays the fuzzer alone: the given seed (or a new one)
/// and its first `cases` cases, without a time limit, so that a failure
/// comes back case for case.
pub fn run_selected(
    root: &Path,
    only: &[String],
    seed: Option<u64>,
    cases: Option<usize>,
) -> Result {
    let mut options = Options::full();
    if seed.is_some() || cases.is_some() {
        options.phases = Phases::Fuzz;
        options.fuzz.time = None;
        options.fuzz.seed = seed.unwrap_or(options.fuzz.seed);
        options.fuzz.cases = cases.unwrap_or(options.fuzz.cases);
    }
    check_with(root, only, &options).finish()
}

/// The whole check, as `cargo xtask test` runs it.
pub fn check(root: &Path, only: &[String]) -> Report {
    check_with(root, only, &Options::full())
}

/// One check per server (`protocol ch24/echo_tokio`), one after another:
/// each holds a thousand connections, and they would compete for the CPU.
pub fn check_with(root: &Path, only: &[String], options: &Options) -> Report {
    let mut report = Report::default();
    let budget = options.fuzz;
    println!(
        "protocol: fuzz seed {} ({} cases{} per server; replay with \
         `cargo xtask protocol --fuzz-seed {} --fuzz-cases N NAME`)",
        budget.seed,
        budget.cases,
        budget
            .time
            .map_or(String::new(), |t| format!(", at most {t:?}")),
        budget.seed,
    );
    let servers = discover(root, only);
    if servers.is_empty() {
        let wanted = if only.is_empty() {
            "listings/ch2{3,4,5,7}/src/bin/echo_*.rs or \
             listings/ch2{3,4,5,7}/python/echo_*.py"
                .to_string()
        } else {
            format!("a server named {}", only.join(" or "))
        };
        report.record(
            "protocol",
            Err(format!("no echo server found: expected {wanted}").into()),
        );
        return report;
    }
    if let Err(e) = prepare(root, &servers) {
        for s in &servers {
            report.record(
                &format!("protocol {}", s.id),
                Err(format!("{}: not run: {e}", rel(root, &s.source)).into()),
            );
        }
        return report;
    }
    socket::raise_fd_limit();
    for server in &servers {
        let start = Instant::now();
        let result = check_server(root, server, options).map(|()| {
            println!(
                "    {}: all cases passed in {:.2?}",
                server.id,
                start.elapsed()
            );
        });
        report.record(&format!("protocol {}", server.id), result);
    }
    report
}

/// Builds the Rust servers; makes sure Python (and gevent) are there.
fn prepare(root: &Path, servers: &[Server]) -> Result {
    let mut build = cmd::cargo();
    build
        .current_dir(root)
        .args(["build", "--locked", "--bins"]);
    let mut any_rust = false;
    for chapter in CHAPTERS {
        if servers.iter().any(|s| s.rust && s.id.starts_with(chapter)) {
            build.args(["--package", chapter]);
            any_rust = true;
        }
    }
    if any_rust {
        cmd::run(&mut build)?;
    }
    if servers.iter().any(|s| !s.rust) {
        python::check_python()?;
        python::install_gevent()?;
        super::bench_venv::install()?;
    }
    Ok(())
}

fn command(root: &Path, server: &Server, listen: &str) -> Command {
    let binary;
    let program = if server.rust {
        binary = cmd::target_dir(root).join("debug").join(&server.name);
        Program::Binary(&binary)
    } else {
        Program::Python(&server.source)
    };
    server::command(program, &[], listen)
}

/// Starts a server and reads its address from its first line.
fn start(
    root: &Path,
    server: &Server,
) -> std::result::Result<ServerProcess, String> {
    let command = command(root, server, "127.0.0.1:0");
    ServerProcess::start(command, Output::Quiet, STARTUP)
}

/// The chosen phases against one server.
fn check_server(root: &Path, server: &Server, options: &Options) -> Result {
    let source = rel(root, &server.source);
    let mut running =
        start(root, server).map_err(|e| format!("{source}: {e}"))?;
    let addr = running.addr().to_string();
    let phases = options.phases;
    let fail = |e: String| format!("{source}: {e}");
    // The focused cases first: each self-test fault aimed at one of them
    // must be reported by that case, not by a fuzz case that happens to
    // hit the same fault first.
    if phases.cases() {
        cases::run_all(&addr, &mut running).map_err(fail)?;
    }
    if phases.pipelined() {
        let took = pipelined::run(&addr).map_err(fail)?;
        after(&addr, &mut running, "the pipelined long lines").map_err(fail)?;
        println!(
            "      pipelined past a long line, 20 runs each: ok in {took:.2?}"
        );
    }
    let fuzzed = fuzz::run(&addr, options.fuzz).map_err(fail)?;
    after(&addr, &mut running, "the fuzz cases").map_err(fail)?;
    println!(
        "      fuzz seed {}: {} cases, {:.1} MB sent, ok in {:.2?}",
        options.fuzz.seed,
        fuzzed.cases,
        fuzzed.bytes_sent as f64 / 1e6,
        fuzzed.took
    );
    // The thousand connections last: a thread per connection takes the
    // GIL to exit, and while a thousand Python threads do, a refusal's 1 s
    // linger can run out before the refused client's data is read (then
    // closing resets the connection). The protocol bounds the linger in
    // time; it does not promise to outlast such a storm.
    if phases.cases() {
        let held = cases::run_many(&addr, &mut running).map_err(fail)?;
        println!("      {held} connections held at once");
        port_in_use(root, server, &addr).map_err(fail)?;
    }
    Ok(())
}

/// After a phase the server must still run and answer a new client.
fn after(
    addr: &str,
    running: &mut ServerProcess,
    phase: &str,
) -> std::result::Result<(), String> {
    running.alive().map_err(|e| format!("after {phase}: {e}"))?;
    cases::still_answers(addr).map_err(|e| {
        format!(
            "after {phase}: a new client gets no echo: {e}{}",
            running.stderr_tail()
        )
    })
}

/// A second server on the first one's port must fail at once with one
/// line on stderr and a non-zero exit.
fn port_in_use(
    root: &Path,
    server: &Server,
    addr: &str,
) -> std::result::Result<(), String> {
    let what = format!("started again on {addr} (in use)");
    let run =
        running::run_with_timeout(&mut command(root, server, addr), STARTUP)
            .map_err(|e| format!("{what}: {e}"))?;
    if run.timed_out {
        return Err(format!("{what}: still running after {STARTUP:?}"));
    }
    let (status, stderr) = (run.status, run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    if run.status_ok {
        return Err(format!("{what}: exited with success"));
    }
    let bad = lines.len() != 1
        || lines[0].trim().is_empty()
        || stderr.contains("panicked")
        || stderr.contains("Traceback");
    if bad {
        return Err(format!(
            "{what}: the error must be one line on stderr, got {} \
             line(s):\n    {}",
            lines.len(),
            lines.join("\n    ")
        ));
    }
    println!("    port in use: {} ({status})", lines[0]);
    Ok(())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
