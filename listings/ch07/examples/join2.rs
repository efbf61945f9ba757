// ANCHOR: starter
//! 练习 7-1：手写 `Join2`。
//!
//! `Join2` 同时等两个 `Future`：每次被轮询时，轮询还没完成的那个（或两个），
//! 两个都完成后返回 `Poll::Ready((a 的结果, b 的结果))`。这就是
//! `futures::join!` 和 `tokio::join!` 做的事，这里写成示例 7-1 那样的
//! 手写状态机。执行器也照搬示例 7-1：只轮询被唤醒过的任务。
//!
//! 检查：`cargo xtask exercise join2`。

use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// A leaf future that is pending `times` times before it is ready with
/// `value`; it wakes its task each time, so the executor polls it again.
struct Steps {
    name: &'static str,
    times: u32,
    value: u32,
}

fn steps(name: &'static str, times: u32, value: u32) -> Steps {
    Steps { name, times, value }
}

impl Future for Steps {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.times == 0 {
            println!("  {}：Ready({})", self.name, self.value);
            return Poll::Ready(self.value);
        }
        self.times -= 1;
        println!("  {}：Pending，还差 {} 次", self.name, self.times);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

// ---- 练习：从这里开始 ----
/// Both futures. Add whatever else `poll` needs to remember.
struct Join2<A, B> {
    a: A,
    b: B,
}

fn join2<A, B>(a: A, b: B) -> Join2<A, B> {
    Join2 { a, b }
}

impl<A, B> Future for Join2<A, B>
where
    A: Future + Unpin,
    B: Future + Unpin,
    A::Output: Unpin,
    B::Output: Unpin,
{
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // A start: both are polled once, and their results are lost.
        let _ = Pin::new(&mut this.a).poll(cx);
        let _ = Pin::new(&mut this.b).poll(cx);
        todo!("记住已经完成的结果，两个都完成后返回 Poll::Ready((a, b))")
    }
}
// ---- 练习：到这里结束 ----

// ANCHOR: ready SAME-AS: listings/ch07/src/bin/await_desugar.rs#ready
/// The task's "ready to be polled" flag; waking it sets the flag.
struct Ready(AtomicBool);

impl Wake for Ready {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}
// ANCHOR_END: ready

/// Listing 7-1's executor: polls the task only after a wake.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let ready = Arc::new(Ready(AtomicBool::new(true)));
    let waker = Waker::from(ready.clone());
    let mut cx = Context::from_waker(&waker);
    for n in 1.. {
        if !ready.0.swap(false, Ordering::SeqCst) {
            panic!("Pending without a wake: the task would never run again");
        }
        println!("执行器：第 {n} 次轮询");
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return value;
        }
    }
    unreachable!()
}

fn main() {
    let (a, b) = block_on(join2(steps("A", 1, 10), steps("B", 2, 20)));
    println!("结果：({a}, {b})");
}
// ANCHOR_END: starter
