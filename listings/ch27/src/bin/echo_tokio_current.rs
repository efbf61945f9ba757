//! Chapter 24's echo_tokio on tokio's `current_thread` runtime: every task
//! on the thread that calls `block_on`, no worker threads, no stealing.
//! Only `main` differs: `Runtime::new()` would build the multi-thread
//! runtime.

use ch27::{MAX_LINE, TOO_LONG, check_fd_limit, fail, listen_addr};
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{
    self, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// How long a refused client may go on sending (chapter 24's `LINGER`).
const LINGER: Duration = Duration::from_secs(1);
/// As chapter 24's echo_tokio: `TcpListener::bind` asks for only 128.
const BACKLOG: u32 = 1024;

fn main() {
    let addr = listen_addr("echo_tokio_current").unwrap_or_else(|e| fail(e));
    check_fd_limit().unwrap_or_else(|e| fail(e));
    // Built by hand, as in echo_tokio: the code `#[tokio::main]` generates
    // panics (`Failed building the Runtime`) when, say, no file descriptor
    // is left for epoll.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(format!("cannot start tokio: {e}")));
    runtime.block_on(serve(addr));
}

async fn serve(addr: SocketAddr) {
    let listener = listen(addr)
        .unwrap_or_else(|e| fail(format!("cannot listen on {addr}: {e}")));
    let local = listener.local_addr().unwrap_or_else(|e| fail(e));
    println!("listening on {local}");
    std::io::stdout().flush().unwrap_or_else(|e| fail(e));
    loop {
        match listener.accept().await {
            Ok((socket, _)) => {
                // Nagle off, as in chapter 24's echo_tokio (chapter 27
                // says why).
                let _ = socket.set_nodelay(true);
                tokio::spawn(echo(socket));
            }
            Err(e) => {
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Chapter 24's `listen`: `bind` with a backlog of [`BACKLOG`].
// ANCHOR: listen SAME-AS: listings/ch24/src/bin/echo_tokio.rs#listen
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

// Chapter 24's `echo`, unchanged.
// ANCHOR: echo SAME-AS: listings/ch24/src/bin/echo_tokio.rs#echo
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
