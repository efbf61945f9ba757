//! What the four echo servers of chapter 24 share: the protocol's numbers,
//! the command line, the listen backlog and the open-file limit. The
//! protocol itself:
//!
//! - every line that ends in `\n` is written back unchanged, as bytes: any
//!   byte but `\n` may appear (invalid UTF-8 and `\r` too), and an empty
//!   line comes back as an empty line;
//! - a line longer than [`MAX_LINE`] bytes (the `\n` not counted) gets
//!   [`TOO_LONG`] and the connection is closed, without losing the replies
//!   already written (see [`LINGER`]); the others go on;
//! - a client that leaves mid-line or mid-reply costs only its connection.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

// ANCHOR: protocol
/// The longest line a server echoes, without its `\n`.
pub const MAX_LINE: usize = 8192;
/// The reply to a longer line, after which the server hangs up.
pub const TOO_LONG: &[u8] = b"ERR line too long\n";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7878";
// ANCHOR_END: protocol
/// After [`TOO_LONG`]: how long a refused client may go on sending while
/// the server reads and discards it. Closing a socket whose input has not
/// all been read makes Linux send a reset (RST) and throw away what is
/// still queued to send: the `ERR` line and earlier replies with it. So
/// the server shuts its write side (the client sees the end of the
/// replies), discards input until the client closes, and closes anyway
/// after this long.
pub const LINGER: Duration = Duration::from_secs(1);
/// The listen backlog: connections the kernel completes before `accept`.
/// std and mio ask for 128; the Python servers for 1024, and a thousand
/// clients connecting at once overflow 128 (the kernel drops their SYNs,
/// and they retry a second later).
pub const BACKLOG: u32 = 1024;

/// `--listen ADDR` from the command line (`--help` prints the usage and
/// exits). Errors are one line for `main` to print.
// ANCHOR: listen_addr
pub fn listen_addr(name: &str) -> Result<SocketAddr, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match &args[..] {
        [] => DEFAULT_LISTEN,
        [flag, addr] if flag == "--listen" => addr,
        [flag] if flag == "--help" => {
            println!("usage: {name} [--listen ADDR]");
            println!(
                "  echoes every line back; default ADDR {DEFAULT_LISTEN},"
            );
            println!("  127.0.0.1:0 picks a free port");
            std::process::exit(0);
        }
        _ => return Err(format!("usage: {name} [--listen ADDR]")),
    };
    text.parse()
        .map_err(|e| format!("bad --listen address `{text}`: {e}"))
}
// ANCHOR_END: listen_addr

/// Fewer open files than this and a server could not even start its event
/// loop (stdin, stdout, stderr, epoll, a wake-up pipe, the listener) and
/// serve a few clients.
pub const MIN_FILES: u64 = 16;

/// What to ask for where the hard limit is refused as a soft limit: 1,000
/// clients and room to spare.
pub const FDS_WANTED: u64 = 1100;

/// Raises the soft limit on open files to the hard limit and returns the
/// limit now in force: each client is one file descriptor, and the usual
/// soft limit (1024 on Linux) leaves only a few to spare above a thousand
/// clients (macOS's 256: none). Chapter 23's, unchanged.
// ANCHOR: raise_fd_limit SAME-AS: listings/ch23/src/lib.rs#raise_fd_limit
#[cfg(unix)]
pub fn raise_fd_limit() -> io::Result<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // The hard limit first. On macOS the hard limit is often unlimited and
    // setrlimit(2) may refuse that as a soft limit (its man page says to use
    // min(OPEN_MAX, rlim_max)): then ask for enough for 1,000 clients.
    for wanted in [limit.rlim_max, FDS_WANTED.min(limit.rlim_max)] {
        if wanted <= limit.rlim_cur {
            break;
        }
        let raised = libc::rlimit {
            rlim_cur: wanted,
            ..limit
        };
        // SAFETY: setrlimit only reads the struct we pass.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
            break;
        }
    }
    Ok(limit.rlim_cur)
}

#[cfg(not(unix))]
pub fn raise_fd_limit() -> io::Result<u64> {
    Ok(u64::MAX)
}
// ANCHOR_END: raise_fd_limit

/// [`raise_fd_limit`], failing (one line, for `main`) when even the hard
/// limit is below [`MIN_FILES`].
// ANCHOR: check_fd_limit
pub fn check_fd_limit() -> Result<(), String> {
    let fds = raise_fd_limit()
        .map_err(|e| format!("cannot read the open-file limit: {e}"))?;
    if fds < MIN_FILES {
        return Err(format!(
            "the open-file limit is {fds}; a server needs at least \
             {MIN_FILES} (ulimit -n)"
        ));
    }
    Ok(())
}
// ANCHOR_END: check_fd_limit

/// Ends the program with a one-line error and a non-zero exit status
/// (never a panic's backtrace).
pub fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
