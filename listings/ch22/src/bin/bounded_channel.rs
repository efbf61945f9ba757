//! Listing 22-4: backpressure. A fast producer sends into a bounded
//! `tokio::sync::mpsc` channel of capacity 2; a consumer takes 300 ms per
//! item. Once the channel is full, `send(...).await` waits.

use futures_lite::{StreamExt, stream};
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

// ANCHOR: channel
async fn producer(tx: mpsc::Sender<u32>) {
    for i in 0..5 {
        tx.send(i).await.expect("the consumer is gone"); // waits if full
        println!("[{}] producer: sent {i}", t());
    }
    // Dropping `tx` closes the channel: the stream below then ends.
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    LazyLock::force(&START);
    let (tx, rx) = mpsc::channel(2); // at most 2 items waiting
    tokio::spawn(producer(tx));
    // The receiver as a Stream (tokio-stream's `ReceiverStream` does the
    // same): each item is `rx.recv().await`, the end is `None`.
    let items = stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut items = std::pin::pin!(items);
    while let Some(item) = items.next().await {
        println!("[{}] consumer: got {item}, working 0.3 s", t());
        sleep(Duration::from_millis(300)).await;
    }
    println!("[{}] main: done", t());
}
// ANCHOR_END: channel
