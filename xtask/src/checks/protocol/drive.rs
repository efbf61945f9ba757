//! One scripted client connection: what it writes, in which pieces and
//! with which pauses, how it reads, and how it leaves. One thread drives
//! both directions on a non-blocking socket, so a client that does not
//! read yet never deadlocks against a server that cannot write, and a
//! pause or a reset happens exactly where the script puts it.

use super::model::{self, Reply};
use crate::run::socket::{self, Ready};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long one connection may take in all: a server that stops
/// answering fails the case instead of hanging the check.
const LIMIT: Duration = Duration::from_secs(30);
/// After the whole reply of a connection the client keeps open, how long
/// nothing more may arrive (neither extra bytes nor a close).
const QUIET: Duration = Duration::from_millis(30);

/// How the client leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Shuts its write side after the last write, then reads until the
    /// server closes.
    HalfClose,
    /// Keeps the connection open and reads the whole reply; a refused
    /// connection must then be closed by the server.
    KeepOpen,
    /// Resets the connection (`SO_LINGER` 0, then close) after that many
    /// writes, while the server may still be reading or writing.
    Reset { after: usize },
}

pub struct Plan {
    pub data: Vec<u8>,
    /// Where each write ends (ascending, the last one at `data.len()`)
    /// and how long the client pauses before it.
    pub writes: Vec<(usize, Duration)>,
    /// The client reads nothing for this long after connecting.
    pub read_delay: Duration,
    /// The most one read takes.
    pub read_size: usize,
    /// After every `n`th read, a pause this long.
    pub read_pause: Option<(u32, Duration)>,
    /// A 4 KiB receive buffer ([`socket::small_receive_buffer`]).
    pub small_buffer: bool,
    pub end: End,
}

/// How the server's side of the stream ended, as the client saw it.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    /// A normal close (FIN).
    Eof,
    /// A reset (RST) from the server.
    Reset,
    /// The client kept the connection open: the whole reply came, and
    /// then nothing for [`QUIET`].
    Quiet,
    /// The client reset the connection itself, as planned.
    ClientReset,
    /// What came differs from the reply to everything planned: the client
    /// stopped there.
    Diverged,
    /// Another read error.
    Error(String),
    /// Nothing decided the case within [`LIMIT`].
    Timeout,
}

pub struct Transcript {
    /// How many bytes of `data` the kernel took.
    pub sent: usize,
    pub received: Vec<u8>,
    pub ending: Ending,
    /// Where a write failed, and why.
    pub write_error: Option<(usize, String)>,
    pub took: Duration,
}

/// Runs `plan` on a new connection to `addr`.
pub fn run(addr: &str, plan: &Plan) -> Result<Transcript, String> {
    let socket = TcpStream::connect(addr)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    socket
        .set_nonblocking(true)
        .map_err(|e| format!("set_nonblocking: {e}"))?;
    if plan.small_buffer {
        socket::small_receive_buffer(&socket)?;
    }
    let whole = model::reply(&plan.data).bytes;
    let start = Instant::now();
    let deadline = start + LIMIT;
    let writes = match plan.end {
        End::Reset { after } => &plan.writes[..after.min(plan.writes.len())],
        _ => &plan.writes[..],
    };
    let mut next = 0;
    let mut sent = 0;
    let mut write_ready =
        start + writes.first().map_or(Duration::ZERO, |w| w.1);
    let mut write_error = None;
    let mut expected: Option<Reply> = None;
    let mut read_ready = start + plan.read_delay;
    let mut reads = 0u32;
    let mut received = Vec::new();
    let mut buf = vec![0; plan.read_size.max(1)];
    let mut complete_at: Option<Instant> = None;
    let ending = loop {
        let now = Instant::now();
        if now > deadline {
            break Ending::Timeout;
        }
        let mut progress = false;
        let mut want = Ready::default();
        if next < writes.len() && write_error.is_none() && now >= write_ready {
            let end = writes[next].0;
            match (&socket).write(&plan.data[sent..end]) {
                Ok(n) => {
                    sent += n;
                    progress = true;
                    if sent == end {
                        next += 1;
                        if let Some(w) = writes.get(next) {
                            write_ready = now + w.1;
                        }
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    want.write = true
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => write_error = Some((sent, e.to_string())),
            }
        }
        if expected.is_none() && (next == writes.len() || write_error.is_some())
        {
            match plan.end {
                End::Reset { .. } => {
                    socket::reset(socket)?;
                    break Ending::ClientReset;
                }
                End::HalfClose if write_error.is_none() => {
                    let _ = socket.shutdown(Shutdown::Write);
                }
                _ => {}
            }
            expected = Some(model::reply(&plan.data[..sent]));
        }
        if now >= read_ready {
            match (&socket).read(&mut buf) {
                Ok(0) => break Ending::Eof,
                Ok(n) => {
                    let from = received.len();
                    received.extend_from_slice(&buf[..n]);
                    progress = true;
                    if !whole
                        .get(from..)
                        .is_some_and(|w| w.starts_with(&buf[..n]))
                    {
                        break Ending::Diverged;
                    }
                    reads += 1;
                    if let Some((every, pause)) = plan.read_pause
                        && reads.is_multiple_of(every)
                    {
                        read_ready = now + pause;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => want.read = true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                    break Ending::Reset;
                }
                Err(e) => break Ending::Error(e.to_string()),
            }
        }
        if plan.end == End::KeepOpen
            && let Some(reply) = &expected
            && !reply.refused
        {
            if received.len() > reply.bytes.len() {
                break Ending::Diverged;
            }
            if received.len() == reply.bytes.len() {
                let at = *complete_at.get_or_insert(now);
                if now >= at + QUIET {
                    break Ending::Quiet;
                }
            }
        }
        if progress {
            continue;
        }
        // Nothing to do now: wait for the socket or the next planned
        // moment, whichever comes first (and at most 10 ms).
        let mut wake = now + Duration::from_millis(10);
        if expected.is_none() && write_error.is_none() && write_ready > now {
            wake = wake.min(write_ready);
        }
        if read_ready > now {
            wake = wake.min(read_ready);
        } else {
            want.read = true;
        }
        socket::wait_ready(&socket, want, wake.saturating_duration_since(now));
    };
    Ok(Transcript {
        sent,
        received,
        ending,
        write_error,
        took: start.elapsed(),
    })
}
