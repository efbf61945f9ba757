//! Listing 12-2: what it costs to start N tokio tasks and N OS threads,
//! keep them all alive at once, and finish them: time, and memory.
//!
//! Memory is the growth of the resident set (`VmRSS` in
//! /proc/self/status, Linux only) while all N are alive. Every case runs
//! in a fresh copy of this program, so memory freed by one case cannot be
//! reused, and hide growth, in the next. Run it with
//! `cargo run --release --bin spawn_cost` (add `-- --quick` for a short
//! run).

use std::process::{Command, exit};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// How many tasks (and threads, up to the cap) each row starts.
const FULL: [usize; 2] = [10_000, 100_000];
const QUICK: [usize; 2] = [1_000, 5_000];

/// At most this many OS threads at once. Every thread needs a kernel task,
/// a process id and two memory mappings (stack and guard page), and the
/// machine limits all three; `thread_cap` lowers the cap further if this
/// machine's limits are tighter.
const FULL_CAP: usize = 10_000;
const QUICK_CAP: usize = 1_000;

/// Each figure is the median of this many runs.
const RUNS: usize = 3;

/// What one case measured.
struct Measured {
    elapsed: Duration,
    /// Resident set growth in bytes, `None` where it cannot be read.
    rss_growth: Option<u64>,
}

