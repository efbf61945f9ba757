//! What the programs of chapter 27 share: the echo protocol's numbers
//! (the same as chapter 24's), the command line and the open-file limit.

use std::net::SocketAddr;

/// The longest line a server echoes, without its `\n`.
pub const MAX_LINE: usize = 8192;
/// The reply to a longer line, after which the server hangs up.
pub const TOO_LONG: &[u8] = b"ERR line too long\n";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7878";

/// `--listen ADDR` from the command line (`--help` prints the usage).
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

/// Raises the soft limit on open files to the hard limit and returns the
/// new soft limit: each connection is one file descriptor, and the usual
/// soft limit (1024) would refuse the thousandth.
pub fn raise_fd_limit() -> u64 {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                return limit.rlim_cur as u64;
            }
            let mut now = std::mem::zeroed::<libc::rlimit>();
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut now);
            return now.rlim_cur as u64;
        }
    }
    1024
}

/// Ends the program with a one-line error and a non-zero exit status.
pub fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
