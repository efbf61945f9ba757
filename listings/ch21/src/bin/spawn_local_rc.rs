//! Listing 21-2: tasks that share an `Rc` across `.await`. `tokio::spawn`
//! refuses them (they are not `Send`); `spawn_local` on a `LocalSet` runs
//! them, all on the one thread that drives the `LocalSet`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use tokio::task::{self, LocalSet};
use tokio::time::sleep;

// ANCHOR: local
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Rc + Cell: a counter shared without atomics or locks, like a plain
    // Python object shared by coroutines on one event loop.
    let count = Rc::new(Cell::new(0));
    let local = LocalSet::new();
    local
        .run_until(async {
            let mut tasks = Vec::new();
            for name in ["A", "B", "C"] {
                let count = Rc::clone(&count);
                // The same task with tokio::spawn does not compile:
                // error: future cannot be sent between threads safely
                // (chapter 21 goes through the rest of the message).
                tasks.push(task::spawn_local(async move {
                    sleep(Duration::from_millis(100)).await;
                    count.set(count.get() + 1);
                    println!("{name}: count = {}", count.get());
                }));
            }
            for t in tasks {
                t.await.expect("a local task panicked");
            }
        })
        .await;
    println!("total: {}", count.get());
}
// ANCHOR_END: local
