//! Listing 12-1: what one switch costs, between two tokio tasks on one
//! thread and between two OS threads.
//!
//! Both sides play ping-pong: one hands a number to the other and waits
//! for it to come back. Every hand-over is one switch: the side that was
//! running stops and the other one runs. Run it with
//! `cargo run --release --bin switch_cost` (add `-- --quick` for a short
//! run).

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime};

/// Round trips per measurement: (tokio tasks, OS threads). Threads are
/// thousands of times slower, so they get fewer rounds for the same time.
const FULL: (u32, u32) = (1_000_000, 10_000);
const QUICK: (u32, u32) = (20_000, 2_000);

/// Each row is the median of this many measurements, so one unlucky run
/// (another process taking the CPU) does not decide the figure.
const RUNS: usize = 5;

// ANCHOR: tasks
/// Two tasks hand a number back and forth through tokio channels.
async fn tokio_channel(rounds: u32) -> Duration {
    let (to_pong, mut pong_inbox) = tokio::sync::mpsc::channel(1);
    let (to_ping, mut ping_inbox) = tokio::sync::mpsc::channel(1);
    let pong = tokio::spawn(async move {
        while let Some(n) = pong_inbox.recv().await {
            to_ping.send(n).await.unwrap();
        }
    });
    let ping = tokio::spawn(async move {
        let start = Instant::now();
        for i in 0..rounds {
            to_pong.send(i).await.unwrap();
            ping_inbox.recv().await.unwrap();
        }
        start.elapsed()
    });
    let elapsed = ping.await.unwrap();
    pong.await.unwrap();
    elapsed / (2 * rounds)
}

/// Two tasks that do nothing but give the thread to each other.
async fn tokio_yield(rounds: u32) -> Duration {
    let start = Instant::now();
    let a = tokio::spawn(yield_many(rounds));
    let b = tokio::spawn(yield_many(rounds));
    a.await.unwrap();
    b.await.unwrap();
    start.elapsed() / (2 * rounds)
}

async fn yield_many(rounds: u32) {
    for _ in 0..rounds {
        tokio::task::yield_now().await;
    }
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// Two OS threads hand a number back and forth through std channels. Each
/// `recv` blocks its thread, so the kernel must put one thread to sleep
/// and wake the other: that is the thread switch. `cpus` says which CPU
/// each thread is pinned to (see `pin_to`).
fn thread_channel(rounds: u32, cpus: [usize; 2]) -> Duration {
    let (to_pong, pong_inbox) = mpsc::channel();
    let (to_ping, ping_inbox) = mpsc::channel();
    let pong = thread::spawn(move || {
        pin_to(cpus[1]);
        while let Ok(n) = pong_inbox.recv() {
            to_ping.send(n).unwrap();
        }
    });
    let ping = thread::spawn(move || {
        pin_to(cpus[0]);
        let start = Instant::now();
        for i in 0..rounds {
            to_pong.send(i).unwrap();
            ping_inbox.recv().unwrap();
        }
        start.elapsed()
    });
    let elapsed = ping.join().unwrap();
    pong.join().unwrap();
    elapsed / (2 * rounds)
}
// ANCHOR_END: threads

/// Pins the calling thread to one CPU, so the kernel cannot move it and
/// each row measures one placement: both threads sharing a CPU (every
/// hand-over is a context switch on that CPU) or one CPU each (every
/// hand-over also wakes the other CPU).
#[cfg(target_os = "linux")]
fn pin_to(cpu: usize) {
    // SAFETY: `cpu_set_t` is a plain bit set, valid when zeroed, and the
    // kernel only reads the `size_of_val(&set)` bytes we pass it.
    let ok = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, size_of_val(&set), &set) == 0
    };
    assert!(ok, "cannot pin a thread to CPU {cpu}");
}

/// The first two CPUs this process may run on.
#[cfg(target_os = "linux")]
fn two_cpus() -> Option<[usize; 2]> {
    // SAFETY: as in `pin_to`; the kernel fills in the set we pass.
    let set = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        let ok = libc::sched_getaffinity(0, size_of_val(&set), &mut set);
        if ok != 0 {
            return None;
        }
        set
    };
    let mut cpus = (0..libc::CPU_SETSIZE as usize)
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) });
    Some([cpus.next()?, cpus.next()?])
}

/// Elsewhere threads stay where the scheduler puts them.
#[cfg(not(target_os = "linux"))]
fn pin_to(_cpu: usize) {}

#[cfg(not(target_os = "linux"))]
fn two_cpus() -> Option<[usize; 2]> {
    None
}

/// The median of `RUNS` measurements, after one short warm-up run.
fn median(mut measure: impl FnMut(u32) -> Duration, rounds: u32) -> Duration {
    measure(rounds / 10 + 1);
    let mut runs: Vec<Duration> = (0..RUNS).map(|_| measure(rounds)).collect();
    runs.sort();
    runs[RUNS / 2]
}

fn main() {
    let quick = quick_mode();
    let (task_rounds, thread_rounds) = if quick { QUICK } else { FULL };
    let Some([a, b]) = two_cpus() else {
        eprintln!(
            "switch_cost needs Linux and two CPUs to pin the threads to \
             (one CPU, then one each)"
        );
        std::process::exit(1);
    };
    // One thread runs every task: a switch is a plain function return and
    // call inside this thread, never a visit to the kernel.
    let rt: Runtime = Builder::new_current_thread().build().unwrap();

    let yields = median(|n| rt.block_on(tokio_yield(n)), task_rounds);
    let tasks = median(|n| rt.block_on(tokio_channel(n)), task_rounds);
    let one_cpu = median(|n| thread_channel(n, [a, a]), thread_rounds);
    let two_cpus = median(|n| thread_channel(n, [a, b]), thread_rounds);

    println!(
        "switch_cost{}: one switch = one side stops, the other runs",
        if quick { " --quick" } else { "" }
    );
    println!("each row is the median of {RUNS} runs");
    println!();
    println!("| ping-pong between                | round trips | per switch |");
    println!("|----------------------------------|-------------|------------|");
    let row = |what: &str, rounds: u32, per_switch: Duration| {
        println!("| {what:<32} | {rounds:>11} | {per_switch:.1?} |");
    };
    row("2 tokio tasks, yield_now", task_rounds, yields);
    row("2 tokio tasks, tokio mpsc", task_rounds, tasks);
    row("2 OS threads, std mpsc, 1 CPU", thread_rounds, one_cpu);
    row("2 OS threads, std mpsc, 2 CPUs", thread_rounds, two_cpus);
    println!();
    let times = |threads: Duration| threads.as_secs_f64() / tasks.as_secs_f64();
    println!(
        "an OS thread switch costs {:.1}x (1 CPU) to {:.1}x (2 CPUs) \
         a tokio task switch (mpsc rows)",
        times(one_cpu),
        times(two_cpus)
    );
}

/// `--quick` runs a few rounds only; anything else is a mistake.
fn quick_mode() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => {
            eprintln!("usage: switch_cost [--quick]");
            std::process::exit(2);
        }
    }
}
