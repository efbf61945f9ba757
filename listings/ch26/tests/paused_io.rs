//! Paused time and a real socket: the runtime counts a task waiting on
//! the network as "no work", so the clock jumps to the next timer before
//! any answer can arrive. Paused time is for I/O in memory (`duplex`,
//! mocks), or for real sockets whose both ends are tasks of the same
//! runtime; a peer outside the runtime needs real time, or
//! `spawn_blocking` when no tokio timer has to fire meanwhile.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::time::{Instant, timeout};

/// How long the peer, a plain thread, takes to answer: real time.
const ANSWER_AFTER: Duration = Duration::from_millis(500);

/// A peer on loopback that answers `hello\n` after [`ANSWER_AFTER`].
fn slow_peer() -> TcpStream {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        thread::sleep(ANSWER_AFTER);
        let _ = socket.write_all(b"hello\n");
    });
    TcpStream::connect(addr).unwrap()
}

// ANCHOR: socket
#[tokio::test(start_paused = true)]
async fn a_paused_clock_does_not_wait_for_a_real_socket() {
    let socket = slow_peer();
    socket.set_nonblocking(true).unwrap();
    let mut socket = tokio::net::TcpStream::from_std(socket).unwrap();
    let (start, real) = (Instant::now(), std::time::Instant::now());
    let mut line = [0; 6];
    let read = timeout(Duration::from_secs(5), socket.read_exact(&mut line));
    // Nothing has arrived when the runtime looks (without waiting), and
    // the only timer is the timeout's: the clock jumps to it.
    assert!(read.await.is_err(), "timed out");
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert!(real.elapsed() < ANSWER_AFTER, "{:?}", real.elapsed());
    // The answer was on its way: without a timer, the runtime waits for it.
    socket.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"hello\n");
    assert!(real.elapsed() >= ANSWER_AFTER);
}
// ANCHOR_END: socket

// ANCHOR: blocking
#[tokio::test(start_paused = true)]
async fn spawn_blocking_holds_the_clock_while_it_waits() {
    let mut socket = slow_peer();
    let start = Instant::now();
    // While a blocking task runs, the clock does not auto-advance.
    let read = tokio::task::spawn_blocking(move || {
        let mut line = [0; 6];
        socket.read_exact(&mut line).map(|()| line)
    });
    let line = timeout(Duration::from_secs(5), read).await;
    assert_eq!(&line.unwrap().unwrap().unwrap(), b"hello\n");
    assert_eq!(start.elapsed(), Duration::ZERO);
}
// ANCHOR_END: blocking

// ANCHOR: same_runtime
/// How long the server below lets a connection sit without a line.
const IDLE_LIMIT: Duration = Duration::from_secs(10);

/// Echoes lines and cuts the connection after [`IDLE_LIMIT`] without one:
/// a limit kept by a tokio timer, like chapter 25's drain limit.
async fn echo_with_idle_limit(listener: tokio::net::TcpListener) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (socket, _) = listener.accept().await.unwrap();
    let mut socket = BufReader::new(socket);
    let mut line = String::new();
    while let Ok(Ok(n)) = timeout(IDLE_LIMIT, socket.read_line(&mut line)).await
    {
        if n == 0 {
            return;
        }
        socket.write_all(line.as_bytes()).await.unwrap();
        line.clear();
    }
}

#[tokio::test(start_paused = true)]
async fn both_ends_on_the_paused_runtime_see_the_limit_in_virtual_time() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(echo_with_idle_limit(listener));
    let (start, real) = (Instant::now(), std::time::Instant::now());
    // The client is a task of the same runtime: on loopback the receive
    // path usually runs inside the sending syscall, so the bytes are in
    // the server's queue when `write` returns and the runtime's look
    // without waiting finds them before it moves the clock.
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client.write_all(b"hello\n").await.unwrap();
    let mut line = [0; 6];
    client.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"hello\n");
    assert_eq!(start.elapsed(), Duration::ZERO);
    // Now only the server's timer is left: the clock jumps to it.
    let mut rest = Vec::new();
    assert_eq!(client.read_to_end(&mut rest).await.unwrap(), 0);
    assert_eq!(start.elapsed(), IDLE_LIMIT);
    assert!(real.elapsed() < IDLE_LIMIT, "{:?}", real.elapsed());
    server.await.unwrap();
}
// ANCHOR_END: same_runtime
