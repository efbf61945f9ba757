//! Listing 22-2: the same `ticker` written with the `async-stream` crate's
//! `stream!` macro: an `async` block with `yield` in it, the closest stable
//! Rust gets to Python's `async def … yield`. The state between items stays
//! in local variables, as in the generator.

use async_stream::stream;
use futures_lite::{Stream, StreamExt};
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

// ANCHOR: ticker
/// `async def ticker(n, delay): ... yield i`, line for line. The macro
/// turns the block into a state machine implementing `Stream`; each
/// `yield` hands one item to the consumer's `next().await`.
fn ticker(n: u32, delay: Duration) -> impl Stream<Item = u32> {
    stream! {
        println!("[{}] ticker: started", t());
        for i in 0..n {
            sleep(delay).await;
            println!("[{}] ticker: yielding {i}", t());
            yield i;
        }
    }
}
// ANCHOR_END: ticker

// ANCHOR: main SAME-AS: listings/ch22/src/bin/ticker_unfold.rs#main
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
