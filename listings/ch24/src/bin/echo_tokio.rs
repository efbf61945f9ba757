//! The line echo server on tokio: one task per connection.

use ch24::{
    BACKLOG, LINGER, MAX_LINE, TOO_LONG, check_fd_limit, fail, listen_addr,
};
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{
    self, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

fn main() {
    let addr = listen_addr("echo_tokio").unwrap_or_else(|e| fail(e));
    check_fd_limit().unwrap_or_else(|e| fail(e));
    // Built by hand rather than with `#[tokio::main]`, whose generated code
    // panics (`Failed building the Runtime`) when, say, no file descriptor
    // is left for epoll.
    let runtime = tokio::runtime::Runtime::new()
        .unwrap_or_else(|e| fail(format!("cannot start tokio: {e}")));
    runtime.block_on(serve(addr));
}

async fn serve(addr: SocketAddr) {
    let listener = listen(addr)
        .unwrap_or_else(|e| fail(format!("cannot listen on {addr}: {e}")));
    let local = listener.local_addr().unwrap_or_else(|e| fail(e));
    println!("listening on {local}");
    std::io::stdout().flush().unwrap_or_else(|e| fail(e));
    // ANCHOR: accept
    loop {
        match listener.accept().await {
            // Each connection is its own task: a silent client parks only
            // its task, and a panic in one kills only that task.
            Ok((socket, _)) => {
                // Nagle off: otherwise an echo may wait for the client to
                // acknowledge the previous one, and a client delays that
                // acknowledgement until it sends again (chapter 27).
                // Should this fail, only latency suffers.
                let _ = socket.set_nodelay(true);
                tokio::spawn(echo(socket));
            }
            // Out of file descriptors (EMFILE) and the like: the clients
            // already connected go on; try again a little later.
            Err(e) => {
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    // ANCHOR_END: accept
}

/// `TcpListener::bind` with a longer backlog: `bind` asks for 128, and a
/// thousand clients connecting at once would overflow it.
// ANCHOR: listen
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As `bind` does on Unix: a restarted server can take the port at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}
// ANCHOR_END: listen

// ANCHOR: echo
/// Echoes lines until the client leaves or sends a line that is too long.
/// Any I/O error (a reset, a broken pipe) ends this connection only.
async fn echo(socket: TcpStream) -> io::Result<()> {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        // At most one byte more than a line may hold: `read_until` alone
        // would buffer a line without end, and `read_line`/`lines()`
        // would also reject bytes that are not UTF-8.
        let limit = MAX_LINE as u64 + 1;
        (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await?;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE {
                writer.write_all(TOO_LONG).await?;
                // Returning now would close a socket with unread input:
                // Linux would reset it and drop the replies not yet sent.
                // Say "no more replies" (FIN), then discard what the client
                // still sends until it closes, for at most LINGER.
                writer.shutdown().await?;
                let mut sink = io::sink();
                let discard = io::copy(&mut reader, &mut sink);
                let _ = tokio::time::timeout(LINGER, discard).await;
            }
            // Otherwise the client left, maybe mid-line: nothing to echo.
            return Ok(());
        }
        writer.write_all(&line).await?;
    }
}
// ANCHOR_END: echo
