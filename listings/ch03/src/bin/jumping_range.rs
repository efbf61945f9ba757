//! Listing 3-1: Python's `jumping_range`, a generator that takes values
//! through `send()`, on stable Rust.
//!
//! Stable Rust has no generators yet, but an `async fn` is a function the
//! compiler turns into a pausable state machine, which is all a generator
//! is. A small driver polls it by hand and passes values in and out through
//! a shared slot; no runtime or executor is involved.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: generator
// ANCHOR: driver
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

// ANCHOR: jumping_range
/// The integers from 0 to `up_to`, exclusive. Sending a value into the
/// generator shifts the sequence by that amount.
fn jumping_range(up_to: i64) -> Generator<i64, i64, ()> {
    Generator::new(move |co| async move {
        let mut index = 0;
        while index < up_to {
            let jump = co.yield_(index).await;
            index += jump.unwrap_or(1);
        }
    })
}

fn main() {
    let mut iterator = jumping_range(5);
    println!("{}", iterator.next().unwrap()); // 0
    println!("{}", iterator.send(2).unwrap()); // 2
    println!("{}", iterator.next().unwrap()); // 3
    println!("{}", iterator.send(-1).unwrap()); // 2
    for x in iterator {
        println!("{x}"); // 3, 4
    }
}
// ANCHOR_END: jumping_range
