//! Listing 14-1: the article's gevent eat/play example on a current-thread
//! tokio runtime. Two tasks on one thread sleep 3 s and 5 s; because the
//! sleeps overlap, the whole run takes about 5 s, not 8 s.

use std::time::{Duration, Instant};

// ANCHOR: tasks
async fn eat(name: &str) {
    println!("{name} eat 1");
    // A timer, not a blocked thread: the task returns `Poll::Pending` and
    // the runtime runs the other task until the timer fires.
    tokio::time::sleep(Duration::from_secs(3)).await;
    println!("{name} eat 2");
}

async fn play(name: &str) {
    println!("{name} play 1");
    tokio::time::sleep(Duration::from_secs(5)).await;
    println!("{name} play 2");
}
// ANCHOR_END: tasks

// ANCHOR: main
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
