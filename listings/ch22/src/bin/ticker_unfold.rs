//! Listing 22-1: Python's async generator `ticker(n, delay)` as a Rust
//! `Stream`, built with `futures_lite::stream::unfold`, and its
//! `async for` loop as `while let Some(i) = ticks.next().await`.

use futures_lite::{Stream, StreamExt, stream};
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

// ANCHOR: ticker
/// `async def ticker(n, delay): ... yield i`. The state between items (the
/// next `i`) is passed along explicitly: `unfold` calls the closure for
/// each item, and the closure's future returns `Some((item, next state))`
/// or `None` to end the stream.
fn ticker(n: u32, delay: Duration) -> impl Stream<Item = u32> {
    stream::unfold(0, move |i| async move {
        if i == 0 {
            println!("[{}] ticker: started", t());
        }
        if i == n {
            return None;
        }
        sleep(delay).await;
        println!("[{}] ticker: yielding {i}", t());
        Some((i, i + 1))
    })
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    LazyLock::force(&START);
    let ticks = ticker(3, Duration::from_millis(200));
    println!("[{}] main: created the stream, nothing ran yet", t());
    // `async for i in ticks:`; `pin!` because `next()` needs `Unpin`.
    let mut ticks = std::pin::pin!(ticks);
    while let Some(i) = ticks.next().await {
        println!("[{}] main: got {i}", t());
    }
    println!("[{}] main: done", t());
}
// ANCHOR_END: main
// ANCHOR_END: ticker
