//! The load generator of chapter 27. It drives one echo server by address
//! and prints one `key=value` line per measurement:
//!
//! ```text
//! loadgen throughput ADDR --conns N --size BYTES --warmup-ms W --measure-ms M
//! loadgen latency ADDR --rate PER_SEC --conns N --size BYTES --measure-ms M
//! loadgen idle ADDR --pid PID --counts 1000,10000
//! ```
//!
//! It runs on one thread (tokio's `current_thread`): `cargo xtask bench-net`
//! pins it to one CPU and the server to the other. Every line it sends ends
//! in `\n` and must come back byte for byte; anything else is an error.

use ch27::{fail, raise_fd_limit};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::{sleep, sleep_until, timeout};

/// Connections being set up at once (each until its first echo, see
/// `connect_all`): fewer than the smallest accept backlog here, 128 (std's
/// and mio's `bind`, so tokio's too; the Python servers ask for 1024). A
/// loopback handshake completes before the server is even scheduled, so
/// more unaccepted connections than that overflow the backlog, and each
/// dropped SYN is retried only after a second or more.
const CONNECTING: usize = 64;
/// How long any one connection, echo or drain may take before it counts
/// as a failure.
const PATIENCE: Duration = Duration::from_secs(10);
/// Sockets this program needs besides the connections (stdio, epoll...).
const SPARE_FDS: u64 = 32;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, addr, options) = parse(&args).unwrap_or_else(|e| fail(e));
    let result = match mode.as_str() {
        "throughput" => throughput(addr, &options).await,
        "latency" => latency(addr, &options).await,
        "idle" => idle(addr, &options).await,
        _ => Err(format!("unknown measurement `{mode}`\n{USAGE}")),
    };
    if let Err(e) = result {
        fail(e);
    }
}

const USAGE: &str =
    "usage: loadgen throughput|latency|idle ADDR [--KEY VALUE]..";

type Options = HashMap<String, String>;

fn parse(args: &[String]) -> Result<(String, SocketAddr, Options), String> {
    if args.len() == 1 && args[0] == "--help" {
        println!("{USAGE}");
        println!(
            "  throughput --conns N --size BYTES --warmup-ms W --measure-ms M"
        );
        println!(
            "  latency --rate PER_SEC --conns N --size BYTES --measure-ms M"
        );
        println!("  idle --pid SERVER_PID --counts 1000,10000");
        std::process::exit(0);
    }
    let [mode, addr, rest @ ..] = args else {
        return Err(USAGE.into());
    };
    let addr = addr
        .parse()
        .map_err(|e| format!("bad address `{addr}`: {e}"))?;
    let mut options = HashMap::new();
    for pair in rest.chunks(2) {
        match pair {
            [key, value] if key.starts_with("--") => {
                options.insert(key[2..].to_string(), value.clone());
            }
            _ => return Err(format!("expected --KEY VALUE\n{USAGE}")),
        }
    }
    Ok((mode.clone(), addr, options))
}

fn number(options: &Options, key: &str) -> Result<u64, String> {
    let text = options
        .get(key)
        .ok_or_else(|| format!("missing --{key}\n{USAGE}"))?;
    text.parse()
        .map_err(|e| format!("--{key} {text}: not a number ({e})"))
}

fn millis(options: &Options, key: &str) -> Result<Duration, String> {
    Ok(Duration::from_millis(number(options, key)?))
}

/// Says clearly when the open-file limit is too low for `conns`
/// connections, after raising it as far as this process may.
fn need_fds(conns: u64) -> Result<(), String> {
    let limit = raise_fd_limit()
        .map_err(|e| format!("cannot read the open-file limit: {e}"))?;
    let needed = conns + SPARE_FDS;
    if limit < needed {
        return Err(format!(
            "{conns} connections need {needed} open files, but \
             RLIMIT_NOFILE allows {limit}: raise it (`ulimit -Hn`, \
             LimitNOFILE=) or ask for fewer connections"
        ));
    }
    Ok(())
}

