//! Listing 14-2: the same program with `std::thread::sleep` inside the async
//! functions. That call blocks the only thread the runtime has, so nothing
//! else runs while it sleeps: the tasks run one after the other, about 8 s.
//! This is gevent without `monkey.patch_all()`.

use std::time::{Duration, Instant};

// ANCHOR: tasks
async fn eat(name: &str) {
    println!("{name} eat 1");
    // Wrong in async code: blocks the thread, never returns `Pending`.
    std::thread::sleep(Duration::from_secs(3));
    println!("{name} eat 2");
}

async fn play(name: &str) {
    println!("{name} play 1");
    std::thread::sleep(Duration::from_secs(5));
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
