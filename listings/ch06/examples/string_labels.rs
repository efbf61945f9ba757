//! 练习 6-1：用 `String` 作标签的倒计时任务。
//!
//! 示例 6-1 的标签是字符串字面量 `"A"`、`"B"`，类型是 `&'static str`。
//! 这里的标签是运行时才拼出来的 `String`。把两个倒计时各交给
//! `tokio::spawn`，让它们像示例 6-1 那样同时进行，总用时约 3 秒。
//! 直接写 `tokio::spawn(countdown(&label, n))` 过不了编译：`tokio::spawn`
//! 要求 `Future` 是 `'static`，不能借用 `run_all` 里的局部变量。
//!
//! 检查：`cargo xtask exercise string_labels`。

use std::time::{Duration, Instant};

// ---- 练习：从这里开始 ----
/// One countdown, borrowing its label.
async fn countdown(label: &str, mut n: u32) {
    while n > 0 {
        println!("T-minus {n} ({label})");
        tokio::time::sleep(Duration::from_secs(1)).await;
        n -= 1;
    }
}

/// Runs every countdown, one after the other: spawning each one with
/// `tokio::spawn(countdown(label, *n))` does not compile here.
async fn run_all(countdowns: Vec<(String, u32)>) {
    for (label, n) in &countdowns {
        countdown(label, *n).await;
    }
}
// ---- 练习：到这里结束 ----

// One thread, and A spawned before B: the same order as listing 6-1.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    // Labels made at run time, as if they came from a file or a user.
    let countdowns = [("A", 2), ("B", 3)]
        .into_iter()
        .map(|(name, n)| (format!("任务 {name}"), n))
        .collect();
    run_all(countdowns).await;
    println!("总用时 {:.3?}", start.elapsed());
}
