//! The echo server of chapter 24 with a graceful shutdown:
//!
//! ```text
//! echo_graceful [--listen ADDR] [--drain-secs N]
//! ```
//!
//! On SIGINT or SIGTERM it stops accepting, keeps echoing on every open
//! connection until that client half-closes, and exits 0 when all are
//! closed; a client still open after N seconds (default 5) is cut, and
//! the cut is printed.
use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::signal::unix::{SignalKind, signal};

// ANCHOR: main
#[tokio::main]
async fn main() -> ExitCode {
    let (listen, drain) = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(why) => {
            eprintln!("echo_graceful: {why}");
            return ExitCode::from(2);
        }
    };
    // Handlers first: from now on SIGINT no longer kills the process,
    // it only completes `shutdown` below.
    let (mut int, mut term) = match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(int), Ok(term)) => (int, term),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("echo_graceful: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match listen_on(&listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("echo_graceful: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        // stdout is line-buffered: the line leaves with its `\n`.
        Ok(addr) => println!("listening on {addr}"),
        Err(e) => {
            eprintln!("echo_graceful: {e}");
            return ExitCode::FAILURE;
        }
    }
    let shutdown = async {
        tokio::select! {
            _ = int.recv() => "SIGINT",
            _ = term.recv() => "SIGTERM",
        }
    };
    ch25::graceful::serve(listener, shutdown, drain).await;
    ExitCode::SUCCESS
}
// ANCHOR_END: main

/// `TcpListener::bind` with chapter 24's backlog of 1024: `bind` asks for
/// 128, and a burst that overflows the queue can leave clients whose
/// `connect` succeeded (a SYN cookie) with no connection on this side,
/// reset later, drain or no drain.
async fn listen_on(addr: &str) -> io::Result<TcpListener> {
    let addr =
        tokio::net::lookup_host(addr).await?.next().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "no address to listen on",
            )
        })?;
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As `bind` does on Unix: a restarted server can take the port at once.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

fn parse(
    mut args: impl Iterator<Item = String>,
) -> Result<(String, Duration), String> {
    let mut listen = "127.0.0.1:7878".to_string();
    let mut drain = Duration::from_secs(5);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--listen" => listen = value()?,
            "--drain-secs" => {
                let v = value()?;
                let secs: f64 = v.parse().map_err(|_| {
                    format!("--drain-secs: not a number of seconds: {v}")
                })?;
                drain = Duration::try_from_secs_f64(secs)
                    .map_err(|e| format!("--drain-secs {v}: {e}"))?;
            }
            _ => return Err(format!("unknown argument: {arg}")),
        }
    }
    Ok((listen, drain))
}
