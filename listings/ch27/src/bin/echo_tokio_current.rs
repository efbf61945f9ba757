//! Chapter 24's echo_tokio on tokio's `current_thread` runtime: every task
//! on the thread that calls `block_on`, no worker threads, no stealing.
//! `#[tokio::main]` alone would build the multi-thread runtime.

use ch27::{MAX_LINE, TOO_LONG, fail, listen_addr, raise_fd_limit};
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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let addr = listen_addr("echo_tokio_current").unwrap_or_else(|e| fail(e));
    raise_fd_limit();
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
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// The same loop as chapter 24's `echo`.
async fn echo(socket: TcpStream) -> io::Result<()> {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        let limit = MAX_LINE as u64 + 1;
        (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await?;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE {
                writer.write_all(TOO_LONG).await?;
                // As in chapter 24: no more replies, then discard input
                // for at most LINGER, so that closing does not reset the
                // connection and drop the replies not yet sent.
                writer.shutdown().await?;
                let mut sink = io::sink();
                let discard = io::copy(&mut reader, &mut sink);
                let _ = tokio::time::timeout(LINGER, discard).await;
            }
            return Ok(());
        }
        writer.write_all(&line).await?;
    }
}
