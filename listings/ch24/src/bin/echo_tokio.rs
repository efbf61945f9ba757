//! The line echo server on tokio: one task per connection.

use ch24::{MAX_LINE, TOO_LONG, fail, listen_addr, raise_fd_limit};
use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

fn main() {
    let addr = listen_addr("echo_tokio").unwrap_or_else(|e| fail(e));
    raise_fd_limit().unwrap_or_else(|e| fail(e));
    // Built by hand rather than with `#[tokio::main]`, whose generated code
    // panics (`Failed building the Runtime`) when, say, no file descriptor
    // is left for epoll.
    let runtime = tokio::runtime::Runtime::new()
        .unwrap_or_else(|e| fail(format!("cannot start tokio: {e}")));
    runtime.block_on(serve(addr));
}

async fn serve(addr: std::net::SocketAddr) {
    let listener = TcpListener::bind(addr)
        .await
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

// ANCHOR: echo
/// Echoes lines until the client leaves or sends a line that is too long.
/// Any I/O error (a reset, a broken pipe) ends this connection only.
async fn echo(socket: TcpStream) -> std::io::Result<()> {
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
            }
            // Otherwise the client left, maybe mid-line: nothing to echo.
            return Ok(());
        }
        writer.write_all(&line).await?;
    }
}
// ANCHOR_END: echo
