//! Paused time and a real socket: the runtime counts a task waiting on
//! the network as "no work", so the clock jumps to the next timer before
//! any answer can arrive. Paused time is for I/O in memory (`duplex`,
//! mocks); a real socket needs real time, or `spawn_blocking`.
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
