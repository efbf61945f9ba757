//! Drives any echo server of chapters 23 and 24: N clients connect, wait
//! until all are connected, then each sends its lines (`--delay-ms` apart)
//! and checks that every reply is the line it sent.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Barrier;

const USAGE: &str = "usage: echo_client [--connect ADDR] [--clients N] \
                     [--lines N] [--delay-ms N]";

struct Options {
    addr: String,
    clients: usize,
    lines: usize,
    delay: Duration,
}

#[tokio::main]
async fn main() {
    let options = parse().unwrap_or_else(|e| ch24::fail(e));
    ch24::check_fd_limit().unwrap_or_else(|e| ch24::fail(e));
    let start = Instant::now();
    let barrier = Arc::new(Barrier::new(options.clients));
    let options = Arc::new(options);
    let mut clients = Vec::new();
    for id in 0..options.clients {
        let (options, barrier) = (options.clone(), barrier.clone());
        clients.push(tokio::spawn(client(id, options, barrier)));
    }
    let mut failed = 0;
    for client in clients {
        if let Err(e) = client.await.expect("a client task panicked") {
            eprintln!("{e}");
            failed += 1;
        }
    }
    let o = &options;
    if failed > 0 {
        ch24::fail(format!("{failed} of {} clients failed", o.clients));
    }
    println!(
        "{} clients connected at once, {} lines echoed exactly in {:.2?}",
        o.clients,
        o.clients * o.lines,
        start.elapsed()
    );
}

/// One client: connect, wait for the others, then send and check.
async fn client(
    id: usize,
    o: Arc<Options>,
    all_connected: Arc<Barrier>,
) -> Result<(), String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("client {id}: {what}: {e}")
    };
    let socket = TcpStream::connect(&o.addr).await;
    // Wait even after a failed connect, or the others would wait forever.
    all_connected.wait().await;
    let socket = socket.map_err(|e| fail("connect", &e))?;
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut reply = Vec::new();
    for n in 0..o.lines {
        if n > 0 {
            tokio::time::sleep(o.delay).await;
        }
        let line = format!("client {id} line {n}\n");
        writer
            .write_all(line.as_bytes())
            .await
            .map_err(|e| fail("write", &e))?;
        reply.clear();
        reader
            .read_until(b'\n', &mut reply)
            .await
            .map_err(|e| fail("read", &e))?;
        if reply != line.as_bytes() {
            let got = String::from_utf8_lossy(&reply);
            return Err(fail("wrong reply", &format!("{got:?} to {line:?}")));
        }
    }
    Ok(())
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        addr: ch24::DEFAULT_LISTEN.to_string(),
        clients: 1,
        lines: 1,
        delay: Duration::ZERO,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            if pair[0] == "--help" {
                println!("{USAGE}");
                std::process::exit(0);
            }
            return Err(USAGE.into());
        };
        let number = || value.parse::<u64>().map_err(|_| USAGE.to_string());
        match flag.as_str() {
            "--connect" => o.addr = value.clone(),
            "--clients" => o.clients = number()?.max(1) as usize,
            "--lines" => o.lines = number()? as usize,
            "--delay-ms" => o.delay = Duration::from_millis(number()?),
            _ => return Err(USAGE.into()),
        }
    }
    Ok(o)
}
