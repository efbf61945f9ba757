//! A server program under test: started with `--listen ADDR`, its address
//! read from its first line (`listening on HOST:PORT`, the rule of every
//! server in Part 5), signalled, its standard error kept for the failure
//! messages, and killed and reaped when dropped, so that no failed check
//! leaves a server running.
//!
//! Both pipes are drained on threads of their own for as long as the
//! server runs: a server that writes more than a pipe holds must never
//! block on it, whatever the check is doing meanwhile.

use crate::checks::{python, running};
use crate::cmd;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// What the first line on stdout starts with; the address follows.
const LISTENING: &str = "listening on ";
/// How many lines of stderr are kept (the last ones; a line repeated
/// right after itself is counted, not kept again), and how much of each.
const TAIL_LINES: usize = 15;
const LINE_CHARS: usize = 500;
/// How long to wait for the last words on stderr once the server has
/// exited, or has printed something else than its address.
const EXITED: Duration = Duration::from_secs(1);
const WRONG_LINE: Duration = Duration::from_millis(200);

/// A server program.
#[derive(Clone, Copy)]
pub enum Program<'a> {
    /// A built binary.
    Binary(&'a Path),
    /// A Python file, run by the interpreter its imports need (the gevent
    /// or the bench virtualenv's, or `python3`).
    Python(&'a Path),
}

/// The command that runs `program` on `listen` (`127.0.0.1:0` lets the
/// kernel pick a free port), behind `wrapper` when it is not empty
/// (`["taskset", "-c", "1"]`, which execs the server in its place).
/// Python runs with `-u`, so that `listening on` arrives when it is
/// printed, and writes no `__pycache__` into the listings.
pub fn command(program: Program, wrapper: &[&str], listen: &str) -> Command {
    let (binary, args): (OsString, Vec<OsString>) = match program {
        Program::Binary(path) => (path.into(), Vec::new()),
        Program::Python(source) => (
            python::interpreter_for(source).into(),
            vec!["-u".into(), source.into()],
        ),
    };
    let mut command = match wrapper.split_first() {
        Some((first, rest)) => {
            let mut command = Command::new(first);
            command.args(rest).arg(binary);
            command
        }
        None => Command::new(binary),
    };
    command.args(args);
    if let Program::Python(_) = program {
        command.env("PYTHONDONTWRITEBYTECODE", "1");
    }
    command.args(["--listen", listen]);
    command
}

/// How much of what the server prints the check sees while it runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Only the first line of stdout is read (the rest is discarded);
    /// stderr is kept for [`ServerProcess::stderr_tail`].
    Quiet,
    /// Every line is also printed as it comes (`    server: …`), and the
    /// stdout lines after the first wait for
    /// [`ServerProcess::wait_for_line`].
    Shown,
}

/// A signal the graceful-shutdown servers handle.
#[derive(Clone, Copy, Debug)]
pub enum Signal {
    /// Ctrl-C.
    Interrupt,
    /// What `kill` and service managers send.
    Terminate,
}

impl Signal {
    fn number(self) -> libc::c_int {
        match self {
            Signal::Interrupt => libc::SIGINT,
            Signal::Terminate => libc::SIGTERM,
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        })
    }
}

/// A running server; killed and reaped when dropped.
pub struct ServerProcess {
    child: Child,
    addr: String,
    /// Stdout lines after the first, with [`Output::Shown`].
    lines: Option<Receiver<String>>,
    stderr: Arc<Tail>,
}

