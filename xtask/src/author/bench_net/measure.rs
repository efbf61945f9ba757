//! Measuring: the load generator (`listings/ch27/src/bin/loadgen.rs`) run
//! against each server, pinned to its own CPU, round after round. Every
//! figure is kept per round with its key; a measurement that failed keeps
//! its reason instead of a number.

use super::servers::{self, LOADGEN_CPU, SERVERS};
use crate::run::server::ServerProcess;
use crate::{Result, cmd};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What one run measures and for how long.
pub struct Plan {
    /// The servers to run (`SERVERS[i].program`); all when empty.
    pub only: Vec<&'static str>,
    pub release: bool,
    pub idle_counts: Vec<usize>,
    pub conns: Vec<usize>,
    pub sizes: Vec<usize>,
    pub warmup_ms: u64,
    pub measure_ms: u64,
    /// The rate every server sustains, lines per second.
    pub low_rate: u64,
    /// The high rate is this fraction of the slowest server's closed-loop
    /// throughput (100 connections, 64-byte lines) in the same round.
    pub high_fraction: f64,
    pub latency_conns: usize,
    pub latency_ms: u64,
}

impl Plan {
    pub fn full() -> Plan {
        Plan {
            only: Vec::new(),
            release: true,
            idle_counts: vec![1000, 10_000],
            conns: vec![10, 100, 1000],
            sizes: vec![64, 1024],
            warmup_ms: 200,
            measure_ms: 800,
            low_rate: 1000,
            high_fraction: 0.8,
            latency_conns: 50,
            latency_ms: 1500,
        }
    }

    /// A few seconds per server: does everything run, without errors?
    pub fn quick() -> Plan {
        Plan {
            only: Vec::new(),
            release: false,
            idle_counts: vec![100],
            conns: vec![10],
            sizes: vec![64],
            warmup_ms: 200,
            measure_ms: 500,
            low_rate: 200,
            high_fraction: 0.0,
            latency_conns: 10,
            latency_ms: 1000,
        }
    }

    /// The closed-loop figure the high rate is derived from.
    pub fn rate_basis(&self) -> String {
        let conns = if self.conns.contains(&100) {
            100
        } else {
            self.conns[0]
        };
        rps_key(conns, self.sizes[0])
    }
}

pub fn rps_key(conns: usize, size: usize) -> String {
    format!("rps {conns} {size}")
}
pub fn latency_key(which: &str, quantile: &str) -> String {
    format!("{quantile} {which}")
}
pub fn memory_key(count: usize) -> String {
    format!("memory {count}")
}
/// The kernel's memory per connection beside [`memory_key`]'s VmRSS: the
/// growth of the server's page tables and of the machine's kernel stacks
/// and slab (both ends' sockets included, and any other process's churn).
pub fn kernel_key(count: usize) -> String {
    format!("kernel {count}")
}
/// The server's CPU during the closed-loop run the high rate is derived
/// from: `server_busy` (the share of one CPU) or `server_kernel` (the
/// share of that time spent in the kernel).
pub fn cpu_key(what: &str) -> String {
    format!("cpu {what}")
}
/// VmRSS and the kernel's share together, round by round.
pub fn total_key(count: usize) -> String {
    format!("total {count}")
}

/// A figure, or why there is none.
pub type Cell = std::result::Result<f64, String>;

/// One round: each server's figures by key, and the rates it used.
#[derive(Default)]
pub struct Round {
    pub figures: BTreeMap<&'static str, BTreeMap<String, Cell>>,
    pub low_rate: u64,
    pub high_rate: u64,
}

