//! 练习 17-1：有界缓冲区和背压。
//!
//! 生产者把 1 到 5 放进容量为 2 的通道，消费者每取出一个要处理 1 秒。
//! 现在的生产者用 `try_send`：通道满了它不等，直接失败，3、4、5 就丢了。
//! 改写 `producer`，让它在通道满时等待（背压）：五个数都送到，生产者每放进
//! 一个就打印用时，整个程序约 5 秒。
//!
//! 检查：`cargo xtask exercise backpressure`。

use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How many items the channel holds before a sender has to wait.
const CAPACITY: usize = 2;

async fn consumer(mut items: mpsc::Receiver<u32>, start: Instant) {
    while let Some(n) = items.recv().await {
        println!("[CONSUMER] 取出 {n}，{:.3?}", start.elapsed());
        // One second of "work": a timer, so the thread stays free.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    println!("[CONSUMER] 通道关闭，{:.3?}", start.elapsed());
}

/// Puts 1 to 5 into the channel, printing when each one is in.
async fn producer(items: mpsc::Sender<u32>, start: Instant) {
    // ---- 练习：从这里开始 ----
    for n in 1..=5 {
        // `try_send` never waits: when the channel is full it fails at once.
        match items.try_send(n) {
            Ok(()) => println!("[PRODUCER] 放入 {n}，{:.3?}", start.elapsed()),
            Err(e) => println!("[PRODUCER] 放不进 {n}：{e}"),
        }
    }
    // ---- 练习：到这里结束 ----
    // Dropping `items` here closes the channel once it is drained.
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel(CAPACITY);
    let c = tokio::spawn(consumer(rx, start));
    producer(tx, start).await;
    c.await.unwrap();
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
