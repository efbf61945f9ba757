// ANCHOR: starter
//! 练习 16-1：自己写轮转调度器。
//!
//! `switch()` 和示例 16-2 一样：被 `.await` 时返回一次
//! `Poll::Pending`，把线程交出去。写 `run`：把协程排成一队，每次取出队首
//! 的协程轮询一次；它返回 `Pending` 就排回队尾，返回 `Ready` 就丢掉；队列
//! 空了就结束。三个协程的输出因此交错出现。
//!
//! 检查：`cargo xtask exercise round_robin`。

use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that is pending exactly once (listing 16-2). It wakes no one
/// on purpose: only a scheduler that polls everyone in turn, like `run`,
/// ever polls it again.
// ANCHOR: switch_impl SAME-AS: listings/ch16/src/bin/coroutine_ab.rs#switch_impl
struct Switch {
    switched: bool,
}

impl Future for Switch {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.switched {
            Poll::Ready(())
        } else {
            self.switched = true;
            Poll::Pending
        }
    }
}

fn switch() -> Switch {
    Switch { switched: false }
}
// ANCHOR_END: switch_impl

async fn a() {
    println!("1");
    switch().await;
    println!("2");
    switch().await;
    println!("3");
}

async fn b() {
    println!("x");
    switch().await;
    println!("y");
}

async fn c() {
    println!("α");
    println!("β");
    switch().await;
    println!("γ");
    switch().await;
    println!("δ");
}

/// A coroutine the scheduler can hold: a boxed, pinned state machine.
type Coroutine = Pin<Box<dyn Future<Output = ()>>>;

/// Polls the coroutines in turn until all are done; returns how many polls
/// that took.
fn run(coroutines: Vec<Coroutine>) -> usize {
    // ---- 练习：从这里开始 ----
    todo!("轮流轮询这 {} 个协程，直到全部完成", coroutines.len())
    // ---- 练习：到这里结束 ----
}

fn main() {
    let polls = run(vec![Box::pin(a()), Box::pin(b()), Box::pin(c())]);
    println!("{polls} 次轮询");
}
// ANCHOR_END: starter
