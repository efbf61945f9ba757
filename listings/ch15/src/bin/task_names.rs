//! Listing 15-1: gevent's greenlets pretend to be threads (`Dummy-1`,
//! `Dummy-2`). Tokio tasks do not: every line below names the same OS
//! thread, and what tells the tasks apart is their task id.

use std::time::Duration;

// ANCHOR: who
/// Who is running: the OS thread, and the tokio task if there is one.
fn who() -> String {
    let thread = std::thread::current();
    let thread = thread.name().unwrap_or("<unnamed>").to_string();
    // `try_id` is `None` outside a task: `block_on` (which runs `main`)
    // is not a task.
    match tokio::task::try_id() {
        Some(id) => format!("thread {thread}, task {id}"),
        None => format!("thread {thread}, no task"),
    }
}
// ANCHOR_END: who

// ANCHOR: main
async fn eat() {
    println!("{}: eat 1", who());
    tokio::time::sleep(Duration::from_secs(3)).await;
    println!("{}: eat 2", who());
}

async fn play() {
    println!("{}: play 1", who());
    tokio::time::sleep(Duration::from_secs(5)).await;
    println!("{}: play 2", who());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let g1 = tokio::spawn(eat());
    let g2 = tokio::spawn(play());
    // Printed first: the spawned tasks have not run yet.
    println!("{}", who());
    let (r1, r2) = tokio::join!(g1, g2);
    r1.unwrap();
    r2.unwrap();
}
// ANCHOR_END: main
