//! Listing 21-3: three tasks on the multi-thread runtime update shared
//! state. With `std::sync::Mutex` the guard must be gone before `.await`;
//! with `tokio::sync::Mutex` it may be held across `.await`, and then the
//! tasks wait for each other.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::time::sleep;

const PAUSE: Duration = Duration::from_millis(200);

// ANCHOR: std_mutex
/// Lock, update, unlock, then `.await`: the guard never crosses the
/// `.await`, so the task is `Send`.
async fn with_std_mutex(total: Arc<Mutex<u32>>) {
    {
        let mut guard = total.lock().unwrap();
        *guard += 1;
    } // the guard is dropped here, before the .await
    sleep(PAUSE).await;
}
// ANCHOR_END: std_mutex

// ANCHOR: tokio_mutex
/// `tokio::sync::Mutex`: `lock()` is awaited and its guard is `Send`, so
/// it may be held across `.await`. Other tasks wait for it meanwhile.
async fn with_tokio_mutex(total: Arc<tokio::sync::Mutex<u32>>) {
    let mut guard = total.lock().await;
    sleep(PAUSE).await; // still holding the lock
    *guard += 1;
}
// ANCHOR_END: tokio_mutex

// ANCHOR: main
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let start = Instant::now();
    let total = Arc::new(Mutex::new(0));
    let tasks: Vec<_> = (0..3)
        .map(|_| tokio::spawn(with_std_mutex(Arc::clone(&total))))
        .collect();
    for t in tasks {
        t.await.expect("a task panicked");
    }
    let n = *total.lock().unwrap();
    println!("std::sync::Mutex:   total = {n}, {:.3?}", start.elapsed());

    let start = Instant::now();
    let total = Arc::new(tokio::sync::Mutex::new(0));
    let tasks: Vec<_> = (0..3)
        .map(|_| tokio::spawn(with_tokio_mutex(Arc::clone(&total))))
        .collect();
    for t in tasks {
        t.await.expect("a task panicked");
    }
    let n = *total.lock().await;
    println!("tokio::sync::Mutex: total = {n}, {:.3?}", start.elapsed());
}
// ANCHOR_END: main
