//! Graceful shutdown of chapter 25's echo servers, checked from outside
//! with real sockets and a real SIGINT, for the Rust program and its
//! Python twin:
//!
//! - drain: 50 clients each get a first line echoed (so every connection
//!   is being served), SIGINT arrives, a new connection is then refused,
//!   the clients send their other 99 lines and half-close; each must get
//!   all 100 lines back, then EOF, and the server must exit 0 within the
//!   drain limit;
//! - cut: with `--drain-secs 1`, SIGTERM, and a client that never
//!   half-closes: it is cut no earlier than 1 s and soon after, the server
//!   says so and exits 0;
//! - refusal: a client sends valid lines, a line of 9,000 bytes and more
//!   data behind it, all without waiting, and reads only after a pause,
//!   with a small receive buffer; it must get every echo and the `ERR`
//!   line, then EOF, not a reset (100 lines + 100 KB and 1,000 lines +
//!   2 MB, three times each);
//! - in process: `drain_backlog` (and its Python twin) runs the same
//!   `serve` with the shutdown triggered inside the process, where the
//!   signal and the connections need not arrive in one turn of the event
//!   loop: with a full accept queue, right after a connect (20 rounds),
//!   and while 50 clients are connecting. Every client whose connect
//!   returned before the trigger must get its line back; none is reset.
//!   (A client whose handshake completes after the server's last
//!   `accept` and before it closes the listener is reset: no server can
//!   prevent that, so the trigger always follows the clients' connects.)

use super::running;
use crate::report::Report;
use crate::run::server::{self, Output, Program, ServerProcess, Signal};
use crate::run::socket;
use crate::{Result, cmd};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

pub const RUST_BIN: &str = "listings/ch25/src/bin/echo_graceful.rs";
pub const PYTHON: &str = "listings/ch25/python/echo_graceful.py";
pub const RUST_IN_PROCESS: &str = "listings/ch25/src/bin/drain_backlog.rs";
pub const PYTHON_IN_PROCESS: &str = "listings/ch25/python/drain_backlog.py";
/// Where the Rust `serve` is, which the in-process harness runs.
pub const RUST_SERVE: &str = "listings/ch25/src/graceful.rs";
/// Rounds of "signal right after a connect", and clients arriving.
const ROUNDS: usize = 20;
const ARRIVING: usize = 50;
/// Mio's listen backlog (128) plus the one more that Linux queues.
const BACKLOG: usize = 129;

const CLIENTS: usize = 50;
const LINES: usize = 100;
/// `--drain-secs` of the drain scenario: the clients finish well inside it.
const DRAIN_SECS: u64 = 5;
/// Time to start (a Python interpreter on a loaded 2-core machine can take
/// seconds) and slack after a limit, for a loaded machine.
const START: Duration = Duration::from_secs(30);
const SLACK: Duration = Duration::from_millis(1500);

/// One scenario against a server started by the command, named by its
/// source file.
type Scenario = fn(Command, &str) -> Result;

/// Both servers, every scenario: one check each.
pub fn check(root: &Path) -> Report {
    let mut report = Report::default();
    let built = cmd::run(cmd::cargo().current_dir(root).args([
        "build",
        "--locked",
        "--bin",
        "echo_graceful",
        "--bin",
        "drain_backlog",
        "-p",
        "ch25",
    ]));
    let bin = cmd::target_dir(root).join("debug/echo_graceful");
    let python = root.join(PYTHON);
    let command_for = |source: &str| {
        let program = if source == RUST_BIN {
            Program::Binary(&bin)
        } else {
            Program::Python(&python)
        };
        let mut c = server::command(program, &[], "127.0.0.1:0");
        c.current_dir(root);
        c
    };
    for source in [RUST_BIN, PYTHON] {
        let scenarios: [(String, Scenario); 3] = [
            (format!("{CLIENTS} clients drained"), drain_all),
            ("cut at the drain limit".into(), cut_at_limit),
            (
                "a long line refused with data behind it".into(),
                refuse_pipelined,
            ),
        ];
        for (what, scenario) in scenarios {
            let result = if source == RUST_BIN && built.is_err() {
                Err("not run: ch25 does not build".into())
            } else {
                scenario(command_for(source), source)
            };
            report
                .record(&format!("graceful shutdown {source}: {what}"), result);
        }
    }
    for source in [RUST_IN_PROCESS, PYTHON_IN_PROCESS] {
        let result = if source == RUST_IN_PROCESS && built.is_err() {
            Err("not run: ch25 does not build".into())
        } else {
            let mut c = if source == RUST_IN_PROCESS {
                Command::new(cmd::target_dir(root).join("debug/drain_backlog"))
            } else {
                let mut c = Command::new("python3");
                c.arg("-u").arg("drain_backlog.py");
                c
            };
            let dir = if source == RUST_IN_PROCESS {
                ""
            } else {
                "listings/ch25/python"
            };
            c.current_dir(root.join(dir));
            in_process(c, source)
        };
        report.record(
            &format!("graceful shutdown {source}: triggered in process"),
            result,
        );
    }
    report
}