impl ServerProcess {
    /// Starts `command` (echoed first) with stdin closed and waits up to
    /// `startup` for its first line. Errors say what went wrong with the
    /// server, and end with what it wrote to stderr; the caller names it.
    pub fn start(
        mut command: Command,
        output: Output,
        startup: Duration,
    ) -> Result<ServerProcess, String> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd::echo(&command);
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start it: {e}"))?;
        let shown = output == Output::Shown;
        let stderr = Arc::new(Tail::default());
        let pipe = child.stderr.take().expect("stderr is piped");
        let tail = Arc::clone(&stderr);
        thread::spawn(move || tail.collect(pipe, shown));
        let (first_tx, first) = mpsc::channel();
        let (line_tx, lines) = mpsc::channel();
        let pipe = child.stdout.take().expect("stdout is piped");
        let line_tx = shown.then_some(line_tx);
        thread::spawn(move || read_stdout(pipe, &first_tx, line_tx));
        let mut server = ServerProcess {
            child,
            addr: String::new(),
            lines: shown.then_some(lines),
            stderr,
        };
        let line = match first.recv_timeout(startup) {
            Ok(Ok(Some(line))) => line,
            Ok(Ok(None)) => return Err(server.no_first_line()),
            Ok(Err(e)) => return Err(format!("cannot read its stdout: {e}")),
            Err(_) => {
                return Err(format!(
                    "no first line within {startup:?}{}",
                    server.stderr_tail()
                ));
            }
        };
        match line.strip_prefix(LISTENING) {
            Some(addr) => server.addr = addr.to_string(),
            None => {
                // It may be on its way out, saying why on stderr.
                server.stderr.wait_closed(WRONG_LINE);
                return Err(format!(
                    "its first line must be `listening on HOST:PORT`, \
                     not {line:?}{}",
                    server.stderr_tail()
                ));
            }
        }
        Ok(server)
    }

    /// Stdout ended before its first line: the server exited, most often.
    fn no_first_line(&mut self) -> String {
        let exited = match self.wait_exit(EXITED) {
            Ok(Some(status)) => format!("exited ({status})"),
            _ => "closed its stdout".to_string(),
        };
        self.stderr.wait_closed(EXITED);
        format!(
            "{exited} before printing `listening on HOST:PORT`{}",
            self.stderr_tail()
        )
    }

    /// `HOST:PORT` from the first line.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The process id: the server's own, also behind `taskset`, which
    /// execs it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Still running? Otherwise how it ended and its last words.
    pub fn alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => {
                self.stderr.wait_closed(EXITED);
                Err(format!(
                    "the server exited ({status}){}",
                    self.stderr_tail()
                ))
            }
            Err(e) => Err(format!("cannot wait for the server: {e}")),
        }
    }

    /// The last lines the server wrote to stderr, to end a failure
    /// message with (empty when it wrote nothing).
    pub fn stderr_tail(&self) -> String {
        self.stderr.text()
    }

    /// Sends `signal` to the server.
    pub fn signal(&mut self, signal: Signal) -> Result<(), String> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Err(format!(
                "cannot send {signal}: the server has exited ({status})"
            ));
        }
        let pid = libc::pid_t::try_from(self.child.id())
            .map_err(|e| format!("cannot send {signal}: {e}"))?;
        // SAFETY: `kill` reads no memory of ours. The pid is our child,
        // which `try_wait` above has not reaped: until it is reaped the
        // pid cannot belong to another process.
        if unsafe { libc::kill(pid, signal.number()) } != 0 {
            return Err(format!(
                "cannot send {signal}: {}",
                io::Error::last_os_error()
            ));
        }
        Ok(())
    }

    /// Waits up to `limit` for the server to exit: its status, or `None`
    /// while it still runs.
    pub fn wait_exit(
        &mut self,
        limit: Duration,
    ) -> Result<Option<ExitStatus>, String> {
        let deadline = Instant::now() + limit;
        loop {
            let status = self
                .child
                .try_wait()
                .map_err(|e| format!("cannot wait for the server: {e}"))?;
            if status.is_some() || Instant::now() >= deadline {
                return Ok(status);
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The next stdout line that starts with `prefix` within `limit`,
    /// skipping others; `None` without [`Output::Shown`].
    pub fn wait_for_line(
        &self,
        prefix: &str,
        limit: Duration,
    ) -> Option<String> {
        let lines = self.lines.as_ref()?;
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends the first stdout line (or its end, or the read error) to
/// `first`, then either sends and prints every other line or discards
/// them, until the server closes stdout.
fn read_stdout(
    pipe: impl Read,
    first: &Sender<io::Result<Option<String>>>,
    lines: Option<Sender<String>>,
) {
    let mut reader = BufReader::new(pipe);
    let line = next_line(&mut reader);
    if let (Ok(Some(line)), Some(_)) = (&line, &lines) {
        println!("    server: {line}");
    }
    let more = matches!(line, Ok(Some(_)));
    let _ = first.send(line);
    if !more {
        return;
    }
    match lines {
        Some(lines) => {
            while let Ok(Some(line)) = next_line(&mut reader) {
                println!("    server: {line}");
                // Nobody waiting any more is fine: keep draining.
                let _ = lines.send(line);
            }
        }
        None => {
            let _ = io::copy(&mut reader, &mut io::sink());
        }
    }
}

/// One line without its `\n` (or `\r\n`), invalid UTF-8 replaced: a
/// server's bytes must not stop the draining. `None` at the end.
fn next_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if reader.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    let line = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(Some(String::from_utf8_lossy(line).into_owned()))
}

/// The last lines of the server's stderr, kept as they come: bounded,
/// however much a server under a thousand connections writes.
#[derive(Default)]
struct Tail {
    state: Mutex<TailState>,
    closed: Condvar,
}

#[derive(Default)]
struct TailState {
    /// Each line with how many times in a row it came.
    lines: VecDeque<(String, usize)>,
    /// The server closed its stderr (it exited, most often).
    closed: bool,
}

impl Tail {
    fn lock(&self) -> MutexGuard<'_, TailState> {
        // Nothing panics while holding the lock; a poisoned one still
        // holds whole lines.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn collect(&self, pipe: impl Read, shown: bool) {
        let mut reader = BufReader::new(pipe);
        while let Ok(Some(mut line)) = next_line(&mut reader) {
            if shown {
                println!("    server stderr: {line}");
            }
            if let Some((cut, _)) = line.char_indices().nth(LINE_CHARS) {
                line.truncate(cut);
                line.push_str(" […]");
            }
            let mut state = self.lock();
            match state.lines.back_mut() {
                Some((last, count)) if *last == line => *count += 1,
                _ => {
                    state.lines.push_back((line, 1));
                    if state.lines.len() > TAIL_LINES {
                        state.lines.pop_front();
                    }
                }
            }
        }
        self.lock().closed = true;
        self.closed.notify_all();
    }

    /// Waits up to `limit` for the end of stderr.
    fn wait_closed(&self, limit: Duration) {
        let state = self.lock();
        let _ = self.closed.wait_timeout_while(state, limit, |s| !s.closed);
    }

    fn text(&self) -> String {
        let text: String = self
            .lock()
            .lines
            .iter()
            .map(|(line, count)| match count {
                1 => format!("{line}\n"),
                n => format!("{line} (×{n})\n"),
            })
            .collect();
        running::stderr_tail(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    fn start(script: &str) -> Result<ServerProcess, String> {
        ServerProcess::start(sh(script), Output::Quiet, Duration::from_secs(10))
    }

    #[test]
    fn the_address_comes_from_the_first_line() {
        let server = start("echo 'listening on 127.0.0.1:4242'; exec sleep 30")
            .expect("it listens");
        assert_eq!(server.addr(), "127.0.0.1:4242");
    }

    #[test]
    fn another_first_line_is_an_error_with_the_servers_stderr() {
        let error = start("echo 'ready'; echo 'bad flag' >&2; exit 2")
            .err()
            .expect("not a listening line");
        assert!(error.contains("not \"ready\""), "{error}");
        assert!(error.contains("bad flag"), "{error}");
    }

    #[test]
    fn an_exit_before_the_first_line_says_so() {
        let error = start("echo 'cannot listen: in use' >&2; exit 1")
            .err()
            .expect("it exited");
        assert!(
            error.starts_with("exited (exit status: 1) before"),
            "{error}"
        );
        assert!(error.contains("cannot listen: in use"), "{error}");
    }

    #[test]
    fn no_first_line_in_time_is_an_error() {
        let error = ServerProcess::start(
            sh("exec sleep 30"),
            Output::Quiet,
            Duration::from_millis(200),
        )
        .err()
        .expect("silent");
        assert!(error.starts_with("no first line within 200ms"), "{error}");
    }

    #[test]
    fn the_stderr_tail_is_bounded_and_counts_repeats() {
        let mut server = start(
            "echo 'listening on x'; \
             for i in $(seq 1 40); do echo \"line $i\" >&2; done; \
             for i in 1 2 3; do echo same >&2; done; exit 3",
        )
        .expect("it listens");
        let error = loop {
            if let Err(e) = server.alive() {
                break e;
            }
            thread::sleep(Duration::from_millis(10));
        };
        assert!(error.starts_with("the server exited (exit status: 3)"));
        assert!(error.contains("same (×3)"), "{error}");
        assert!(error.contains("line 40"), "{error}");
        assert!(!error.contains("line 26\n"), "{error}");
        assert!(error.contains("line 27"), "{error}");
    }

    #[test]
    fn a_signal_reaches_the_server_and_drop_kills_it() {
        let mut server = ServerProcess::start(
            sh("trap 'echo got TERM; exit 0' TERM; echo 'listening on x'; \
                while true; do sleep 0.05; done"),
            Output::Shown,
            Duration::from_secs(10),
        )
        .expect("it listens");
        server.signal(Signal::Terminate).expect("sent");
        let line = server.wait_for_line("got ", Duration::from_secs(10));
        assert_eq!(line.as_deref(), Some("got TERM"));
        let status = server.wait_exit(Duration::from_secs(10)).unwrap();
        assert!(status.is_some_and(|s| s.success()));
        let error = server.signal(Signal::Interrupt).unwrap_err();
        assert!(error.contains("has exited"), "{error}");

        let server = start("echo 'listening on x'; exec sleep 30").unwrap();
        let pid = server.pid().to_string();
        drop(server);
        assert!(!Path::new("/proc").join(pid).exists());
    }
}
