//! Two moments when the shutdown signal meets connections that the kernel
//! has already accepted but the server has not taken yet. Each client
//! connects, sends one line and half-closes; every one of them must get its
//! line back. The signal is a oneshot channel, as in `drain_timeline`, so
//! it reaches `serve` without passing through the I/O driver.
//!
//! ```text
//! drain_backlog [--rounds N] [--arriving N]
//! ```
//!
//! `--rounds` (default 3) repeats the second moment; `--arriving N` adds a
//! third, which `cargo xtask test` uses: N clients connect from another
//! thread while `serve` is accepting, and the signal follows the last
//! connect at once.
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const LINE: &[u8] = b"hello\n";
/// Mio listens with a backlog of 128, and Linux queues one more than that.
const BACKLOG: usize = 129;

/// A client that has connected, sent its line and half-closed.
fn client(addr: SocketAddr) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(LINE)?;
    stream.shutdown(Shutdown::Write)?;
    Ok(stream)
}

/// What one client got back: its line, then EOF; or a reset.
#[derive(Default)]
struct Tally {
    echoed: usize,
    reset: usize,
    other: Vec<String>,
}

impl Tally {
    fn add(&mut self, stream: io::Result<TcpStream>) {
        let mut got = Vec::new();
        let read = stream.and_then(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            s.read_to_end(&mut got)
        });
        match read {
            Ok(_) if got == LINE => self.echoed += 1,
            Ok(_) => self.other.push(format!("got {got:?}")),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => self.reset += 1,
            Err(e) => self.other.push(e.to_string()),
        }
    }

    fn report(&self, what: &str) {
        println!("{what}: {} echoed, {} reset", self.echoed, self.reset);
        for problem in &self.other {
            println!("  {problem}");
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn main() {
    let (rounds, arriving) = parse();
    let drain = Duration::from_secs(5);

    // ANCHOR: backlog
    // The queue is full and tokio knows the listener is readable (the
    // I/O driver has turned during the sleep) when `serve` starts, and the
    // signal is already there.
    let mut tally = Tally::default();
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let clients: Vec<_> = (0..BACKLOG).map(|_| client(addr)).collect();
        tokio::time::sleep(Duration::from_millis(10)).await;
        ch25::graceful::serve(listener, async { "signal" }, drain).await;
        clients.into_iter().for_each(|c| tally.add(c));
    });
    tally.report(&format!("{BACKLOG} clients queued"));
    // ANCHOR_END: backlog

    // ANCHOR: rounds
    // `serve` is waiting in `accept`; a client connects, and the signal
    // comes right after, before the I/O driver has had a turn.
    let mut tally = Tally::default();
    for _ in 0..rounds {
        runtime().block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (signal, shutdown) = oneshot::channel();
            let shutdown = async { shutdown.await.unwrap_or("dropped") };
            let server =
                tokio::spawn(ch25::graceful::serve(listener, shutdown, drain));
            tokio::time::sleep(Duration::from_millis(50)).await;
            // Blocking on purpose: the runtime's only thread is busy here.
            let stream = client(addr);
            signal.send("signal").unwrap();
            server.await.unwrap();
            tally.add(stream);
        });
    }
    tally.report(&format!("{rounds} signals right after a connect"));
    // ANCHOR_END: rounds

    if arriving > 0 {
        // Clients connect from another thread while `serve` accepts; the
        // signal follows the last connect at once.
        let mut tally = Tally::default();
        runtime().block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (signal, shutdown) = oneshot::channel();
            let shutdown = async { shutdown.await.unwrap_or("dropped") };
            let clients = thread::spawn(move || {
                let clients: Vec<_> =
                    (0..arriving).map(|_| client(addr)).collect();
                signal.send("signal").unwrap();
                clients
            });
            ch25::graceful::serve(listener, shutdown, drain).await;
            let clients = clients.join().unwrap();
            clients.into_iter().for_each(|c| tally.add(c));
        });
        tally.report(&format!("{arriving} clients arriving"));
    }
}

fn parse() -> (usize, usize) {
    let mut rounds = 3;
    let mut arriving = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--rounds", Some(n)) => rounds = n,
            ("--arriving", Some(n)) => arriving = n,
            _ => {
                eprintln!("usage: drain_backlog [--rounds N] [--arriving N]");
                std::process::exit(2);
            }
        }
    }
    (rounds, arriving)
}
