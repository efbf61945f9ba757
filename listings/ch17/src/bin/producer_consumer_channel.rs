//! Listing 17-2: the same producer/consumer in everyday async Rust: the
//! consumer is a tokio task, requests travel over an `mpsc` channel, and
//! each request carries a `oneshot` channel for the answer.

use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

// ANCHOR: channel
/// A message for the consumer: the item, and where to send the answer.
type Request = (u32, oneshot::Sender<&'static str>);

async fn consumer(mut requests: mpsc::Receiver<Request>) {
    // `recv` returns `None` once every sender is gone: the end of work.
    while let Some((n, reply)) = requests.recv().await {
        println!("[CONSUMER] Consuming {n}...");
        // A timer, so the thread stays free while the consumer "works".
        tokio::time::sleep(Duration::from_secs(1)).await;
        // The producer may have given up waiting; that is not our error.
        let _ = reply.send("200 OK");
    }
}

async fn produce(requests: mpsc::Sender<Request>) {
    for n in 1..=5 {
        println!("[PRODUCER] Producing {n}...");
        let (reply, answer) = oneshot::channel();
        requests
            .send((n, reply))
            .await
            .expect("the consumer stopped early");
        let r = answer.await.expect("the consumer dropped the request");
        println!("[PRODUCER] Consumer return: {r}");
    }
    // `requests` is dropped here, which closes the channel: `c.close()`.
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // Capacity 1: the producer can never run ahead of the consumer by more
    // than one item (here it waits for each answer anyway).
    let (tx, rx) = mpsc::channel(1);
    let c = tokio::spawn(consumer(rx));
    produce(tx).await;
    c.await.unwrap();
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
// ANCHOR_END: channel
