//! Listing 4-1: `yield from` chains (bottom → middle → top) and their
//! Rust counterpart, `.await`, which delegates in the same three ways:
//! values out, sent values in, and the return value back up.
//!
//! The generator driver is the one from listing 3-1, without its `send`
//! and `Iterator` conveniences.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: generator SAME-AS: listings/ch03/src/bin/jumping_range.rs#driver
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
// ANCHOR_END: generator

// ANCHOR: chain
type Gen = Co<i64, i64>;

async fn bottom(co: &Gen) -> i64 {
    // Returning the yield lets the value that goes up the call stack come
    // right back down.
    co.yield_(42).await.expect("the caller sends a value back")
}

async fn middle(co: &Gen) -> i64 {
    // `yield from bottom()`. While `bottom` is paused, every poll of `middle`
    // polls `bottom` and passes its `Pending` straight up; the yielded and
    // the sent values travel through `co`'s slot, past this frame. When
    // `bottom` returns, its value becomes the value of `.await`.
    bottom(co).await
}

async fn top(co: &Gen) -> i64 {
    middle(co).await
}
// ANCHOR_END: chain

// ANCHOR: main
fn main() {
    // Get the generator.
    let mut generator = Generator::new(|co: Gen| async move { top(&co).await });
    // `next(gen)`: runs top → middle → bottom until bottom's yield.
    let State::Yielded(value) = generator.resume(None) else {
        unreachable!("bottom yields before it returns");
    };
    println!("{value}"); // Prints '42'.
    // `gen.send(value * 2)`; `State::Complete` is Python's `StopIteration`,
    // carrying the value `top` returned.
    let value = match generator.resume(Some(value * 2)) {
        State::Complete(value) => value,
        State::Yielded(_) => unreachable!("bottom yields only once"),
    };
    println!("{value}"); // Prints '84'.
}
// ANCHOR_END: main
