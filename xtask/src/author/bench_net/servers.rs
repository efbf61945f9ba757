//! Which echo servers the network bench runs, and how: each is started
//! with `taskset` on the server's CPU, listening on a free loopback port.

use crate::checks::{bench_venv, python};
use crate::run::server::{self, Output, Program, ServerProcess};
use crate::{Result, cmd};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The CPU the load generator runs on; the servers get [`SERVER_CPU`].
pub const LOADGEN_CPU: &str = "0";
pub const SERVER_CPU: &str = "1";
/// How long a server may take to print its first line (a Python server
/// imports Twisted in seconds on a busy machine).
const STARTUP: Duration = Duration::from_secs(60);

/// One server of the table.
pub struct Spec {
    /// The row label, also the key in the figures.
    pub label: &'static str,
    /// `chNN/bin` for a Rust server, `chNN/python/file.py` for Python.
    pub program: &'static str,
}

/// Every server, in the table's order; the first is the reference the
/// ratios are taken to.
pub const SERVERS: [Spec; 10] = [
    Spec {
        label: "tokio current_thread",
        program: "ch27/echo_tokio_current",
    },
    Spec {
        label: "tokio multi_thread",
        program: "ch24/echo_tokio",
    },
    Spec {
        label: "ch23 reactor (mio)",
        program: "ch23/echo_reactor",
    },
    Spec {
        label: "std threads",
        program: "ch24/echo_threads",
    },
    Spec {
        label: "asyncio",
        program: "ch24/python/echo_asyncio.py",
    },
    Spec {
        label: "asyncio + uvloop",
        program: "ch27/python/echo_uvloop.py",
    },
    Spec {
        label: "gevent",
        program: "ch24/python/echo_gevent.py",
    },
    Spec {
        label: "Python threads",
        program: "ch27/python/echo_pythreads.py",
    },
    Spec {
        label: "curio",
        program: "ch27/python/echo_curio.py",
    },
    Spec {
        label: "Twisted",
        program: "ch27/python/echo_twisted.py",
    },
];

impl Spec {
    /// The command that runs this server, pinned to `cpu`.
    fn command(&self, root: &Path, profile: &str, cpu: &str) -> Command {
        let taskset = ["taskset", "-c", cpu];
        let listen = "127.0.0.1:0";
        if self.program.ends_with(".py") {
            let source = root.join("listings").join(self.program);
            server::command(Program::Python(&source), &taskset, listen)
        } else {
            let bin = self.program.rsplit('/').next().unwrap();
            let bin = cmd::target_dir(root).join(profile).join(bin);
            server::command(Program::Binary(&bin), &taskset, listen)
        }
    }
}

/// Builds the Rust servers and the load generator, installs the Python
/// virtualenvs, and checks that `taskset` and two CPUs are there.
pub fn prepare(root: &Path, release: bool) -> Result {
    let cpus = cpus_allowed()?;
    if !cpus.contains(&0) || !cpus.contains(&1) {
        return Err(format!(
            "bench-net pins the load generator to CPU 0 and each server to \
             CPU 1, but this process may run only on CPUs {cpus:?}"
        )
        .into());
    }
    let mut build = cmd::cargo();
    build
        .current_dir(root)
        .args(["build", "--locked", "--bins"]);
    if release {
        build.arg("--release");
    }
    build.args(["-p", "ch23", "-p", "ch24", "-p", "ch27"]);
    cmd::run(&mut build)?;
    python::install_gevent()?;
    bench_venv::install()?;
    Ok(())
}

/// The CPUs this process may run on (`taskset -p`), which also proves
/// that `taskset` is installed.
fn cpus_allowed() -> Result<Vec<usize>> {
    let out = cmd::capture(
        Command::new("taskset").args(["-cp", &std::process::id().to_string()]),
    )
    .map_err(|e| format!("{e}\n`taskset` is needed (Debian: util-linux)"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let list = text.rsplit(':').next().unwrap_or("").trim();
    let mut cpus = Vec::new();
    for part in list.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        match (a.parse::<usize>(), b.parse::<usize>()) {
            (Ok(a), Ok(b)) => cpus.extend(a..=b),
            _ => {
                return Err(format!("cannot read `taskset -cp`: {text}").into());
            }
        }
    }
    Ok(cpus)
}

/// Starts a server on its CPU and reads its address. `taskset` execs the
/// server, so the child's pid is the server's.
pub fn start(root: &Path, spec: &Spec, release: bool) -> Result<ServerProcess> {
    let profile = if release { "release" } else { "debug" };
    let command = spec.command(root, profile, SERVER_CPU);
    Ok(ServerProcess::start(command, Output::Quiet, STARTUP)
        .map_err(|e| format!("{}: {e}", spec.program))?)
}