/// Runs the in-process harness; every client must be echoed, none reset.
fn in_process(mut command: Command, source: &str) -> Result {
    command
        .args(["--rounds", &ROUNDS.to_string()])
        .args(["--arriving", &ARRIVING.to_string()]);
    let run = running::run_with_timeout(&mut command, running::timeout())
        .map_err(|e| format!("{source}: {e}"))?;
    let stdout = &run.stdout;
    for line in stdout.lines() {
        println!("    {line}");
    }
    // The Rust `serve` lives in the library; name it, since a fault there
    // shows up here.
    let server = if source == RUST_IN_PROCESS {
        format!("{source} (serve in {RUST_SERVE})")
    } else {
        format!("{source} (serve in {PYTHON})")
    };
    let mut problems = Vec::new();
    for (what, n) in [
        (format!("{BACKLOG} clients queued"), BACKLOG),
        (format!("{ROUNDS} signals right after a connect"), ROUNDS),
        (format!("{ARRIVING} clients arriving"), ARRIVING),
    ] {
        let expected = format!("{what}: {n} echoed, 0 reset");
        match stdout.lines().find(|l| l.starts_with(&format!("{what}:"))) {
            Some(line) if line == expected => {}
            Some(line) => problems.push(format!(
                "`{line}`, expected `{expected}` (clients that connected \
                 before the shutdown were reset or not answered)"
            )),
            None => problems.push(format!("no line `{what}: …`")),
        }
    }
    if run.timed_out {
        problems.push(format!("killed after {:.0?}", run.elapsed));
    } else if !run.status_ok {
        problems.push(format!(
            "exited with {}{}",
            run.status,
            running::stderr_tail(&run.stderr)
        ));
    }
    // Any line after a tally line names a client's other failure.
    if let Some(detail) = stdout.lines().find(|l| l.starts_with("  ")) {
        problems.push(format!("a client: {}", detail.trim()));
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{server}: shutdown triggered in process lost clients:\n  {}",
        problems.join("\n  ")
    )
    .into())
}

/// Starts a server with `--drain-secs drain`; its output is shown, and its
/// stdout lines are what the scenarios wait for.
fn start_server(
    mut command: Command,
    source: &str,
    drain: u64,
) -> Result<ServerProcess> {
    command.arg("--drain-secs").arg(drain.to_string());
    Ok(ServerProcess::start(command, Output::Shown, START)
        .map_err(|e| format!("{source}: {e}"))?)
}

/// The next stdout line starting with `prefix`, skipping others.
fn wait_for_line(
    server: &ServerProcess,
    source: &str,
    prefix: &str,
    limit: Duration,
) -> Result<String> {
    server.wait_for_line(prefix, limit).ok_or_else(|| {
        format!(
            "{source}: no stdout line starting with `{prefix}` within \
             {limit:?}{}",
            server.stderr_tail()
        )
        .into()
    })
}

/// Waits for the exit; fails if it comes later than `limit` after
/// `start` (the signal). Returns the time since `start` and whether the
/// exit was a success.
fn exited_within(
    server: &mut ServerProcess,
    source: &str,
    start: Instant,
    limit: Duration,
) -> Result<(Duration, bool)> {
    let left = limit.saturating_sub(start.elapsed());
    match server.wait_exit(left)? {
        Some(status) => Ok((start.elapsed(), status.success())),
        None => Err(format!(
            "{source}: still running {limit:?} after the signal{}",
            server.stderr_tail()
        )
        .into()),
    }
}

