//! 练习 17-2：消费者回答生产者。
//!
//! 和示例 17-2 一样，每个请求带着一个 `oneshot::Sender`，消费者用它
//! 把答案送回去。这里的消费者算出数的平方。现在的消费者收到请求就把
//! `reply` 丢掉了，生产者等来的只是一个错误。改好标出的部分，让每个请求
//! 都得到答案。
//!
//! 检查：`cargo xtask exercise reply`。

use tokio::sync::{mpsc, oneshot};

/// A number, and where to send its square.
type Request = (u32, oneshot::Sender<u32>);

async fn consumer(mut requests: mpsc::Receiver<Request>) {
    while let Some((n, reply)) = requests.recv().await {
        println!("[CONSUMER] 计算 {n} 的平方");
        // ---- 练习：从这里开始 ----
        // `reply` is dropped unused: the producer's `answer.await` fails.
        drop(reply);
        // ---- 练习：到这里结束 ----
    }
}

async fn producer(requests: mpsc::Sender<Request>) {
    for n in 1..=3 {
        let (reply, answer) = oneshot::channel();
        requests
            .send((n, reply))
            .await
            .expect("the consumer stopped early");
        match answer.await {
            Ok(square) => println!("[PRODUCER] {n} 的平方是 {square}"),
            // The consumer dropped `reply` without sending anything.
            Err(e) => println!("[PRODUCER] 没有等到答案：{e}"),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, rx) = mpsc::channel(1);
    let c = tokio::spawn(consumer(rx));
    producer(tx).await;
    c.await.unwrap();
}
