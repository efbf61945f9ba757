//! Listing 20-2: cancelling a task is dropping its future. What runs (the
//! `Drop` of every live local) and what does not (the code after the
//! `.await` where the task was suspended).

use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

// ANCHOR: guard
/// A value whose `Drop` reports. Drop is an ordinary, synchronous `fn`:
/// it can print, free memory, close a file, but it cannot `.await`.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("[{}] drop {}: cleanup without .await", t(), self.0);
    }
}
// ANCHOR_END: guard

// ANCHOR: worker
async fn worker() {
    let _guard = Guard("worker's guard");
    println!("[{}] worker: start, sleeping 10 s", t());
    sleep(Duration::from_secs(10)).await;
    // Cancelled while suspended at the .await above: never runs.
    println!("[{}] worker: after the sleep (never printed)", t());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    LazyLock::force(&START);
    let task = tokio::spawn(worker());
    sleep(Duration::from_secs(1)).await;
    println!("[{}] main: task.abort()", t());
    task.abort();
    match task.await {
        Ok(()) => println!("[{}] main: the task finished", t()),
        Err(e) => {
            println!("[{}] main: cancelled = {}", t(), e.is_cancelled())
        }
    }
}
// ANCHOR_END: worker
