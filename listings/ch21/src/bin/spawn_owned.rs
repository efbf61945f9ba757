//! Listing 21-1: `tokio::spawn` needs a `'static` task. Chapter 6's
//! `countdown("A", 2)` borrowed a string literal, which lives forever; a
//! name built at run time must be moved into the task instead.

use std::time::Duration;

async fn countdown(number: &str, mut n: u32) {
    while n > 0 {
        println!("T-minus {n} ({number})");
        tokio::time::sleep(Duration::from_millis(100)).await;
        n -= 1;
    }
}

// ANCHOR: owned
#[tokio::main]
async fn main() {
    let name = format!("{}-{}", "A", 1); // a String, made at run time
    // tokio::spawn(countdown(&name, 2)) is rejected: it borrows `name`,
    // which main drops at its end, while the task may run longer (E0597).
    // An `async move` block owns `name`; the task borrows it from itself.
    let task = tokio::spawn(async move { countdown(&name, 2).await });
    task.await.expect("the countdown panicked");
}
// ANCHOR_END: owned