/// Line `i` of `size` bytes, its last one `\n`: it starts with the
/// connection's number, so each connection sends its own bytes and an
/// echo that went to the wrong client is caught (when `size` leaves room
/// for the number: 64 bytes do).
fn line(i: usize, size: usize) -> Vec<u8> {
    let filler = (0..).map(|k| b'a' + ((i + k) % 26) as u8);
    let number = format!("{i} ").into_bytes();
    let mut line: Vec<u8> =
        number.into_iter().chain(filler).take(size - 1).collect();
    line.push(b'\n');
    line
}

/// `count` connections, numbered from `first`, at most [`CONNECTING`]
/// being set up at a time. Setting one up includes echoing one line on it:
/// then the server has accepted it before its permit passes to another, so
/// no more than [`CONNECTING`] wait in the server's backlog, however slowly
/// it accepts. On a failure, `why()` is added to the error while every
/// connection is still open.
async fn connect_all(
    addr: SocketAddr,
    first: usize,
    count: usize,
    why: impl Fn() -> String,
) -> Result<Vec<TcpStream>, String> {
    let gate = Arc::new(Semaphore::new(CONNECTING));
    let mut set = JoinSet::new();
    for i in 0..count {
        let gate = gate.clone();
        let n = first + i;
        set.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let mut socket = timeout(PATIENCE, TcpStream::connect(addr))
                .await
                .map_err(|_| format!("connection {n}: no answer in 10 s"))?
                .map_err(|e| format!("connection {n}: {e}"))?;
            socket.set_nodelay(true).map_err(|e| e.to_string())?;
            let mut buf = [0; 2];
            let echoed = round_trip(&mut socket, b"x\n", &mut buf);
            match timeout(PATIENCE, echoed).await {
                Ok(Ok(())) => Ok((i, socket)),
                Ok(Err(e)) => Err(format!("connection {n}: {e}")),
                Err(_) => Err(format!("connection {n}: no echo in 10 s")),
            }
        });
    }
    let mut sockets: Vec<Option<TcpStream>> =
        (0..count).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        match joined.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok((i, socket)) => sockets[i] = Some(socket),
            Err(e) => return Err(format!("{e}{}", why())),
        }
    }
    Ok(sockets.into_iter().flatten().collect())
}

/// Sends `sent` and expects exactly it back.
async fn round_trip(
    socket: &mut TcpStream,
    sent: &[u8],
    buf: &mut [u8],
) -> Result<(), String> {
    socket.write_all(sent).await.map_err(|e| e.to_string())?;
    socket.read_exact(buf).await.map_err(|e| e.to_string())?;
    if buf != sent {
        return Err("an echo differs from the line sent".into());
    }
    Ok(())
}

// ANCHOR: throughput
/// Closed loop: each connection sends a line, waits for its echo, sends
/// the next. Requests per second are counted after a warm-up.
async fn throughput(addr: SocketAddr, options: &Options) -> Result<(), String> {
    let conns = number(options, "conns")? as usize;
    let size = number(options, "size")? as usize;
    let warmup = millis(options, "warmup-ms")?;
    let measure = millis(options, "measure-ms")?;
    need_fds(conns as u64)?;
    let sockets = connect_all(addr, 0, conns, String::new).await?;
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = JoinSet::new();
    for (i, mut socket) in sockets.into_iter().enumerate() {
        let (done, stop) = (done.clone(), stop.clone());
        clients.spawn(async move {
            let sent = line(i, size);
            let mut buf = vec![0; size];
            while !stop.load(Relaxed) {
                timeout(PATIENCE, round_trip(&mut socket, &sent, &mut buf))
                    .await
                    .map_err(|_| "no echo within 10 s".to_string())??;
                done.fetch_add(1, Relaxed);
            }
            Ok::<_, String>(())
        });
    }
    sleep(warmup).await;
    let (before, start) = (done.load(Relaxed), Instant::now());
    sleep(measure).await;
    let (after, seconds) = (done.load(Relaxed), start.elapsed().as_secs_f64());
    stop.store(true, Relaxed);
    let errors = finish(clients).await;
    let requests = after - before;
    println!(
        "throughput conns={conns} size={size} requests={requests} \
         seconds={seconds:.3} rps={:.0} errors={errors}",
        requests as f64 / seconds
    );
    Ok(())
}
// ANCHOR_END: throughput

