//! Listing 9-1: one `async fn`, three executors.
//!
//! `countdown` uses no runtime's API: its only leaf future, `Timer`, gets
//! its wake-up from a plain thread. So tokio can run it,
//! `futures_lite::future::block_on` can run it, and so can `block_on`
//! below, under thirty lines of std. `async`/`.await` is the interface; the
//! executor is a choice.

use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

// ANCHOR: timer
/// A future that is ready once `duration` has passed. It belongs to no
/// runtime: the first poll starts a thread that sleeps, then calls the
/// waker of whichever executor is polling.
struct Timer {
    deadline: Instant,
    /// The waker of the latest poll, shared with the sleeping thread.
    waker: Option<Arc<Mutex<Waker>>>,
}

impl Timer {
    fn after(duration: Duration) -> Timer {
        Timer {
            deadline: Instant::now() + duration,
            waker: None,
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let now = Instant::now();
        if now >= self.deadline {
            return Poll::Ready(());
        }
        match &self.waker {
            // Polled again before the deadline: keep the newest waker, this
            // future may have moved to another task since the last poll.
            Some(waker) => waker.lock().unwrap().clone_from(cx.waker()),
            None => {
                let waker = Arc::new(Mutex::new(cx.waker().clone()));
                let shared = waker.clone();
                let wait = self.deadline - now;
                thread::spawn(move || {
                    thread::sleep(wait);
                    shared.lock().unwrap().wake_by_ref();
                });
                self.waker = Some(waker);
            }
        }
        Poll::Pending
    }
}
// ANCHOR_END: timer

// ANCHOR: countdown
/// The code under test: what a user writes, with no executor in sight.
async fn countdown(label: &str, from: u32) -> Vec<String> {
    let mut lines = Vec::new();
    for n in (1..=from).rev() {
        lines.push(format!("T-minus {n} ({label})"));
        Timer::after(Duration::from_millis(100)).await;
    }
    lines.push(format!("{label} lift-off!"));
    lines
}
// ANCHOR_END: countdown

// ANCHOR: block_on
/// Wakes a thread by unparking it.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the current thread, sleeping (parked)
/// whenever it is pending until its waker unparks the thread.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            // An `unpark` that came before this `park` is not lost: it
            // leaves a token and `park` returns at once. `park` may also
            // return for no reason; polling once too often is harmless.
            Poll::Pending => thread::park(),
        }
    }
}
// ANCHOR_END: block_on

// ANCHOR: main
/// `countdown("A", 3)` as one type, whatever executor runs it.
type Countdown = Pin<Box<dyn Future<Output = Vec<String>>>>;

/// Runs `countdown` with one executor and prints what it returned.
fn run(name: &str, exec: impl FnOnce(Countdown) -> Vec<String>) {
    let start = Instant::now();
    let lines = exec(Box::pin(countdown("A", 3)));
    println!(
        "{name}: {}（用时 {:.1?}）",
        lines.join(", "),
        start.elapsed()
    );
}

fn main() {
    run("tokio", |fut| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("cannot start a tokio runtime")
            .block_on(fut)
    });
    run("futures-lite", futures_lite::future::block_on);
    run("本章的 block_on", block_on);
}
// ANCHOR_END: main
