// ANCHOR: starter
//! 练习 3-1：限制跳跃距离的 `jumping_range`。
//!
//! 和示例 3-1 一样，`send(x)` 让序列跳 `x` 步；但这一次跳跃有上限：
//! 送进来的值超过 `max_jump` 就按 `max_jump` 跳，小于 `-max_jump` 就按
//! `-max_jump` 跳。`next()`（不送值）仍然前进 1。生成器的机制原样照搬
//! 示例 3-1，你只需要写 `bounded_jump` 的生成器体。
//!
//! 检查：`cargo xtask exercise bounded_jump`。

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: generator SAME-AS: listings/ch03/src/bin/jumping_range.rs#generator
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

impl<Y: 'static, S: 'static> Generator<Y, S, ()> {
    /// `gen.send(x)`: `None` when this send runs the body to its end (where
    /// Python raises `StopIteration`). Sending to a generator that has
    /// already finished panics, from the `assert!` in `resume`.
    fn send(&mut self, value: S) -> Option<Y> {
        match self.resume(Some(value)) {
            State::Yielded(y) => Some(y),
            State::Complete(()) => None,
        }
    }
}

/// `for x in gen` calls `next(gen)` until `StopIteration`.
impl<Y: 'static, S: 'static> Iterator for Generator<Y, S, ()> {
    type Item = Y;

    fn next(&mut self) -> Option<Y> {
        if self.done {
            return None;
        }
        match self.resume(None) {
            State::Yielded(y) => Some(y),
            State::Complete(()) => None,
        }
    }
}
// ANCHOR_END: generator

/// The integers from 0 to `up_to`, exclusive. Sending `x` moves the
/// sequence by `x`, but never by more than `max_jump` either way.
fn bounded_jump(up_to: i64, max_jump: i64) -> Generator<i64, i64, ()> {
    Generator::new(move |co| async move {
        // ---- 练习：从这里开始 ----
        let first = co.yield_(0).await;
        todo!(
            "照 jumping_range 写完：收到 {first:?}，每次最多跳 {max_jump}，到 {up_to} 为止"
        )
        // ---- 练习：到这里结束 ----
    })
}

fn main() {
    let mut iterator = bounded_jump(10, 3);
    println!("next()    -> {:?}", iterator.next()); // Some(0)
    println!("send(2)   -> {:?}", iterator.send(2)); // Some(2)
    println!("send(100) -> {:?}", iterator.send(100)); // Some(5)
    println!("send(-50) -> {:?}", iterator.send(-50)); // Some(2)
    let rest: Vec<i64> = iterator.collect();
    println!("剩下的    -> {rest:?}");
}
// ANCHOR_END: starter
