//! Listing 16-3: two coroutines on one thread share a counter without a
//! lock. Between two switch points a coroutine cannot be interrupted, so
//! "read, add one, write back" is safe, as long as no switch sits inside.

use std::cell::Cell;
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A future that is pending exactly once (as in listing 16-2). It wakes
/// no one on purpose: only a scheduler that polls everyone in turn, like
/// `run`, ever polls it again.
// ANCHOR: switch SAME-AS: listings/ch16/src/bin/coroutine_ab.rs#switch_impl
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
// ANCHOR_END: switch

// Listing 16-2's scheduler, unchanged.
// ANCHOR: scheduler SAME-AS: listings/ch16/src/bin/coroutine_ab.rs#scheduler
/// A coroutine the scheduler can hold: a boxed, pinned state machine.
type Coroutine = Pin<Box<dyn Future<Output = ()>>>;

/// Polls the coroutines in turn on the current thread until all are done.
/// A coroutine that returns `Pending` goes to the back of the queue.
fn run(coroutines: Vec<Coroutine>) {
    let mut queue = VecDeque::from(coroutines);
    // Every waiting coroutine is polled again on its turn, so nobody has
    // to be woken: a no-op waker is enough for this scheduler.
    let mut cx = Context::from_waker(Waker::noop());
    while let Some(mut coroutine) = queue.pop_front() {
        if coroutine.as_mut().poll(&mut cx).is_pending() {
            queue.push_back(coroutine);
        }
    }
}
// ANCHOR_END: scheduler

/// Increments per coroutine.
const ROUNDS: u32 = 100_000;

// ANCHOR: counters
/// Switches only after the update is complete: no update is lost.
async fn add_then_switch(counter: Rc<Cell<u32>>) {
    for _ in 0..ROUNDS {
        counter.set(counter.get() + 1);
        switch().await;
    }
}

/// Switches between reading and writing: the other coroutine's update
/// in between is overwritten with a stale value.
async fn switch_inside(counter: Rc<Cell<u32>>) {
    for _ in 0..ROUNDS {
        let seen = counter.get();
        switch().await;
        counter.set(seen + 1);
    }
}

fn main() {
    // `Rc` and `Cell` have no locks and no atomics. `Rc` is neither `Send`
    // nor `Sync` (`Cell<u32>` is `Send`, only not `Sync`), so the compiler
    // refuses to send this `Rc<Cell<u32>>` to another thread.
    let counter = Rc::new(Cell::new(0));
    run(vec![
        Box::pin(add_then_switch(counter.clone())),
        Box::pin(add_then_switch(counter.clone())),
    ]);
    println!("switch after the update:  {}", counter.get());

    let counter = Rc::new(Cell::new(0));
    run(vec![
        Box::pin(switch_inside(counter.clone())),
        Box::pin(switch_inside(counter.clone())),
    ]);
    println!("switch inside the update: {}", counter.get());
}
// ANCHOR_END: counters