/// Runs one round: every server for throughput and memory, then every
/// server again for latency at the two rates. `order` rotates from round
/// to round, so no server is always first or last.
pub fn round(root: &Path, plan: &Plan, number: usize) -> Result<Round> {
    let mut round = Round {
        low_rate: plan.low_rate,
        ..Round::default()
    };
    let order: Vec<usize> = (0..SERVERS.len())
        .map(|i| (i + number) % SERVERS.len())
        .filter(|&i| {
            plan.only.is_empty() || plan.only.contains(&SERVERS[i].program)
        })
        .collect();
    // Each server stays up for the latency part too (idle meanwhile, so
    // it takes no CPU from the one being measured): a Python server takes
    // seconds to start on a busy machine.
    let mut running = Vec::new();
    for &i in &order {
        let spec = &SERVERS[i];
        let figures = round.figures.entry(spec.label).or_default();
        let server = servers::start(root, spec, plan.release)?;
        println!(
            "  {} on {} (pid {})",
            spec.label,
            server.addr(),
            server.pid()
        );
        // Memory first, on a server nobody has used yet.
        let counts: Vec<String> =
            plan.idle_counts.iter().map(usize::to_string).collect();
        let mut idle = loadgen(
            root,
            plan,
            &server,
            "idle",
            &[
                ("pid", server.pid().to_string()),
                ("counts", counts.join(",")),
            ],
        );
        // Why the server refused a connection is on its stderr (a thread
        // it could not start, a file it could not open).
        if let Ok(lines) = &mut idle
            && let Some((_, why)) = lines.iter_mut().find(|(n, _)| n == "error")
        {
            let server_said = server.stderr_tail();
            why.entry("why".into()).or_default().push_str(&server_said);
        }
        for &count in &plan.idle_counts {
            let line = find(&idle, "idle", "conns", count);
            let rss = line.clone().and_then(|l| field(&l, "bytes_per_conn"));
            let kernel = line.and_then(|l| field(&l, "kernel_bytes_per_conn"));
            let total = match (&rss, &kernel) {
                (Ok(r), Ok(k)) => Ok(r + k),
                (Err(e), _) | (_, Err(e)) => Err(e.clone()),
            };
            figures.insert(memory_key(count), rss);
            figures.insert(kernel_key(count), kernel);
            figures.insert(total_key(count), total);
        }
        // A new process for the rest: after ten thousand connections
        // close, a server may go on tearing them down for minutes (Python
        // threads: every one of ten thousand threads takes the GIL to
        // exit; it was still at it after three and a half minutes on a
        // 2-CPU machine), and it shares its CPU with every other server of
        // the round. Killing it frees everything at once.
        drop(server);
        let mut server = servers::start(root, spec, plan.release)?;
        println!(
            "  {} again, a new process (pid {})",
            spec.label,
            server.pid()
        );
        // A discarded run first, so that no figure includes what a fresh
        // process does on its first connections.
        let _ = loadgen(
            root,
            plan,
            &server,
            "throughput",
            &[
                ("conns", "10".to_string()),
                ("size", "64".to_string()),
                ("warmup-ms", "0".to_string()),
                ("measure-ms", "500".to_string()),
            ],
        );
        for &size in &plan.sizes {
            for &conns in &plan.conns {
                let out = loadgen(
                    root,
                    plan,
                    &server,
                    "throughput",
                    &[
                        ("conns", conns.to_string()),
                        ("size", size.to_string()),
                        ("warmup-ms", plan.warmup_ms.to_string()),
                        ("measure-ms", plan.measure_ms.to_string()),
                    ],
                );
                let line = find(&out, "throughput", "conns", conns)
                    .and_then(|l| no_errors(&l).map(|()| l));
                let key = rps_key(conns, size);
                if key == plan.rate_basis() {
                    for what in ["server_busy", "server_kernel"] {
                        let cell = line.clone().and_then(|l| field(&l, what));
                        figures.insert(cpu_key(what), cell);
                    }
                }
                figures.insert(key, line.and_then(|l| field(&l, "rps")));
            }
        }
        if let Err(e) = server.alive() {
            for cell in figures.values_mut() {
                *cell = Err(e.clone());
            }
        }
        running.push((i, server));
    }
    // The slowest server sets the high rate: near its limit, and within
    // every other's.
    let basis = plan.rate_basis();
    let slowest = round
        .figures
        .values()
        .filter_map(|f| f.get(&basis)?.as_ref().ok().copied())
        .fold(f64::INFINITY, f64::min);
    round.high_rate = if slowest.is_finite() && plan.high_fraction > 0.0 {
        ((slowest * plan.high_fraction / 100.0).round() * 100.0) as u64
    } else {
        0
    };
    for (i, mut server) in running {
        let spec = &SERVERS[i];
        if server.alive().is_err() {
            server = servers::start(root, spec, plan.release)?;
        }
        let rates = [("low", round.low_rate), ("high", round.high_rate)];
        for (which, rate) in rates.into_iter().filter(|r| r.1 > 0) {
            let out = loadgen(
                root,
                plan,
                &server,
                "latency",
                &[
                    ("rate", rate.to_string()),
                    ("conns", plan.latency_conns.to_string()),
                    ("size", "64".to_string()),
                    ("measure-ms", plan.latency_ms.to_string()),
                ],
            );
            let line = find(&out, "latency", "rate", rate as usize)
                .and_then(|l| no_errors(&l).map(|()| l));
            let figures = round.figures.entry(spec.label).or_default();
            for q in ["p50_us", "p99_us", "p999_us", "pacer_p99_us", "received"]
            {
                let cell = line.clone().and_then(|l| field(&l, q));
                figures.insert(latency_key(which, q), cell);
            }
        }
        server.alive().map_err(|e| format!("{}: {e}", spec.label))?;
    }
    Ok(round)
}

type Line = HashMap<String, String>;

