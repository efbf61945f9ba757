//! 练习 25-2：让循环取消安全。
//!
//! `lines` 在一个 `select!` 循环里读行，同时每 100 毫秒有一次心跳。每行
//! 分两半写来，心跳恰好落在两半之间：`read_line` 每次被心跳打断，读到的
//! 前半行就随它的 `Future` 一起丢了。改写标记之间的循环，让三行都完整
//! 收到，心跳也照样计数。时间是虚拟的（`start_paused`），每次运行的交错
//! 完全相同。
//!
//! 检查：`cargo xtask exercise cancel_safe_loop`。

use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::time::{Instant, interval_at, sleep};

async fn sender(mut out: DuplexStream) {
    for word in ["alpha", "bravo", "charlie"] {
        let (first, second) = word.split_at(3);
        out.write_all(first.as_bytes()).await.unwrap();
        sleep(Duration::from_millis(100)).await;
        out.write_all(format!("{second}\n").as_bytes())
            .await
            .unwrap();
        sleep(Duration::from_millis(100)).await;
    }
}

// ---- 练习：从这里开始 ----
async fn lines(mut input: BufReader<DuplexStream>) -> (Vec<String>, u32) {
    let period = Duration::from_millis(100);
    let mut tick = interval_at(Instant::now() + period / 2, period);
    let (mut lines, mut ticks) = (Vec::new(), 0);
    loop {
        let mut line = String::new();
        tokio::select! {
            _ = tick.tick() => ticks += 1,
            n = input.read_line(&mut line) => {
                if n.unwrap() == 0 {
                    return (lines, ticks);
                }
                lines.push(line.trim_end().to_string());
            }
        }
    }
}
// ---- 练习：到这里结束 ----

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let (out, input) = tokio::io::duplex(64);
    tokio::spawn(sender(out));
    let (got, ticks) = lines(BufReader::new(input)).await;
    println!("got {got:?} with {ticks} heartbeats");
}