// ANCHOR: tasks
/// Starts `n` tasks on a one-thread tokio runtime. Every task waits at
/// `started` until all `n` exist, then at `release` until the main task
/// has read the memory figure, then ends.
fn tasks(n: usize) -> Measured {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let before = rss();
    let start = Instant::now();
    let rss_growth = rt.block_on(async {
        let started = Arc::new(tokio::sync::Barrier::new(n + 1));
        let release = Arc::new(tokio::sync::Barrier::new(n + 1));
        let mut handles = Vec::with_capacity(n);
        for _ in 0..n {
            let (started, release) = (started.clone(), release.clone());
            handles.push(tokio::spawn(async move {
                started.wait().await;
                release.wait().await;
            }));
        }
        started.wait().await;
        let during = rss();
        release.wait().await;
        for handle in handles {
            handle.await.unwrap();
        }
        Some(during?.saturating_sub(before?))
    });
    Measured {
        elapsed: start.elapsed(),
        rss_growth,
    }
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// The same with `n` OS threads and std's blocking `Barrier`.
fn threads(n: usize) -> Measured {
    let started = Arc::new(Barrier::new(n + 1));
    let release = Arc::new(Barrier::new(n + 1));
    let mut handles = Vec::with_capacity(n);
    let before = rss();
    let start = Instant::now();
    for i in 0..n {
        let (started, release) = (started.clone(), release.clone());
        let spawned = thread::Builder::new().spawn(move || {
            started.wait();
            release.wait();
        });
        // Without this thread the barriers would wait forever.
        handles.push(spawned.unwrap_or_else(|e| {
            eprintln!("spawn_cost: thread {} of {n} did not start: {e}", i + 1);
            eprintln!("lower the cap with --threads N");
            exit(1);
        }));
    }
    started.wait();
    let during = rss();
    release.wait();
    for handle in handles {
        handle.join().unwrap();
    }
    Measured {
        elapsed: start.elapsed(),
        rss_growth: during.zip(before).map(|(d, b)| d.saturating_sub(b)),
    }
}
// ANCHOR_END: threads

/// `VmRSS` of this process in bytes (Linux: /proc/self/status).
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The cap, lowered to a quarter of the tightest limit of this machine.
fn thread_cap(wanted: usize) -> (usize, Vec<String>) {
    let read = |path: &str| -> Option<usize> {
        std::fs::read_to_string(path).ok()?.trim().parse().ok()
    };
    let mut limits = Vec::new();
    let mut cap = wanted;
    for (name, path, per_thread) in [
        ("threads-max", "/proc/sys/kernel/threads-max", 1),
        ("pid_max", "/proc/sys/kernel/pid_max", 1),
        ("max_map_count", "/proc/sys/vm/max_map_count", 2),
        ("cgroup pids.max", "/sys/fs/cgroup/pids.max", 1),
    ] {
        if let Some(limit) = read(path) {
            limits.push(format!("{name} {limit}"));
            cap = cap.min(limit / per_thread / 4);
        }
    }
    (cap.max(1), limits)
}

/// Runs one case `RUNS` times, each in a fresh copy of this program, and
/// keeps the median time and the median memory growth, so one run slowed
/// down by another process does not decide the figure.
fn measure(kind: &str, n: usize) -> Measured {
    let mut runs: Vec<Measured> =
        (0..RUNS).map(|_| in_child(kind, n)).collect();
    runs.sort_by_key(|m| m.elapsed);
    let elapsed = runs[RUNS / 2].elapsed;
    runs.sort_by_key(|m| m.rss_growth);
    Measured {
        elapsed,
        rss_growth: runs[RUNS / 2].rss_growth,
    }
}

/// Runs one case in a fresh copy of this program and reads its answer.
fn in_child(kind: &str, n: usize) -> Measured {
    let exe = std::env::current_exe().expect("cannot find this program");
    let out = Command::new(exe)
        .args(["--case", kind, &n.to_string()])
        .output()
        .expect("cannot start a copy of this program");
    if !out.status.success() {
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        exit(1);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(|w| w.parse::<u64>().ok());
    let (Some(Some(nanos)), Some(rss)) = (words.next(), words.next()) else {
        panic!("a case printed `{text}`, not `<nanos> <bytes or ->`");
    };
    Measured {
        elapsed: Duration::from_nanos(nanos),
        rss_growth: rss,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (sizes, wanted_cap) = match args.as_slice() {
        ["--case", kind, n] => return case(kind, n),
        [] => (FULL, FULL_CAP),
        ["--quick"] => (QUICK, QUICK_CAP),
        ["--threads", n] | ["--quick", "--threads", n] => {
            let sizes = if args[0] == "--quick" { QUICK } else { FULL };
            match n.parse() {
                Ok(max) if max > 0 => (sizes, max),
                _ => usage(),
            }
        }
        _ => usage(),
    };
    let quick = args.first() == Some(&"--quick");
    let (cap, limits) = thread_cap(wanted_cap);
    println!(
        "spawn_cost{}: start N, keep all N alive at once, finish all",
        if quick { " --quick" } else { "" }
    );
    println!("(they wait at two barriers: all started, then released)");
    println!("each figure is the median of {RUNS} runs");
    println!("OS threads: at most {cap} at once");
    if !quick {
        println!("(limits here: {})", limits.join(", "));
    }
    if rss().is_none() {
        println!("memory: not measured (needs Linux /proc/self/status)");
    }
    println!();
    println!(
        "| what       | N          | start + finish | each \
         | RSS growth | each |"
    );
    println!(
        "|------------|------------|----------------|------\
         |------------|------|"
    );
    let mut first = None;
    for n in sizes {
        let task = measure("tasks", n);
        let threads_n = n.min(cap);
        let thread = measure("threads", threads_n);
        let label = if threads_n < n {
            format!("{threads_n} (cap)")
        } else {
            n.to_string()
        };
        row("tokio task", &n.to_string(), n, &task);
        row("OS thread", &label, threads_n, &thread);
        first.get_or_insert((task, n, thread, threads_n));
    }
    // Per unit, so that a capped thread row still compares fairly.
    let Some((task, n, thread, threads_n)) = first else {
        return;
    };
    let time = per_unit_time(&thread, threads_n).as_secs_f64()
        / per_unit_time(&task, n).as_secs_f64();
    let memory = match (thread.rss_growth, task.rss_growth) {
        (Some(t), Some(k)) if k > 0 => {
            let ratio = (t as f64 / threads_n as f64) / (k as f64 / n as f64);
            format!("{ratio:.1}x")
        }
        _ => "n/a".to_string(),
    };
    println!();
    println!(
        "per unit (first two rows): one OS thread costs {time:.1}x the time \
         and {memory} the memory of one tokio task"
    );
}

fn row(what: &str, label: &str, n: usize, m: &Measured) {
    let (growth, per_unit) = match m.rss_growth {
        Some(bytes) => (size(bytes as f64), size(bytes as f64 / n as f64)),
        None => ("n/a".to_string(), "n/a".to_string()),
    };
    println!(
        "| {what:<10} | {label:<10} | {:.1?} | {:.1?} \
         | {growth} | {per_unit} |",
        m.elapsed,
        per_unit_time(m, n)
    );
}

fn per_unit_time(m: &Measured, n: usize) -> Duration {
    m.elapsed / n as u32
}

/// Bytes with a binary unit, as the book's output checker reads them.
fn size(bytes: f64) -> String {
    match bytes {
        b if b < 1024.0 => format!("{b:.0}B"),
        b if b < 1024.0 * 1024.0 => format!("{:.1}KiB", b / 1024.0),
        b if b < 1024.0 * 1024.0 * 1024.0 => {
            format!("{:.1}MiB", b / 1024.0 / 1024.0)
        }
        b => format!("{:.1}GiB", b / 1024.0 / 1024.0 / 1024.0),
    }
}

/// A child's whole job: measure one case, print `<nanos> <bytes or ->`.
fn case(kind: &str, n: &str) {
    let n = n.parse().unwrap_or_else(|_| usage());
    let m = match kind {
        "tasks" => tasks(n),
        "threads" => threads(n),
        _ => usage(),
    };
    let rss = m.rss_growth.map_or("-".to_string(), |b| b.to_string());
    println!("{} {rss}", m.elapsed.as_nanos());
}

fn usage() -> ! {
    eprintln!("usage: spawn_cost [--quick] [--threads MAX]");
    exit(2);
}
