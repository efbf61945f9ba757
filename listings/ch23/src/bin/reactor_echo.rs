//! Listing 23-2: chapter 18's executor with a reactor. An echo server and
//! 100 clients share one thread; each client sends 10 lines 100 ms apart.
//!
//! The executor, the reactor and the leaf futures are in this chapter's
//! library, `src/lib.rs`; this file is the program that runs on them.

use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ch23::{Async, block_on, sleep_until, spawn};
use mio::net::TcpStream;

// ANCHOR: main
const CLIENTS: usize = 100;
const ROUNDS: usize = 10;

/// How many clients got line `i` back; the last one prints the round.
static ECHOED: [AtomicUsize; ROUNDS] = [const { AtomicUsize::new(0) }; ROUNDS];

/// The server side of one connection: write back whatever arrives.
async fn echo(mut conn: Async<TcpStream>) -> io::Result<()> {
    let mut buf = [0; 1024];
    loop {
        let n = conn.read(&mut buf).await?;
        if n == 0 {
            return Ok(()); // the client closed the connection
        }
        conn.write_all(&buf[..n]).await?;
    }
}

/// Sends line `round` at `start + round * 100 ms`: a fixed schedule, so a
/// late reply does not push the later lines back.
async fn client(
    id: usize,
    server: SocketAddr,
    start: Instant,
) -> io::Result<()> {
    let mut conn = Async::<TcpStream>::connect(server).await?;
    for round in 1..=ROUNDS {
        sleep_until(start + Duration::from_millis(100) * round as u32).await;
        let line = format!("client {id} line {round}\n");
        conn.write_all(line.as_bytes()).await?;
        let mut reply = Vec::new();
        let mut buf = [0; 64];
        while !reply.ends_with(b"\n") {
            let n = conn.read(&mut buf).await?;
            if n == 0 {
                return Err(ErrorKind::UnexpectedEof.into());
            }
            reply.extend_from_slice(&buf[..n]);
        }
        assert_eq!(reply, line.as_bytes(), "client {id} got another line");
        if ECHOED[round - 1].fetch_add(1, Ordering::Relaxed) + 1 == CLIENTS {
            println!(
                "round {round}: all {CLIENTS} clients got their line back"
            );
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let start = Instant::now();
    block_on(async move {
        let mut listener = Async::bind("127.0.0.1:0".parse().unwrap())?;
        let server = listener.io.local_addr()?;
        println!("server and {CLIENTS} clients on one thread");
        spawn(async move {
            loop {
                match listener.accept().await {
                    Ok(conn) => drop(spawn(echo(conn))),
                    Err(e) => return eprintln!("accept failed: {e}"),
                }
            }
        });
        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| spawn(client(id, server, start)))
            .collect();
        for client in clients {
            client.await?;
        }
        Ok::<(), io::Error>(())
    })?;
    let elapsed = start.elapsed().as_secs_f64();
    println!("{CLIENTS} clients x {ROUNDS} lines took {elapsed:.3}s");
    Ok(())
}
// ANCHOR_END: main