/// After the signal the listening socket must be closed.
fn expect_refused(addr: &str, source: &str) -> Result {
    match TcpStream::connect(addr) {
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => Ok(()),
        Err(e) => Err(format!(
            "{source}: a connection after SIGINT failed, but not as refused: \
             {e}"
        )
        .into()),
        Ok(_) => Err(format!(
            "{source}: a connection after SIGINT was accepted (the server \
             must stop accepting)"
        )
        .into()),
    }
}

fn line(client: usize, n: usize) -> String {
    format!("client {client} line {n}\n")
}

/// One client: line 0 echoed, then (after the signal) lines 1..100 sent
/// in bursts, half-close, everything back and EOF.
fn client(
    addr: &str,
    id: usize,
    signalled: &Barrier,
    refused: &Barrier,
) -> std::result::Result<(), String> {
    let fail =
        |what: &str, e: std::io::Error| format!("client {id}: {what}: {e}");
    let mut stream = TcpStream::connect(addr).map_err(|e| fail("connect", e));
    // Every client reaches both barriers even after a failure, so that
    // the others are not left waiting.
    let first = stream.as_mut().map_err(|e| e.clone()).and_then(|s| {
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .map_err(|e| fail("timeout", e))?;
        s.write_all(line(id, 0).as_bytes())
            .map_err(|e| fail("write", e))?;
        let mut echoed = vec![0; line(id, 0).len()];
        s.read_exact(&mut echoed)
            .map_err(|e| fail("first echo", e))?;
        Ok(())
    });
    signalled.wait();
    refused.wait();
    first?;
    let mut stream = stream?;
    for burst in 1..=(LINES - 1) / 11 {
        let lines: String = (((burst - 1) * 11 + 1)
            ..(burst * 11 + 1).min(LINES))
            .map(|n| line(id, n))
            .collect();
        if stream.write_all(lines.as_bytes()).is_err() {
            break; // the reply below says what was lost
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = stream.shutdown(Shutdown::Write);
    let mut got = Vec::new();
    let read = stream.read_to_end(&mut got);
    let got = String::from_utf8_lossy(&got);
    let expected: String = (0..LINES).map(|n| line(id, n)).collect();
    let rest = &expected[line(id, 0).len()..];
    if got == rest {
        return read.map(drop).map_err(|e| fail("read", e));
    }
    let received = got.matches('\n').count() + 1;
    let missing = (1..LINES)
        .map(|n| line(id, n))
        .find(|l| !got.contains(l.as_str()))
        .unwrap_or_default();
    Err(format!(
        "client {id}: received {received} of {LINES} lines before the \
         connection ended ({}); first missing: {:?}",
        match read {
            Ok(_) => "EOF".to_string(),
            Err(e) => e.to_string(),
        },
        missing.trim_end()
    ))
}

fn drain_all(command: Command, source: &str) -> Result {
    let mut server = start_server(command, source, DRAIN_SECS)?;
    let signalled = Arc::new(Barrier::new(CLIENTS + 1));
    let refused = Arc::new(Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (addr, s, r) = (
                server.addr().to_string(),
                signalled.clone(),
                refused.clone(),
            );
            thread::spawn(move || client(&addr, id, &s, &r))
        })
        .collect();
    // Every client has had its first line echoed: all are being served.
    signalled.wait();
    let start = Instant::now();
    let sent: Result = server
        .signal(Signal::Interrupt)
        .map_err(|e| format!("{source}: {e}").into());
    let stopped =
        sent.and_then(|()| wait_for_line(&server, source, "SIGINT: ", START));
    let refusal = stopped.and_then(|_| expect_refused(server.addr(), source));
    refused.wait();
    let mut problems: Vec<String> = clients
        .into_iter()
        .filter_map(|c| c.join().unwrap_or(Err("client panicked".into())).err())
        .collect();
    let limit = Duration::from_secs(DRAIN_SECS) + SLACK;
    let exit =
        refusal.and_then(|()| exited_within(&mut server, source, start, limit));
    match exit {
        Ok((after, true)) => {
            println!("    {source}: exit 0, {after:.2?} after SIGINT");
        }
        Ok((after, false)) => problems.insert(
            0,
            format!("{source}: exited with failure {after:.2?} after SIGINT"),
        ),
        Err(e) => problems.insert(0, e.to_string()),
    }
    if problems.is_empty() {
        return Ok(());
    }
    let shown = problems.len().min(5);
    Err(format!(
        "{source}: graceful shutdown lost data or hung ({} problem(s)):\n  {}",
        problems.len(),
        problems[..shown].join("\n  ")
    )
    .into())
}

fn cut_at_limit(command: Command, source: &str) -> Result {
    let mut server = start_server(command, source, 1)?;
    let mut stream = TcpStream::connect(server.addr())?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(b"still here\n")?;
    let mut echoed = [0; 11];
    stream.read_exact(&mut echoed)?;
    // SIGTERM here, SIGINT above: the server must stop on either.
    let start = Instant::now();
    server
        .signal(Signal::Terminate)
        .map_err(|e| format!("{source}: {e}"))?;
    wait_for_line(&server, source, "SIGTERM: ", START)?;
    let limit = Duration::from_secs(1) + SLACK;
    let (after, ok) = exited_within(&mut server, source, start, limit)?;
    let cut = wait_for_line(&server, source, "cut connection #1 ", SLACK);
    let mut rest = Vec::new();
    let closed = stream.read_to_end(&mut rest);
    if after < Duration::from_millis(900) {
        return Err(format!(
            "{source}: with --drain-secs 1 a silent client was cut \
             {after:.2?} after SIGTERM, before the limit"
        )
        .into());
    }
    cut?;
    if !ok {
        return Err(
            format!("{source}: exited with failure after the cut").into()
        );
    }
    match closed {
        Ok(_) if rest.is_empty() => Ok(()),
        Ok(_) => Err(format!(
            "{source}: unexpected bytes after the cut: {:?}",
            String::from_utf8_lossy(&rest)
        )
        .into()),
        // A reset is a close too.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => Ok(()),
        Err(e) => {
            Err(format!("{source}: the cut connection was not closed: {e}")
                .into())
        }
    }
}

/// The answer the server owes to `valid` lines, a 9,000-byte line and
/// `junk` bytes after it, all sent before the client reads anything.
fn refuse_pipelined(command: Command, source: &str) -> Result {
    let server = start_server(command, source, DRAIN_SECS)?;
    let mut problems = Vec::new();
    for round in 0..3 {
        for (valid, junk) in [(100, 100_000), (1000, 2_000_000)] {
            if let Err(e) = pipelined(server.addr(), valid, junk) {
                problems.push(format!(
                    "round {round}, {valid} lines + {junk} bytes: {e}"
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{source}: a refused long line lost data sent before it \
         (close with unread input sends a reset):\n  {}",
        problems.join("\n  ")
    )
    .into())
}

fn pipelined(
    addr: &str,
    valid: usize,
    junk: usize,
) -> std::result::Result<(), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    // A small receive buffer keeps the echoes waiting in the server's send
    // buffer, where a reset would throw them away.
    socket::small_receive_buffer(&stream)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    let lines: String = (0..valid)
        .map(|n| format!("{n:05}{}\n", "x".repeat(58)))
        .collect();
    let mut data = lines.clone().into_bytes();
    data.extend(std::iter::repeat_n(b'y', 9000));
    data.push(b'\n');
    data.extend(std::iter::repeat_n(b'z', junk));
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    // The server may stop reading (and close) before all of it is sent.
    let sender = thread::spawn(move || {
        let _ = writer.write_all(&data);
    });
    thread::sleep(Duration::from_millis(300));
    let mut got = Vec::new();
    let read = stream.read_to_end(&mut got);
    let _ = sender.join();
    let expected = format!("{lines}ERR line too long\n");
    if got == expected.as_bytes() && read.is_ok() {
        return Ok(());
    }
    let got = String::from_utf8_lossy(&got);
    Err(format!(
        "{} of {valid} echoes, ERR line {}, then {}",
        got.matches('x').count() / 58,
        if got.contains("ERR line too long\n") {
            "received"
        } else {
            "missing"
        },
        match read {
            Ok(_) => "EOF".to_string(),
            Err(e) => e.to_string(),
        }
    ))
}
