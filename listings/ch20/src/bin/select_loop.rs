//! Listing 20-4: `select!` in a loop without losing anything when a branch
//! is cancelled. Messages arrive every 0.4 s; the loop takes them for one
//! second in all. The deadline is one future, created before the loop and
//! pinned, so every round waits on the same deadline instead of a new one;
//! `recv` is cancel-safe, so the round the deadline wins takes no message.

use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::time::sleep;

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Time since the program started, for the log lines.
fn t() -> String {
    format!("{:.3?}", START.elapsed())
}

/// Sends 0, 1, 2, … one every 0.4 s, five in all.
async fn producer(tx: mpsc::Sender<u32>) {
    for n in 0..5 {
        sleep(Duration::from_millis(400)).await;
        if tx.send(n).await.is_err() {
            return; // the receiver is gone: nobody wants the rest
        }
    }
}

// ANCHOR: select_loop
#[tokio::main(flavor = "current_thread")]
async fn main() {
    LazyLock::force(&START);
    let (tx, mut rx) = mpsc::channel(4);
    tokio::spawn(producer(tx));

    // Created once, before the loop. `select!` polls a branch through
    // `&mut`, which needs `Unpin`: `pin!` pins it here, on the stack.
    let mut deadline = std::pin::pin!(sleep(Duration::from_secs(1)));
    loop {
        tokio::select! {
            // `recv` is cancel-safe: when the deadline wins this round,
            // the dropped `recv` has taken nothing out of the channel.
            Some(n) = rx.recv() => println!("[{}] got {n}", t()),
            // A reference: losing a round does not drop the deadline.
            () = &mut deadline => {
                println!("[{}] one second is up", t());
                break;
            }
        }
    }
}
// ANCHOR_END: select_loop
