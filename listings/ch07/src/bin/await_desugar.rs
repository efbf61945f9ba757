//! Listing 7-1: what an `async fn` becomes.
//!
//! `add` is a small `async fn` with two `.await`s. `Add` is the same thing
//! written by hand: an enum with one variant per place the body can pause
//! at, and a `poll` that moves from one to the next. Both run on the same
//! tiny executor and print the same lines.

use std::cell::RefCell;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

thread_local! {
    /// Every line `say` printed, so that `main` can compare the two runs.
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Prints a line and keeps it in the log.
fn say(line: String) {
    println!("{line}");
    LOG.with_borrow_mut(|log| log.push(line));
}

// ANCHOR: leaf
/// A leaf future: the first poll returns `Pending`, the second `Ready`.
/// It is where a task really stops, like the bare `yield` at the bottom
/// of a Python coroutine stack.
struct YieldOnce {
    value: u32,
    yielded: bool,
}

fn yield_once(value: u32) -> YieldOnce {
    YieldOnce {
        value,
        yielded: false,
    }
}

impl Future for YieldOnce {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.yielded {
            return Poll::Ready(self.value);
        }
        self.yielded = true;
        say("    YieldOnce：返回 Pending，先调用 wake_by_ref".to_string());
        // The promise that comes with `Pending`: someone will call the
        // waker when polling again can make progress. Nothing else will
        // here, so the future does it itself, at once.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: leaf

// ANCHOR: async_fn
async fn add() -> u32 {
    say("  add：开始".to_string());
    let a = yield_once(1).await;
    say(format!("  add：a = {a}"));
    let b = yield_once(2).await;
    say(format!("  add：b = {b}，返回 {}", a + b));
    a + b
}
// ANCHOR_END: async_fn

// ANCHOR: state_machine
/// `add` by hand. Each variant holds what is alive at that point: the
/// future being awaited, and the locals that live across the `.await`.
enum Add {
    /// Created, not polled yet: the body has not started.
    Start,
    /// Paused in `yield_once(1).await`.
    AwaitingA { fut: YieldOnce },
    /// Paused in `yield_once(2).await`; `a` is needed after it.
    AwaitingB { a: u32, fut: YieldOnce },
    /// Returned its value; polling again is a bug.
    Done,
}

impl Future for Add {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Every field is `Unpin`, so `Add` is too and may be reached
        // through a plain `&mut`. A compiler-made state machine can hold
        // references into itself and is never `Unpin`.
        let this = self.get_mut();
        // Each pass runs the body from one pause point to the next.
        loop {
            match this {
                Add::Start => {
                    say("  add：开始".to_string());
                    *this = Add::AwaitingA { fut: yield_once(1) };
                }
                Add::AwaitingA { fut } => {
                    // `.await` is this: poll the inner future, and if it is
                    // pending, be pending too, staying in this state.
                    let Poll::Ready(a) = Pin::new(fut).poll(cx) else {
                        return Poll::Pending;
                    };
                    say(format!("  add：a = {a}"));
                    *this = Add::AwaitingB {
                        a,
                        fut: yield_once(2),
                    };
                }
                Add::AwaitingB { a, fut } => {
                    let Poll::Ready(b) = Pin::new(fut).poll(cx) else {
                        return Poll::Pending;
                    };
                    let sum = *a + b;
                    say(format!("  add：b = {b}，返回 {sum}"));
                    *this = Add::Done;
                    return Poll::Ready(sum);
                }
                Add::Done => panic!("`async fn` resumed after completion"),
            }
        }
    }
}
// ANCHOR_END: state_machine

// ANCHOR: executor
// ANCHOR: ready
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

/// Runs one future to completion. Like a real executor, it polls only a
/// task that has been woken: a future that returns `Pending` without
/// arranging a wake-up would leave it with nothing to do, forever.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    // A new task is ready to run.
    let ready = Arc::new(Ready(AtomicBool::new(true)));
    let waker = Waker::from(ready.clone());
    let mut cx = Context::from_waker(&waker);
    for n in 1.. {
        if !ready.0.swap(false, Ordering::SeqCst) {
            // With real events we would sleep here until a wake. There are
            // none, so sleeping would never end: say so instead.
            panic!("Pending without a wake: the task would never run again");
        }
        say(format!("执行器：第 {n} 次轮询"));
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return value;
        }
    }
    unreachable!()
}
// ANCHOR_END: executor

// ANCHOR: main
fn main() {
    println!("== async fn add() ==");
    let from_async = block_on(add());
    let async_log = LOG.take();
    println!("== 手写的状态机 Add ==");
    let by_hand = block_on(Add::Start);
    let hand_log = LOG.take();
    println!("结果：{from_async} 和 {by_hand}");
    println!(
        "两次运行打印的 {} 行是否相同：{}",
        async_log.len(),
        async_log == hand_log
    );
}
// ANCHOR_END: main
