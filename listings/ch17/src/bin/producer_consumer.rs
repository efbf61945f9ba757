//! Listing 17-1: Liao Xuefeng's producer/consumer, driven by `send()`.
//!
//! The consumer is a generator in the style of chapter 3: an `async` block
//! that pauses at `co.yield_(r).await` and receives what the producer sends.
//! One thread, no locks, no runtime: `send` runs the consumer until its next
//! `yield_`, and the producer continues with the consumer's answer.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

// The generator driver from listing 3-1, unchanged.
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

// ANCHOR: consumer
fn consumer() -> Generator<&'static str, u32, ()> {
    Generator::new(|co| async move {
        let mut r = "";
        loop {
            // `n = yield r`: hand out the last answer, wait for the next n.
            let n = match co.yield_(r).await {
                // Python's `if not n: return` (None, or 0).
                None | Some(0) => return,
                Some(n) => n,
            };
            println!("[CONSUMER] Consuming {n}...");
            // The article's `time.sleep(1)`: the work. It blocks this one
            // thread, and so does Python's; nothing else needs to run.
            std::thread::sleep(Duration::from_secs(1));
            r = "200 OK";
        }
    })
}
// ANCHOR_END: consumer

// ANCHOR: produce
fn produce(mut c: Generator<&'static str, u32, ()>) {
    // `c.next()`: run the consumer to its first `yield`.
    c.next();
    let mut n = 0;
    while n < 5 {
        n += 1;
        println!("[PRODUCER] Producing {n}...");
        let r = c.send(n).expect("the consumer stopped early");
        println!("[PRODUCER] Consumer return: {r}");
    }
    // `c.close()`: dropping the paused state machine ends it; its locals
    // are dropped as if the body had returned at the `yield_`.
    drop(c);
}

fn main() {
    let start = Instant::now();
    let c = consumer();
    produce(c);
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
// ANCHOR_END: produce

// ANCHOR: knuth
#[cfg(test)]
mod tests {
    use super::*;

    /// Knuth: a subroutine is a special case of a coroutine. A body that
    /// never yields is an ordinary function call: one `resume` runs it to
    /// its return value.
    #[test]
    fn a_subroutine_is_a_coroutine_that_never_yields() {
        let mut square: Generator<(), (), u32> =
            Generator::new(|_co| async { 7 * 7 });
        assert!(matches!(square.resume(None), State::Complete(49)));
    }

    /// The consumer answers every item and stops when sent 0, like the
    /// article's `if not n: return`.
    #[test]
    fn the_consumer_stops_on_zero() {
        let mut c = consumer();
        assert_eq!(c.next(), Some(""));
        assert_eq!(c.send(0), None);
    }
}
// ANCHOR_END: knuth
