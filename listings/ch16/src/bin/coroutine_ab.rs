//! Listing 16-2: A and B as coroutines on one thread. A stops after "2" and
//! B runs; B stops after "y" and A continues: 1 2 x y 3 z, every time.
//!
//! No runtime: `async fn` gives us the coroutines, and a dozen lines of
//! round-robin scheduling decide who runs next. Nothing here spawns a
//! thread, so a switch is a function return plus a function call.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: switch
/// A future that is pending exactly once: awaiting it gives up the thread
/// to the next coroutine in line.
///
/// It breaks the `Future` contract on purpose: it returns `Pending` without
/// arranging a wake-up. Only `run` below makes that work, because it polls
/// every waiting coroutine again on its turn. An executor that waits for a
/// wake-up (tokio, `block_on`) would never poll it again; on tokio, use
/// `tokio::task::yield_now` instead.
// ANCHOR: switch_impl
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
// ANCHOR_END: switch

// ANCHOR: ab
async fn a() {
    println!("1");
    println!("2");
    switch().await; // A is interrupted here, B runs
    println!("3");
}

async fn b() {
    println!("x");
    println!("y");
    switch().await; // B is interrupted here, A continues
    println!("z");
}
// ANCHOR_END: ab

// ANCHOR: run
// ANCHOR: scheduler
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

fn main() {
    run(vec![Box::pin(a()), Box::pin(b())]);
}
// ANCHOR_END: run
