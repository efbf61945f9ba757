//! Listing 14-3: when the work really is blocking (a synchronous library, a
//! file read, heavy computation), hand it to `spawn_blocking`. It runs on
//! tokio's pool of blocking threads while the task awaits its result, so
//! the runtime's own thread stays free: about 5 s again.

use std::time::{Duration, Instant};

// ANCHOR: tasks
/// Stands in for any synchronous call that blocks its thread.
fn blocking_work(seconds: u64) {
    std::thread::sleep(Duration::from_secs(seconds));
}

async fn eat(name: &str) {
    println!("{name} eat 1");
    // The closure runs on another thread; awaiting the handle yields.
    tokio::task::spawn_blocking(|| blocking_work(3))
        .await
        .unwrap();
    println!("{name} eat 2");
}

async fn play(name: &str) {
    println!("{name} play 1");
    tokio::task::spawn_blocking(|| blocking_work(5))
        .await
        .unwrap();
    println!("{name} play 2");
}
// ANCHOR_END: tasks

// ANCHOR: main SAME-AS: listings/ch14/src/bin/eat_play.rs#main
// One thread, like gevent's single OS thread.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // gevent.spawn: queue the tasks; neither runs until main waits.
    let g1 = tokio::spawn(eat("egon"));
    let g2 = tokio::spawn(play("alex"));
    // gevent.joinall([g1, g2])
    let (r1, r2) = tokio::join!(g1, g2);
    r1.unwrap();
    r2.unwrap();
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
// ANCHOR_END: main
