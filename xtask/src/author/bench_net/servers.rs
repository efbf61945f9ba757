//! Which echo servers the network bench runs, and how: each is started
//! with `taskset` on the server's CPU, listening on a free loopback port.

use crate::checks::{bench_venv, python};
use crate::{Result, cmd};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
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
    fn python(&self) -> Option<PathBuf> {
        self.program
            .ends_with(".py")
            .then(|| PathBuf::from(format!("listings/{}", self.program)))
    }

    /// The command that runs this server, pinned to `cpu`.
    fn command(&self, root: &Path, profile: &str, cpu: &str) -> Command {
        let mut command = Command::new("taskset");
        command.args(["-c", cpu]);
        match self.python() {
            Some(source) => {
                let source = root.join(source);
                command.arg(python::interpreter_for(&source)).arg("-u");
                command.arg(source);
                command.env("PYTHONDONTWRITEBYTECODE", "1");
            }
            None => {
                let bin = self.program.rsplit('/').next().unwrap();
                command.arg(cmd::target_dir(root).join(profile).join(bin));
            }
        }
        command.args(["--listen", "127.0.0.1:0"]);
        command
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

/// A server running on its CPU; killed when dropped.
pub struct Running {
    pub addr: String,
    pub pid: u32,
    child: Child,
    stderr: mpsc::Receiver<String>,
}

impl Running {
    pub fn start(root: &Path, spec: &Spec, release: bool) -> Result<Running> {
        let profile = if release { "release" } else { "debug" };
        let mut command = spec.command(root, profile, SERVER_CPU);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: cannot start it: {e}", spec.program))?;
        let (tx, first) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = tx.send(reader.read_line(&mut line).map(|_| line));
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let (err_tx, stderr) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(|l| l.ok()) {
                let _ = err_tx.send(line);
            }
        });
        // `taskset` execs the server: the child's pid is the server's.
        let pid = child.id();
        let mut running = Running {
            addr: String::new(),
            pid,
            child,
            stderr,
        };
        let line = match first.recv_timeout(STARTUP) {
            Ok(Ok(line)) => line,
            _ => {
                return Err(format!(
                    "{}: no `listening on` line within {STARTUP:?}{}",
                    spec.program,
                    running.stderr_tail()
                )
                .into());
            }
        };
        match line.trim_end().strip_prefix("listening on ") {
            Some(addr) => running.addr = addr.to_string(),
            None => {
                return Err(format!(
                    "{}: first line {:?}, not `listening on HOST:PORT`{}",
                    spec.program,
                    line.trim_end(),
                    running.stderr_tail()
                )
                .into());
            }
        }
        Ok(running)
    }

    /// Still running? Otherwise how it ended and its last words.
    pub fn alive(&mut self) -> std::result::Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => {
                thread::sleep(Duration::from_millis(200));
                Err(format!(
                    "the server exited ({status}){}",
                    self.stderr_tail()
                ))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// The server's last lines on stderr (`; its stderr ends: ...`).
    pub fn stderr_tail(&mut self) -> String {
        let mut lines: Vec<String> = self.stderr.try_iter().collect();
        lines.dedup();
        let tail = &lines[lines.len().saturating_sub(5)..];
        if tail.is_empty() {
            String::new()
        } else {
            format!("; its stderr ends:\n    {}", tail.join("\n    "))
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
