//! `asyncio.TaskGroup`'s rule in tokio: the first task that fails cancels
//! its siblings, and the group reports the failure. A `JoinSet` does not do
//! this by itself (see `joinset_default`); here we do it by hand.
use std::time::{Duration, Instant};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

// ANCHOR: guard
/// Prints "<name> cancelled" if the task is dropped before it finishes:
/// in Rust a cancelled task is a dropped `Future`, so a destructor is the
/// place where "I was cancelled" can be observed.
struct OnCancel(&'static str);

impl Drop for OnCancel {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            println!("{} cancelled", self.0);
        }
    }
}

async fn worker(
    name: &'static str,
    secs: f64,
    fail: bool,
) -> Result<(), String> {
    let mut guard = OnCancel(name);
    sleep(Duration::from_secs_f64(secs)).await;
    guard.0 = ""; // finished: nothing to report on drop
    if fail {
        return Err(format!("{name} failed"));
    }
    println!("{name} done");
    Ok(())
}
// ANCHOR_END: guard

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // ANCHOR: group
    let mut group = JoinSet::new();
    group.spawn(worker("fast", 0.5, false));
    group.spawn(worker("bad", 1.0, true));
    group.spawn(worker("slow", 2.0, false));
    while let Some(joined) = group.join_next().await {
        if let Err(why) = joined.expect("no task panics here") {
            // What TaskGroup does on the first failure: cancel the rest
            // and wait until they are gone.
            group.abort_all();
            while group.join_next().await.is_some() {}
            println!("group failed: {why}");
        }
    }
    // ANCHOR_END: group
    println!("group left after {:.2?}", start.elapsed());
    // ANCHOR: timeout
    let late = timeout(Duration::from_millis(500), worker("late", 2.0, false));
    if late.await.is_err() {
        println!("timed out");
    }
    // ANCHOR_END: timeout
    println!("total {:.2?}", start.elapsed());
}
