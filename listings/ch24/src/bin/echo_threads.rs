//! The line echo server with the standard library only: one OS thread per
//! connection, blocking reads and writes.

use ch24::{
    BACKLOG, LINGER, MAX_LINE, TOO_LONG, check_fd_limit, fail, listen_addr,
};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let addr = listen_addr("echo_threads").unwrap_or_else(|e| fail(e));
    check_fd_limit().unwrap_or_else(|e| fail(e));
    let listener = TcpListener::bind(addr)
        .and_then(lengthen_backlog)
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

/// `TcpListener::bind` asks for a backlog of 128, and std has no way to ask
/// for more. On Linux, `listen` on a socket that is already listening
/// changes only its backlog (`ss -ltn` then shows 1024).
fn lengthen_backlog(listener: TcpListener) -> io::Result<TcpListener> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: listen(2) on a descriptor this listener owns.
        let fd = listener.as_raw_fd();
        if unsafe { libc::listen(fd, BACKLOG as libc::c_int) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(listener)
}

// ANCHOR: echo
/// The same loop as echo_tokio's `echo`, blocking: while this thread waits
/// in `read_until` for a silent client, it does nothing else.
fn echo(socket: TcpStream) -> io::Result<()> {
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
                // As in echo_tokio: no more replies, then discard input
                // until the client closes, for at most LINGER, so that
                // closing does not reset the connection.
                socket.shutdown(Shutdown::Write)?;
                discard_until(&mut reader, Instant::now() + LINGER);
            }
            return Ok(());
        }
        writer.write_all(&line)?;
    }
}

/// Reads and drops input until the client closes, an error, or `deadline`.
fn discard_until(reader: &mut BufReader<&TcpStream>, deadline: Instant) {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // A zero timeout would mean "block forever".
        if left.is_zero()
            || reader.get_ref().set_read_timeout(Some(left)).is_err()
        {
            return;
        }
        match reader.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(data) => {
                let n = data.len();
                reader.consume(n);
            }
        }
    }
}
// ANCHOR_END: echo
