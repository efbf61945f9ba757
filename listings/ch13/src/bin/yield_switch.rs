//! Listing 13-1: two tasks take turns on one thread by yielding, and the
//! same work done serially for contrast.
//!
//! The article's recipe for concurrency is "switch + save state". In Rust
//! the compiler saves the state (every `async` block is a state machine),
//! and `.await` on `tokio::task::yield_now()` is the switch: the future
//! returns `Poll::Pending` once, and whoever polls it moves on to other
//! work before coming back.

use std::thread;

/// How many steps each task takes.
const STEPS: u32 = 3;

fn step(task: &str, n: u32) {
    // Every line names the OS thread it ran on: with a current-thread
    // runtime it is always `main`.
    let thread = thread::current();
    println!("{task} {n} (thread {})", thread.name().unwrap_or("?"));
}

// ANCHOR: task
/// One task: a step, then hand the thread to whoever is waiting.
async fn task(name: &'static str) {
    for n in 1..=STEPS {
        step(name, n);
        tokio::task::yield_now().await;
    }
}
// ANCHOR_END: task

// ANCHOR: join
/// Both tasks inside one `join!`. `biased;` makes it poll A, then B, every
/// time it is woken, so each yield hands the thread to the other one.
async fn take_turns() {
    tokio::join!(biased; task("A"), task("B"));
}
// ANCHOR_END: join

// ANCHOR: spawn
/// The same tasks spawned as separate tokio tasks. They still share the one
/// thread, but which one runs after a yield is the scheduler's choice.
async fn spawned() {
    let a = tokio::spawn(task("A"));
    let b = tokio::spawn(task("B"));
    // `spawn` only queues the tasks; awaiting the handles lets them run.
    a.await.unwrap();
    b.await.unwrap();
}
// ANCHOR_END: spawn

// ANCHOR: serial
/// The same steps with no switching: A runs to the end, then B.
fn serial() {
    for name in ["A", "B"] {
        for n in 1..=STEPS {
            step(name, n);
        }
    }
}

fn main() {
    // One OS thread for everything: concurrency without parallelism.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("cannot start the runtime");
    println!("concurrent, join!(biased; A, B):");
    runtime.block_on(take_turns());
    println!("concurrent, two spawned tasks:");
    runtime.block_on(spawned());
    println!("serial:");
    serial();
}
// ANCHOR_END: serial
