//! Listing 20-1: `tokio::join!`, `tokio::select!` and
//! `tokio::time::timeout`, beside `asyncio.gather`, `asyncio.wait(...,
//! return_when=FIRST_COMPLETED)` and `asyncio.wait_for`.

use std::time::{Duration, Instant};
use tokio::time::{sleep, timeout};

// ANCHOR: job
/// Sleeps, then reports. The Python original's `job(name, seconds)`.
async fn job(name: &'static str, ms: u64, start: Instant) -> &'static str {
    sleep(Duration::from_millis(ms)).await;
    println!("[{:.3?}] {name} done", start.elapsed());
    name
}
// ANCHOR_END: job

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // ANCHOR: join
    // join!: run both in this task, wait for both (asyncio.gather).
    let (a, b) = tokio::join!(job("one", 1000, start), job("two", 2000, start));
    println!("{:?}", [a, b]);
    // ANCHOR_END: join

    // ANCHOR: select
    // select!: run both, take the first to finish, drop the other
    // (asyncio.wait with FIRST_COMPLETED, then cancel the rest).
    let first = tokio::select! {
        name = job("fast", 1000, start) => name,
        name = job("slow", 3000, start) => name,
    };
    println!("first: {first}");
    // ANCHOR_END: select

    // ANCHOR: timeout
    // timeout: a time limit (asyncio.wait_for). On expiry the inner
    // future is dropped and we get Err(Elapsed).
    let limit = Duration::from_millis(500);
    match timeout(limit, job("too slow", 2000, start)).await {
        Ok(name) => println!("{name} finished in time"),
        Err(e) => println!("[{:.3?}] timeout: {e}", start.elapsed()),
    }
    // ANCHOR_END: timeout
}
