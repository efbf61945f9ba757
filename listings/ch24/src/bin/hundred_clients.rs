//! An echo server and 100 clients in one program, on one thread: each
//! client sends 10 lines, 100 ms apart. Run one after another that would
//! take 100 s; on the event loop it takes about 1 s.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const CLIENTS: usize = 100;
const LINES: usize = 10;
const GAP: Duration = Duration::from_millis(100);
const MAX_LINE: u64 = 8192;

/// How many connections the server holds now, and the most it held.
#[derive(Default)]
struct Open {
    now: AtomicUsize,
    most: AtomicUsize,
}

// ANCHOR: main
// One thread runs the server and all the clients.
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let start = Instant::now();
    // Port 0: the system picks a free port on the loopback interface.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let open = Arc::new(Open::default());
    tokio::spawn(serve(listener, open.clone()));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| tokio::spawn(client(id, addr)))
        .collect();
    let mut slowest = Duration::ZERO;
    for c in clients {
        slowest = slowest.max(c.await.expect("client panicked")?);
    }
    println!("{CLIENTS} clients, {LINES} lines each, 100ms apart, on 1 thread");
    println!("echoed {} lines exactly", CLIENTS * LINES);
    let most = open.most.load(Relaxed);
    println!("at most {most} connections open at once");
    println!("slowest client: {slowest:.3?}");
    println!("whole run: {:.3?}", start.elapsed());
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: serve
async fn serve(listener: TcpListener, open: Arc<Open>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let now = open.now.fetch_add(1, Relaxed) + 1;
        open.most.fetch_max(now, Relaxed);
        let open = open.clone();
        tokio::spawn(async move {
            let _ = echo(socket).await;
            open.now.fetch_sub(1, Relaxed);
        });
    }
}

/// Lines back as bytes; a line over 8192 bytes ends the connection.
async fn echo(socket: TcpStream) -> std::io::Result<()> {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut limited = (&mut reader).take(MAX_LINE + 1);
        limited.read_until(b'\n', &mut line).await?;
        if line.last() != Some(&b'\n') {
            if line.len() as u64 > MAX_LINE {
                writer.write_all(b"ERR line too long\n").await?;
            }
            return Ok(());
        }
        writer.write_all(&line).await?;
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends LINES lines GAP apart, checks each reply; returns how long it took.
async fn client(
    id: usize,
    addr: std::net::SocketAddr,
) -> std::io::Result<Duration> {
    let start = Instant::now();
    let (reader, mut writer) = TcpStream::connect(addr).await?.into_split();
    let mut reader = BufReader::new(reader);
    let mut reply = Vec::new();
    for n in 0..LINES {
        let line = format!("client {id} line {n}\n");
        writer.write_all(line.as_bytes()).await?;
        reply.clear();
        reader.read_until(b'\n', &mut reply).await?;
        assert_eq!(reply, line.as_bytes(), "client {id} got a wrong echo");
        // While this client sleeps, the thread serves the others.
        tokio::time::sleep(GAP).await;
    }
    Ok(start.elapsed())
}
// ANCHOR_END: client
