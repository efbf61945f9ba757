//! 练习 22-1：手写一个 `Stream` 的 `poll_next`。
//!
//! `Stream` 是会产出多个值的 `Future`：`poll_next` 返回
//! `Poll::Ready(Some(值))`、`Poll::Ready(None)`（结束）或 `Poll::Pending`。
//! 标准库还没有稳定的 `Stream`（`std::async_iter::AsyncIterator` 仍不稳定），
//! 这里照 futures 库的 `Stream` 定义了同样的 `poll_next`，以及 `next()`。写 `Countdown` 的 `poll_next`：从 `from` 数到 1，然后
//! 结束；每个数之前先返回一次 `Pending`（像在等一个计时器），返回
//! `Pending` 之前要唤醒任务，否则这个只轮询被唤醒任务的执行器会停下。
//!
//! 检查：`cargo xtask exercise countdown_stream`。

use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// The shape of `futures::Stream`: an asynchronous iterator.
trait Stream {
    type Item;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Self::Item>>;
}

/// `stream.next().await`: the next item, or `None` at the end.
struct Next<'a, S>(&'a mut S);

impl<S: Stream + Unpin> Future for Next<'_, S> {
    type Output = Option<S::Item>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        Pin::new(&mut *self.0).poll_next(cx)
    }
}

fn next<S: Stream + Unpin>(stream: &mut S) -> Next<'_, S> {
    Next(stream)
}

// ---- 练习：从这里开始 ----
/// Counts down from `from` to 1, pending once before each number.
/// Add whatever else `poll_next` needs to remember.
struct Countdown {
    left: u32,
}

fn countdown(from: u32) -> Countdown {
    Countdown { left: from }
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<u32>> {
        todo!(
            "从 {} 数到 1：每个数之前先唤醒并返回一次 Pending",
            self.left
        )
    }
}
// ---- 练习：到这里结束 ----

/// The task's "ready to be polled" flag; waking it sets the flag.
struct Ready(AtomicBool);

impl Wake for Ready {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Polls the task only after a wake (listing 7-1's executor); returns the
/// output and how many polls it took.
fn block_on<F: Future>(fut: F) -> (F::Output, u32) {
    let mut fut = pin!(fut);
    let ready = Arc::new(Ready(AtomicBool::new(true)));
    let waker = Waker::from(ready.clone());
    let mut cx = Context::from_waker(&waker);
    for n in 1.. {
        if !ready.0.swap(false, Ordering::SeqCst) {
            panic!("Pending without a wake: the task would never run again");
        }
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return (value, n);
        }
    }
    unreachable!()
}

fn main() {
    let ((), polls) = block_on(async {
        let mut launch = countdown(3);
        while let Some(n) = next(&mut launch).await {
            println!("T-minus {n}");
        }
        println!("lift-off!");
    });
    println!("执行器轮询了 {polls} 次");
}
