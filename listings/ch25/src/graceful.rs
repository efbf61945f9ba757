//! A line echo server (the protocol of chapter 24) that shuts down
//! gracefully: on the shutdown signal it stops accepting, lets every open
//! connection finish, and cuts only the ones still open after the drain
//! limit.
use std::future::Future;
use std::io;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The longest line the protocol accepts, not counting the `\n`.
pub const MAX_LINE: usize = 8192;
/// How long a refused client may go on sending before we close.
const LINGER: Duration = Duration::from_secs(1);

// ANCHOR: serve
/// Serves until `shutdown` completes (it yields the signal's name), then
/// drains. Returns when every connection is closed.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = &'static str>,
    drain: Duration,
) {
    // The tracker knows which connection tasks are still running; the
    // token is pulled only if the drain limit runs out.
    let tracker = TaskTracker::new();
    let cut = CancellationToken::new();
    let mut next_id = 0;
    let mut spawn = |stream: TcpStream| {
        next_id += 1;
        tracker.spawn(connection(stream, next_id, cut.clone()));
    };
    tokio::pin!(shutdown);
    let signal = loop {
        tokio::select! {
            signal = &mut shutdown => break signal,
            // `accept` is cancel safe: when the other branch wins, no
            // connection was taken from the queue and then dropped.
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => spawn(stream),
                Err(e) => {
                    // Out of file descriptors, say: keep the server up.
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    };
    // Clients whose handshake the kernel already completed think they
    // are connected and may have sent lines: serve them too, then close
    // the listening socket, so that any later connect is refused.
    if let Err(e) = take_queued(listener, &mut spawn) {
        eprintln!("accept failed while draining the queue: {e}");
    }
    tracker.close();
    println!(
        "{signal}: stopped accepting; draining {} connection(s), \
         limit {drain:?}",
        tracker.len()
    );
    let start = Instant::now();
    if timeout(drain, tracker.wait()).await.is_ok() {
        println!("drained: every connection closed by its client");
        return;
    }
    let left = tracker.len();
    cut.cancel();
    tracker.wait().await;
    println!(
        "drain limit reached after {:.1?}: cut {left} connection(s)",
        start.elapsed()
    );
}

/// Accepts every connection waiting in the kernel's queue, then closes
/// the listening socket.
fn take_queued(
    listener: TcpListener,
    spawn: &mut impl FnMut(TcpStream),
) -> io::Result<()> {
    // `Pending` from `poll_accept` would not mean "the queue is empty":
    // tokio answers from the readiness it has cached, and a task that has
    // spent its budget gets `Pending` as well. Only `accept(2)` itself
    // knows, so take the socket out of tokio and ask it until it says
    // `WouldBlock` (tokio leaves it in non-blocking mode).
    let listener = listener.into_std()?;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _peer)) => stream,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            // This client gave up before we took it; the rest still wait.
            Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => continue,
            Err(e) => return Err(e),
        };
        // The new socket does not inherit O_NONBLOCK from the listener,
        // and tokio only takes non-blocking sockets.
        stream.set_nonblocking(true)?;
        spawn(TcpStream::from_std(stream)?);
    }
}
// ANCHOR_END: serve

// ANCHOR: connection
/// One connection: echo until the client half-closes, or until `cut`.
async fn connection(stream: TcpStream, id: u64, cut: CancellationToken) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut lines = 0;
    // The whole exchange is one future, so that `cut` also interrupts a
    // write to a client that no longer reads.
    let echoed = tokio::select! {
        () = cut.cancelled() => None,
        done = echo(&mut read, &mut write, &mut lines) => Some(done),
    };
    match echoed {
        None => println!("cut connection #{id} after {lines} line(s)"),
        Some(Err(e)) => eprintln!("connection #{id}: {e}"),
        Some(Ok(())) => {}
    }
    // Closing our side sends FIN after everything written so far.
    let _ = write.shutdown().await;
}

/// The protocol: every `\n`-terminated line back unchanged; a line
/// longer than [`MAX_LINE`] gets an error and ends the connection.
async fn echo(
    read: &mut (impl AsyncBufReadExt + Unpin),
    write: &mut (impl AsyncWriteExt + Unpin),
    lines: &mut u64,
) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        // The longest line and its `\n`: one byte more and no `\n` in
        // it means "too long".
        let limit = MAX_LINE as u64 + 1;
        (&mut *read)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await?;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE {
                return refuse(read, write).await;
            }
            // End of input (a last line without `\n` is not a line of the
            // protocol).
            return Ok(());
        }
        write.write_all(&line).await?;
        *lines += 1;
    }
}

/// Says why, then ends the connection without losing what we wrote.
/// Closing a socket that still has unread input makes Linux send a reset
/// and throw away what is queued to send (the `ERR` line, and echoes the
/// client has not read yet), so stop writing, then read and discard until
/// the client closes too, for at most [`LINGER`].
async fn refuse(
    read: &mut (impl AsyncBufReadExt + Unpin),
    write: &mut (impl AsyncWriteExt + Unpin),
) -> io::Result<()> {
    write.write_all(b"ERR line too long\n").await?;
    write.shutdown().await?;
    let _ =
        timeout(LINGER, tokio::io::copy(read, &mut tokio::io::sink())).await;
    Ok(())
}
// ANCHOR_END: connection