/// Runs the load generator on its CPU; its `key=value` lines, or the
/// error it printed.
fn loadgen(
    root: &Path,
    plan: &Plan,
    server: &ServerProcess,
    what: &str,
    options: &[(&str, String)],
) -> std::result::Result<Vec<(String, Line)>, String> {
    settle(server.pid());
    let profile = if plan.release { "release" } else { "debug" };
    let bin = cmd::target_dir(root).join(profile).join("loadgen");
    let mut command = Command::new("taskset");
    command
        .args(["-c", LOADGEN_CPU])
        .arg(bin)
        .arg(what)
        .arg(server.addr());
    for (key, value) in options {
        command.arg(format!("--{key}")).arg(value);
    }
    let (started, before) =
        (std::time::Instant::now(), cpu_ticks(server.pid()));
    let out = cmd::capture(&mut command).map_err(|e| e.to_string())?;
    let (took, after) =
        (started.elapsed().as_secs_f64(), cpu_ticks(server.pid()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stdout.lines() {
        println!("    {line} ({took:.1} s)");
    }
    let lines: Vec<(String, Line)> = stdout
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next()?.to_string();
            let pairs = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Some((name, pairs))
        })
        .collect();
    // Why some lines failed, for the figure's note (the load generator
    // counts them and shows the first).
    let mut lines = lines;
    // How busy the server was over the whole run (connecting and warming
    // up included), and how much of its time went to the kernel.
    if let (Some((u0, k0)), Some((u1, k1))) = (before, after) {
        let (user, kernel) = ((u1 - u0) as f64, (k1 - k0) as f64);
        for (_, line) in &mut lines {
            let busy = (user + kernel) / TICKS_PER_SECOND / took;
            line.insert("server_busy".into(), format!("{busy:.3}"));
            if user + kernel > 0.0 {
                let share = kernel / (user + kernel);
                line.insert("server_kernel".into(), format!("{share:.3}"));
            }
        }
    }
    if let Some(first) = stderr.lines().find(|l| !l.trim().is_empty()) {
        for (_, line) in &mut lines {
            line.insert("first_error".into(), first.trim().to_string());
        }
    }
    if !out.status.success() {
        let last = stderr.lines().last().unwrap_or("no message").to_string();
        println!("    loadgen {what} failed: {last}");
        // The lines printed before the failure still count (the 1,000
        // idle connections before 10,000 failed).
        if lines.is_empty() {
            return Err(last);
        }
        lines.push(("error".into(), Line::from([("why".into(), last)])));
        return Ok(lines);
    }
    Ok(lines)
}

/// The line of measurement `name` whose `key` is `value`, or why none.
fn find(
    out: &std::result::Result<Vec<(String, Line)>, String>,
    name: &str,
    key: &str,
    value: usize,
) -> std::result::Result<Line, String> {
    let lines = out.as_ref().map_err(Clone::clone)?;
    let wanted = value.to_string();
    if let Some((_, line)) = lines
        .iter()
        .find(|(n, l)| n == name && l.get(key) == Some(&wanted))
    {
        return Ok(line.clone());
    }
    let why = lines
        .iter()
        .find(|(n, _)| n == "error")
        .and_then(|(_, l)| l.get("why").cloned())
        .unwrap_or_else(|| format!("loadgen printed no `{name}` line"));
    Err(why)
}

fn field(line: &Line, key: &str) -> Cell {
    line.get(key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("loadgen line without a number `{key}=`"))
}

/// A line whose `errors` and `missing` are zero: every line echoed.
fn no_errors(line: &Line) -> std::result::Result<(), String> {
    for key in ["errors", "missing"] {
        match line.get(key).map(String::as_str) {
            None | Some("0") => {}
            Some(n) => {
                return Err(match line.get("first_error") {
                    Some(why) => format!("{key}={n} ({why})"),
                    None => format!("{key}={n}"),
                });
            }
        }
    }
    Ok(())
}

/// The CPU time a process (all its threads) has used so far, in ticks of
/// 1/USER_HZ s: in user mode and in the kernel.
fn cpu_ticks(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the `(comm)` field: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit(')').next()?.split(' ').collect();
    let utime: u64 = fields.get(12)?.parse().ok()?;
    let stime: u64 = fields.get(13)?.parse().ok()?;
    Some((utime, stime))
}

/// USER_HZ, the unit of `/proc/PID/stat`'s times: 100 on Linux for
/// x86 (`getconf CLK_TCK`).
const TICKS_PER_SECOND: f64 = 100.0;

/// Waits (at most 20 s) until the server uses almost no CPU: closing ten
/// thousand connections keeps a Python server busy for seconds, and a
/// measurement started meanwhile would count that work against it.
/// It looks every 100 ms and returns once the tick counters moved by at
/// most one over the last 300 ms (USER_HZ 100, utime and stime each
/// rounded down: under three ticks, 30 ms, of CPU time, about 10% of a
/// CPU): an idle server costs 0.3 s, and a round has ten of these per
/// server.
fn settle(pid: u32) {
    let cpu_ticks = || cpu_ticks(pid).map(|(user, kernel)| user + kernel);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    // The last four readings, 100 ms apart: three intervals, 300 ms (a
    // whole window, not one quiet reading: a server kept waiting by other
    // processes looks idle for a moment too).
    let mut window = std::collections::VecDeque::with_capacity(4);
    while std::time::Instant::now() < deadline {
        let Some(now) = cpu_ticks() else { return };
        window.push_back(now);
        if window.len() > 4 {
            window.pop_front();
        }
        if window.len() == 4 && now - window[0] <= 1 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
