//! The line echo server with the standard library only: one OS thread per
//! connection, blocking reads and writes.

use ch24::{MAX_LINE, TOO_LONG, fail, listen_addr, raise_fd_limit};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

fn main() {
    let addr = listen_addr("echo_threads").unwrap_or_else(|e| fail(e));
    raise_fd_limit().unwrap_or_else(|e| fail(e));
    let listener = TcpListener::bind(addr)
        .unwrap_or_else(|e| fail(format!("cannot listen on {addr}: {e}")));
    let local = listener.local_addr().unwrap_or_else(|e| fail(e));
    println!("listening on {local}");
    std::io::stdout().flush().unwrap_or_else(|e| fail(e));
    // ANCHOR: accept
    for socket in listener.incoming() {
        match socket {
            // A small stack: 1,000 clients are 1,000 threads.
            Ok(socket) => {
                // Nagle off, as in echo_tokio.
                let _ = socket.set_nodelay(true);
                let spawned = thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || echo(socket));
                if let Err(e) = spawned {
                    eprintln!("cannot start a thread: {e}");
                }
            }
            Err(e) => {
                eprintln!("accept failed: {e}");
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
    // ANCHOR_END: accept
}

// ANCHOR: echo
/// The same loop as echo_tokio's `echo`, blocking: while this thread waits
/// in `read_until` for a silent client, it does nothing else.
fn echo(socket: TcpStream) -> std::io::Result<()> {
    // `&TcpStream` implements both Read and Write, so the buffered reader
    // and the writes share one socket: one file descriptor per connection
    // (`try_clone` would `dup` a second one).
    let mut reader = BufReader::new(&socket);
    let mut writer = &socket;
    let mut line = Vec::new();
    loop {
        line.clear();
        let limit = MAX_LINE as u64 + 1;
        (&mut reader).take(limit).read_until(b'\n', &mut line)?;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE {
                writer.write_all(TOO_LONG)?;
            }
            return Ok(());
        }
        writer.write_all(&line)?;
    }
}
// ANCHOR_END: echo
