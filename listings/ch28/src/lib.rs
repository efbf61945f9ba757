//! Listing 28-1: Rust futures that Python awaits.
//!
//! Calling one of the `#[pyfunction] async fn`s below from Python runs none
//! of its body: it returns a coroutine object made by PyO3
//! (`pyo3::coroutine::Coroutine`). Each `send(None)` on that object polls
//! the Rust future once; `throw` and `close` drop it. The futures print
//! every `poll` and every wake, so the Python programs in `python/` show
//! both sides in one terminal.

use pyo3::prelude::*;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::{self, JoinHandle};
use std::time::Duration;

// ANCHOR: countdown
/// `Pending` `n` times, then `Ready` with the number of polls it took.
/// Before each `Pending` it calls its own waker, like chapter 7's
/// `YieldOnce`: "poll me again right away", Python's bare `yield`.
struct Countdown {
    left: u32,
    polls: u32,
}

impl Future for Countdown {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        let n = self.polls;
        if self.left == 0 {
            println!("  Countdown：第 {n} 次 poll，返回 Ready({n})");
            return Poll::Ready(n);
        }
        self.left -= 1;
        println!("  Countdown：第 {n} 次 poll，调用 wake_by_ref，返回 Pending");
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// `send_poll.countdown(n)` in Python.
#[pyfunction]
async fn countdown(n: u32) -> u32 {
    Countdown { left: n, polls: 0 }.await
}
// ANCHOR_END: countdown

// ANCHOR: sleep
/// What the timer thread and the future share.
struct TimerState {
    done: bool,
    /// Set when the future is dropped before the time is up: the thread
    /// then leaves without waking anyone.
    cancelled: bool,
    /// The waker of the latest poll: a future wakes whoever polled it last.
    waker: Option<Waker>,
}

/// `Ready` once a thread of its own has slept `seconds`. The thread calls
/// the waker it finds in the shared state, as chapter 18's timer thread
/// does: the future never learns who polls it, only which `Waker` to call.
struct ThreadSleep {
    seconds: f64,
    /// `None` until the first poll starts the thread, and again once it
    /// has been joined.
    thread: Option<JoinHandle<()>>,
    state: Arc<(Mutex<TimerState>, Condvar)>,
}

impl Future for ThreadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Every field is `Unpin`, so a plain `&mut` is fine here.
        let this = self.get_mut();
        let mut state = this.state.0.lock().unwrap();
        if state.done {
            drop(state);
            if let Some(thread) = this.thread.take() {
                join_detached(thread);
            }
            println!("  ThreadSleep：poll，时间到了，返回 Ready");
            return Poll::Ready(());
        }
        // Each poll may come with a different waker (PyO3 makes a new one
        // when the old one is still held, as it is here).
        state.waker = Some(cx.waker().clone());
        drop(state);
        if this.thread.is_none() {
            let state = this.state.clone();
            let seconds = this.seconds;
            this.thread = Some(thread::spawn(move || {
                let (lock, cancel) = &*state;
                let timeout = Duration::from_secs_f64(seconds);
                // Sleeps until the time is up, unless `Drop` cancels first.
                let (mut state, _) = cancel
                    .wait_timeout_while(lock.lock().unwrap(), timeout, |s| {
                        !s.cancelled
                    })
                    .unwrap();
                if state.cancelled {
                    return;
                }
                state.done = true;
                let waker = state.waker.take();
                // `wake` takes the GIL: never call it holding this lock,
                // which a poll (GIL held) may be waiting for.
                drop(state);
                println!("  计时线程：时间到，调用 wake");
                if let Some(waker) = waker {
                    waker.wake();
                }
            }));
        }
        println!("  ThreadSleep：poll，时间没到，返回 Pending");
        Poll::Pending
    }
}

/// A future dropped before the time is up (a cancelled task, a
/// `wait_for` that timed out) stops its thread and waits for it, for the
/// same reason as a finished one: no thread of ours may still be attached
/// to the interpreter when Python exits.
impl Drop for ThreadSleep {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let (lock, cancel) = &*self.state;
            lock.lock().unwrap().cancelled = true;
            cancel.notify_one();
            join_detached(thread);
        }
    }
}

/// Waits until the timer thread has returned from `wake`, which attached
/// it to the interpreter: a thread still inside it when Python exits can
/// abort the process (CPython 3.11: "Fatal Python error:
/// PyGILState_Release: thread state ... must be current when releasing").
/// A poll runs with the GIL held, and the thread sets `done` before `wake`
/// takes the GIL, so the join lets go of the GIL first.
fn join_detached(thread: JoinHandle<()>) {
    Python::attach(|py| py.detach(|| thread.join()))
        .expect("the timer thread panicked");
}

/// `send_poll.sleep(seconds)` in Python; returns `seconds`.
#[pyfunction]
async fn sleep(seconds: f64) -> f64 {
    let timer = ThreadSleep {
        seconds,
        thread: None,
        state: Arc::new((
            Mutex::new(TimerState {
                done: false,
                cancelled: false,
                waker: None,
            }),
            Condvar::new(),
        )),
    };
    timer.await;
    seconds
}
// ANCHOR_END: sleep

// ANCHOR: forever
/// Prints when it is dropped: the proof that a cancellation on the Python
/// side really ended the Rust future, and not only the Python object.
struct Guard(String);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("  Guard({})：drop", self.0);
    }
}

/// Never ready and never wakes anyone, like an `asyncio.Future` that no
/// one completes: only a cancellation ends it.
struct Forever;

impl Future for Forever {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        println!("  Forever：poll，返回 Pending（不会有人 wake）");
        Poll::Pending
    }
}

/// `send_poll.wait_forever(name)` in Python.
#[pyfunction]
async fn wait_forever(name: String) {
    // A local of the `async fn` lives in the future's state; dropping the
    // future drops it.
    let _guard = Guard(name);
    Forever.await
}
// ANCHOR_END: forever

// ANCHOR: tokio_sleep
/// Needs tokio's timer. `tokio::time::sleep` registers with the timer of
/// the tokio runtime it runs in, and an asyncio loop is no tokio runtime.
#[pyfunction]
async fn tokio_sleep(seconds: f64) -> f64 {
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    seconds
}
// ANCHOR_END: tokio_sleep

// ANCHOR: module
/// `import send_poll`: the module's name must match the library's
/// (`[lib] name` in Cargo.toml), the file maturin installs.
#[pymodule]
fn send_poll(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(countdown, m)?)?;
    m.add_function(wrap_pyfunction!(sleep, m)?)?;
    m.add_function(wrap_pyfunction!(wait_forever, m)?)?;
    m.add_function(wrap_pyfunction!(tokio_sleep, m)?)?;
    Ok(())
}
// ANCHOR_END: module
