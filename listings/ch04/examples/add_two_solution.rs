//! 练习 4-1：两层委托，带返回值。
//!
//! `ask` 把一个问题交给调用者（Python 的 `yield`），返回调用者用 `send`
//! 送回来的答案。写 `add_two`：用 `ask` 先问 1、再问 2，返回两个答案的和。
//! `top` 又 `.await` 了 `add_two`，所以值要穿过两层：问题从 `ask` 经过
//! `add_two`、`top` 到达 `main`，答案原路返回，`add_two` 的返回值成为
//! `top` 里 `.await` 的值——正是 Python 里 `yield from` 做的三件事。
//!
//! 检查：`cargo xtask exercise add_two`。

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: driver SAME-AS: listings/ch03/src/bin/jumping_range.rs#driver
/// What one resume step produced: Python's `yield` value, or the value of
/// `StopIteration` when the body returned.
enum State<Y, R> {
    Yielded(Y),
    Complete(R),
}

/// Where the driver and the body hand values to each other.
struct Slot<Y, S> {
    yielded: Option<Y>,
    sent: Option<S>,
}

/// The body's handle: `co.yield_(v).await` is Python's `yield v`.
struct Co<Y, S> {
    slot: Rc<RefCell<Slot<Y, S>>>,
}

impl<Y, S> Co<Y, S> {
    /// Hands `value` out, pauses, and returns what the caller sent on
    /// resuming: `Some` for `send(x)`, `None` for `next()`.
    async fn yield_(&self, value: Y) -> Option<S> {
        self.slot.borrow_mut().yielded = Some(value);
        Pause(false).await;
        self.slot.borrow_mut().sent.take()
    }
}

/// A future that is pending exactly once: the point where the body stops
/// and control returns to whoever called `resume`.
///
/// It ignores `cx`, so nobody will call the waker: this breaks `Future`'s
/// contract on purpose. It works only because `resume` polls again
/// without waiting for a wake; a real executor polls a task only after a
/// wake, and nothing here causes one.
struct Pause(bool);

impl Future for Pause {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// A generator: a paused body plus the slot it talks through.
struct Generator<Y, S, R> {
    slot: Rc<RefCell<Slot<Y, S>>>,
    body: Pin<Box<dyn Future<Output = R>>>,
    done: bool,
}

impl<Y: 'static, S: 'static, R> Generator<Y, S, R> {
    fn new<F: Future<Output = R> + 'static>(
        body: impl FnOnce(Co<Y, S>) -> F,
    ) -> Self {
        let slot = Rc::new(RefCell::new(Slot {
            yielded: None,
            sent: None,
        }));
        let body = Box::pin(body(Co { slot: slot.clone() }));
        Generator {
            slot,
            body,
            done: false,
        }
    }

    /// Runs the body until its next `yield_` or its end. `resume(None)` is
    /// Python's `next(gen)`, `resume(Some(x))` is `gen.send(x)`.
    fn resume(&mut self, sent: Option<S>) -> State<Y, R> {
        assert!(!self.done, "resumed a generator that has finished");
        self.slot.borrow_mut().sent = sent;
        // Nobody needs waking: the caller resumes the generator itself.
        let mut cx = Context::from_waker(Waker::noop());
        match self.body.as_mut().poll(&mut cx) {
            Poll::Ready(value) => {
                self.done = true;
                State::Complete(value)
            }
            Poll::Pending => {
                State::Yielded(
                    self.slot.borrow_mut().yielded.take().expect(
                        "a generator body may only await its own yield_",
                    ),
                )
            }
        }
    }
}
// ANCHOR_END: driver

// ANCHOR: exercise
type Gen = Co<i64, i64>;

/// One level down: yields `question`, returns the answer sent back.
async fn ask(co: &Gen, question: i64) -> i64 {
    co.yield_(question)
        .await
        .expect("the caller sends an answer")
}

// ---- 练习：从这里开始 ----
/// Asks 1, then 2; returns the sum of the two answers.
async fn add_two(co: &Gen) -> i64 {
    let a = ask(co, 1).await;
    let b = ask(co, 2).await;
    a + b
}
// ---- 练习：到这里结束 ----

/// Two levels up: whatever `add_two` returns comes back here.
async fn top(co: &Gen) -> i64 {
    let sum = add_two(co).await;
    println!("  top：add_two 返回了 {sum}");
    sum * 10
}

fn main() {
    let mut generator = Generator::new(|co: Gen| async move { top(&co).await });
    let mut sent = None;
    loop {
        match generator.resume(sent) {
            State::Yielded(question) => {
                println!("问题 {question}，送回 {}", question * 100);
                sent = Some(question * 100);
            }
            State::Complete(value) => {
                println!("StopIteration，返回值 {value}");
                break;
            }
        }
    }
}
// ANCHOR_END: exercise