/// Waits for every client to finish; counts and shows the failures.
async fn finish(mut clients: JoinSet<Result<(), String>>) -> usize {
    let mut errors = 0;
    while let Some(joined) = clients.join_next().await {
        if let Err(e) = joined.map_err(|e| e.to_string()).and_then(|r| r) {
            if errors == 0 {
                eprintln!("first error: {e}");
            }
            errors += 1;
        }
    }
    errors
}

// ANCHOR: latency
/// Open loop: the send times are fixed in advance, `rate` lines a second
/// spread over the connections, and each latency counts from the time the
/// line was due, not from when it went out. A server that falls behind
/// cannot slow the clock: the lines queued behind it are late, and their
/// wait is in the figures (no coordinated omission).
async fn latency(addr: SocketAddr, options: &Options) -> Result<(), String> {
    let rate = number(options, "rate")?;
    let conns = number(options, "conns")? as usize;
    let size = number(options, "size")? as usize;
    let measure = millis(options, "measure-ms")?;
    need_fds(conns as u64)?;
    let sockets = connect_all(addr, 0, conns, String::new).await?;
    let total = (rate as f64 * measure.as_secs_f64()) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(100);
    let (mut writers, mut dues) = (Vec::new(), Vec::new());
    let mut readers = JoinSet::new();
    for (i, socket) in sockets.into_iter().enumerate() {
        let (mut read, write) = socket.into_split();
        let (due_tx, mut due_rx) = mpsc::unbounded_channel::<Instant>();
        writers.push((write, line(i, size)));
        dues.push(due_tx);
        let sent = line(i, size);
        readers.spawn(async move {
            let mut times = Vec::new();
            let mut buf = vec![0; size];
            while let Some(due) = due_rx.recv().await {
                read.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
                // Timed first: the comparison is the client's work.
                times.push(due.elapsed());
                if buf != sent {
                    return Err("an echo differs from the line sent".into());
                }
            }
            Ok::<_, String>(times)
        });
    }
    // One pacer sends every line: it sleeps until just before a line is
    // due, then yields until the due time itself (tokio's timer ticks in
    // milliseconds, a loopback echo takes microseconds). How late the
    // pacer itself was is printed too: on a busy machine it is the floor
    // under every figure.
    let mut late = Vec::with_capacity(total);
    for k in 0..total {
        let due = start + interval.mul_f64(k as f64);
        if due > Instant::now() + Duration::from_millis(2) {
            sleep_until((due - Duration::from_millis(1)).into()).await;
        }
        while Instant::now() < due {
            tokio::task::yield_now().await;
        }
        let (write, sent) = &mut writers[k % conns];
        let _ = dues[k % conns].send(due);
        write.write_all(sent).await.map_err(|e| e.to_string())?;
        late.push(due.elapsed());
    }
    // No more lines: each reader stops after its last echo. The write
    // halves stay open until then: dropping one would half-close its
    // connection, and a server may close at once on that end of input,
    // dropping the replies it had not written yet (Twisted does).
    drop(dues);
    let mut times = Vec::new();
    let mut errors = 0;
    let deadline = Instant::now() + PATIENCE;
    while let Ok(Some(joined)) =
        tokio::time::timeout_at(deadline.into(), readers.join_next()).await
    {
        match joined.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok(t) => times.extend(t),
            Err(e) => {
                eprintln!("error: {e}");
                errors += 1;
            }
        }
    }
    drop(writers);
    let missing = total - times.len();
    println!(
        "latency rate={rate} conns={conns} size={size} sent={total} \
         received={} p50_us={} p99_us={} p999_us={} max_us={} \
         pacer_p99_us={} missing={missing} errors={errors}",
        times.len(),
        percentile(&mut times, 0.50),
        percentile(&mut times, 0.99),
        percentile(&mut times, 0.999),
        percentile(&mut times, 1.0),
        percentile(&mut late, 0.99),
    );
    Ok(())
}
// ANCHOR_END: latency

/// The `p` quantile (0 to 1) of `times` in microseconds, nearest rank.
fn percentile(times: &mut [Duration], p: f64) -> u128 {
    times.sort_unstable();
    let rank = ((p * times.len() as f64).ceil() as usize).max(1);
    times.get(rank - 1).map_or(0, |t| t.as_micros())
}

