//! What a `JoinSet` does on its own when one task fails: nothing to the
//! siblings. A failure, even a panic, is just one more result of
//! `join_next`; only dropping the set (or `abort_all`) cancels the rest.
use std::time::{Duration, Instant};
use tokio::task::JoinSet;
use tokio::time::sleep;

struct OnCancel(&'static str);

impl Drop for OnCancel {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            println!("{} cancelled", self.0);
        }
    }
}

async fn worker(name: &'static str, secs: f64) -> &'static str {
    let mut guard = OnCancel(name);
    sleep(Duration::from_secs_f64(secs)).await;
    guard.0 = "";
    if name == "bad" {
        panic!("{name} failed");
    }
    name
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // The default hook would also resolve a backtrace when RUST_BACKTRACE
    // is set, which takes a while: print the message only.
    std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    // ANCHOR: default
    let mut set = JoinSet::new();
    set.spawn(worker("fast", 0.5));
    set.spawn(worker("bad", 1.0));
    set.spawn(worker("slow", 1.5));
    set.spawn(worker("forgotten", 10.0));
    // Three results, not four: we stop waiting before `forgotten` ends.
    for _ in 0..3 {
        match set.join_next().await.expect("the set is not empty") {
            Ok(name) => println!("{name} done"),
            Err(e) if e.is_panic() => println!("a task panicked"),
            Err(e) => println!("join error: {e}"),
        }
    }
    println!("still in the set: {}", set.len());
    drop(set); // aborts `forgotten`
    // ANCHOR_END: default
    // Aborting is a request: the task is dropped the next time the
    // runtime gets to it, so give it one turn.
    tokio::task::yield_now().await;
    println!("total {:.2?}", start.elapsed());
}
