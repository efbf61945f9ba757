//! Listing 6-1: the article's asyncio countdown (borrowed there from the
//! curio tutorial) on tokio.
//!
//! Two tasks count down one second apart, A from 2 and B from 3, in one
//! thread. The output is in the same order as Python's on every run: see
//! the comments in `main` for what makes it so.

use std::time::{Duration, Instant};

// ANCHOR: countdown
/// One countdown: print, sleep a second, repeat. `tokio::time::sleep` is
/// `asyncio.sleep`: it pauses this task and lets the runtime run others.
async fn countdown(number: &str, mut n: u32) {
    while n > 0 {
        println!("T-minus {n} ({number})");
        tokio::time::sleep(Duration::from_secs(1)).await;
        n -= 1;
    }
}

// A current-thread runtime: one thread polls every task, and woken tasks
// run first in, first out. (The default multi-thread runtime could run A
// and B on two threads at once, and their lines would race.)
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // `tokio::spawn` is `asyncio.ensure_future`: it hands the coroutine to
    // the runtime as a task. A is spawned first, so it is polled first,
    // and its sleep is registered first. When both sleeps expire in the
    // same millisecond tick, tokio 1.54's timer wakes them in the order
    // they were registered (it does not promise this; see chapter 6).
    let tasks = [
        tokio::spawn(countdown("A", 2)),
        tokio::spawn(countdown("B", 3)),
    ];
    // `loop.run_until_complete(asyncio.wait(tasks))`: wait for both.
    for task in tasks {
        task.await.expect("a countdown task panicked");
    }
    println!("总用时 {:.3?}", start.elapsed());
}
// ANCHOR_END: countdown
