//! Listing 20-3: asking a task to stop, so that its cleanup can `.await`.
//! The task waits on its work and on a stop signal with `tokio::select!`;
//! after the signal it runs asynchronous cleanup, like Python's `finally`
//! with an `await` in it.

use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

// ANCHOR: worker
async fn worker(stop: oneshot::Receiver<()>) {
    println!("[{}] worker: start, sleeping 10 s", t());
    tokio::select! {
        _ = sleep(Duration::from_secs(10)) => {
            println!("[{}] worker: slept 10 s", t());
        }
        _ = stop => println!("[{}] worker: asked to stop", t()),
    }
    // Still inside the task, after the select: this cleanup can .await.
    println!("[{}] worker: cleaning up for 0.5 s", t());
    sleep(Duration::from_millis(500)).await;
    println!("[{}] worker: cleanup done", t());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    LazyLock::force(&START);
    let (stop, stop_rx) = oneshot::channel();
    let task = tokio::spawn(worker(stop_rx));
    sleep(Duration::from_secs(1)).await;
    println!("[{}] main: stop.send(())", t());
    stop.send(()).expect("the worker is still listening");
    task.await.expect("the worker panicked");
    println!("[{}] main: the worker has finished", t());
}
// ANCHOR_END: worker