// ANCHOR: idle
/// Opens idle connections in steps (`--counts 1000,10000`) and reads the
/// server's resident memory (VmRSS) before and after each step. Each new
/// connection echoes one line first, so the server has accepted it and
/// set up whatever it keeps per connection (a task, a greenlet, a thread).
/// Beside it, the kernel's own memory, which VmRSS leaves out: the
/// server's page tables (VmPTE), and the machine's kernel stacks and slab
/// objects (`/proc/meminfo`), which also hold this side's sockets and
/// whatever other processes allocate meanwhile.
async fn idle(addr: SocketAddr, options: &Options) -> Result<(), String> {
    let pid = number(options, "pid")?;
    let counts: Vec<usize> = options
        .get("counts")
        .ok_or("missing --counts")?
        .split(',')
        .map(|c| c.parse().map_err(|e| format!("--counts {c}: {e}")))
        .collect::<Result<_, String>>()?;
    need_fds(counts.iter().copied().max().unwrap_or(0) as u64)?;
    let (base, base_kernel) = (status(pid)?, kernel()?);
    let mut held: Vec<TcpStream> = Vec::new();
    for count in counts {
        let more = count.saturating_sub(held.len());
        let more = connect_all(addr, held.len(), more, || files(pid))
            .await
            .map_err(|e| format!("at {count} connections: {e}"))?;
        held.extend(more);
        // Let the server finish what it does after an echo.
        sleep(Duration::from_millis(500)).await;
        let (now, now_kernel) = (status(pid)?, kernel()?);
        // Growth in KiB to bytes per connection; the kernel's may be
        // negative when other processes freed more than was added.
        let per = |after: u64, before: u64| {
            (after as i64 - before as i64) * 1024 / count as i64
        };
        let stack = per(now_kernel.stack, base_kernel.stack);
        let slab = per(now_kernel.slab, base_kernel.slab);
        let tables = per(now.page_tables, base.page_tables);
        println!(
            "idle conns={count} rss_before_kib={} rss_kib={} threads={} \
             bytes_per_conn={} kernel_stack_per_conn={stack} \
             slab_per_conn={slab} page_tables_per_conn={tables} \
             kernel_bytes_per_conn={}",
            base.rss,
            now.rss,
            now.threads,
            per(now.rss, base.rss).max(0),
            stack + slab + tables,
        );
    }
    Ok(())
}

/// The server's threads and open files against its limit, read while
/// this process still holds every connection: why it took no more.
fn files(pid: u64) -> String {
    let open = std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count());
    let limit = std::fs::read_to_string(format!("/proc/{pid}/limits"))
        .ok()
        .and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3).map(str::to_string)
        });
    match (status(pid), open, limit) {
        (Ok(s), Ok(open), Some(limit)) => format!(
            "; the server had {} threads and {open} open files \
             (its limit: {limit})",
            s.threads
        ),
        _ => String::new(),
    }
}

/// From `/proc/PID/status`: VmRSS covers every thread of the process, so
/// a thread-per-connection server's stacks are in it; VmPTE is the page
/// tables the kernel keeps for the process (KiB both).
struct Status {
    rss: u64,
    page_tables: u64,
    threads: u64,
}

fn status(pid: u64) -> Result<Status, String> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{path}: {e} (has the server exited?)"))?;
    Ok(Status {
        rss: field(&path, &text, "VmRSS:")?,
        page_tables: field(&path, &text, "VmPTE:")?,
        threads: field(&path, &text, "Threads:")?,
    })
}

/// From `/proc/meminfo`, for the whole machine (KiB): every thread's
/// kernel stack, and the slab caches (task and socket structures...).
struct Kernel {
    stack: u64,
    slab: u64,
}

fn kernel() -> Result<Kernel, String> {
    let path = "/proc/meminfo";
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(Kernel {
        stack: field(path, &text, "KernelStack:")?,
        slab: field(path, &text, "Slab:")?,
    })
}

/// The number after `name` in a `Name: value kB` file.
fn field(path: &str, text: &str, name: &str) -> Result<u64, String> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{path}: no {name} line"))
}
// ANCHOR_END: idle
