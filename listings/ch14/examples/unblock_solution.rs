//! 练习 14-1：把阻塞调用移出运行时的线程，输出不变。
//!
//! `checksum` 是一个你不能修改的阻塞函数（这里用 `std::thread::sleep`
//! 代替读磁盘或大量计算）。`eat` 直接调用它，于是整整 3 秒里运行时的唯一
//! 线程被占住，`play` 无法开始，总用时变成 8 秒。只改 `eat` 里标出的部分，
//! 让两个任务重新并发、总用时回到 5 秒左右，打印的内容（包括校验和）不变。
//!
//! 检查：`cargo xtask exercise unblock`。

use std::time::{Duration, Instant};

/// A blocking call you cannot change: it holds its thread for 3 seconds.
fn checksum(name: &str) -> u32 {
    std::thread::sleep(Duration::from_secs(3));
    name.bytes().map(u32::from).sum()
}

// ANCHOR: exercise
async fn eat(name: &str) {
    println!("{name} eat 1");
    // ---- 练习：从这里开始 ----
    // `spawn_blocking` runs the call on tokio's blocking thread pool; this
    // task waits for it with `.await`, leaving the runtime's thread free.
    let owned = name.to_string();
    let sum = tokio::task::spawn_blocking(move || checksum(&owned))
        .await
        .expect("checksum panicked");
    // ---- 练习：到这里结束 ----
    println!("{name} eat 2 (checksum {sum})");
}
// ANCHOR_END: exercise

async fn play(name: &str) {
    println!("{name} play 1");
    tokio::time::sleep(Duration::from_secs(5)).await;
    println!("{name} play 2");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let g1 = tokio::spawn(eat("egon"));
    let g2 = tokio::spawn(play("alex"));
    let (r1, r2) = tokio::join!(g1, g2);
    r1.unwrap();
    r2.unwrap();
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
