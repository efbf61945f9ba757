//! What the four echo servers of chapter 24 share: the protocol's numbers,
//! the command line and the open-file limit. The protocol itself:
//!
//! - every line that ends in `\n` is written back unchanged, as bytes: any
//!   byte but `\n` may appear (invalid UTF-8 and `\r` too), and an empty
//!   line comes back as an empty line;
//! - a line longer than [`MAX_LINE`] bytes (the `\n` not counted) gets
//!   [`TOO_LONG`] and the connection is closed; the others go on;
//! - a client that leaves mid-line or mid-reply costs only its connection.

use std::net::SocketAddr;

/// The longest line a server echoes, without its `\n`.
pub const MAX_LINE: usize = 8192;
/// The reply to a longer line, after which the server hangs up.
pub const TOO_LONG: &[u8] = b"ERR line too long\n";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7878";

/// `--listen ADDR` from the command line (`--help` prints the usage and
/// exits). Errors are one line for `main` to print.
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

/// Raises the soft limit on open files to the hard limit: each client is
/// one file descriptor, and the usual soft limit (often 1024) would refuse
/// the thousandth client although the system allows many more.
pub fn raise_fd_limit() {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            // A failure leaves the soft limit as it was: still a server.
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Ends the program with a one-line error and a non-zero exit status
/// (never a panic's backtrace).
pub fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
