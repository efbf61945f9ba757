//! An `async fn` cannot suspend by itself. Only a leaf future, whose
//! `poll` is written by hand (here with `std::future::poll_fn`), can
//! return `Poll::Pending`; every `async fn` above it just passes that on.
//! Standard library only, so it runs anywhere, the Playground included.

use std::fmt::Debug;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: leaf
/// The leaf: pending once. It asks to be polled again before it says
/// `Pending`, because nobody else knows that it is waiting. In Python the
/// same job needs `@types.coroutine` and a bare `yield`.
async fn pause() {
    let mut paused = false;
    poll_fn(|cx| {
        if paused {
            Poll::Ready(())
        } else {
            paused = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// A leaf that forgets the `Waker`: pending, and nobody will be told
/// when to poll again.
async fn pause_without_waking() {
    let mut paused = false;
    poll_fn(|_cx| {
        if paused {
            Poll::Ready(())
        } else {
            paused = true;
            Poll::Pending
        }
    })
    .await
}
// ANCHOR_END: leaf

// ANCHOR: coroutines
/// No leaf anywhere below it: the first poll runs it to the end, however
/// many `async fn`s it awaits.
async fn no_leaf() -> u32 {
    println!("  no_leaf: before add_one().await");
    let n = add_one(41).await;
    println!("  no_leaf: after add_one().await");
    n
}

async fn add_one(n: u32) -> u32 {
    n + 1
}

/// Suspends exactly where the leaf below it returns `Pending`.
async fn with_leaf() -> u32 {
    println!("  with_leaf: before pause().await");
    pause().await;
    println!("  with_leaf: after pause().await");
    42
}

async fn with_silent_leaf() -> u32 {
    println!("  with_silent_leaf: before the await");
    pause_without_waking().await;
    println!("  with_silent_leaf: after the await");
    42
}
// ANCHOR_END: coroutines

// ANCHOR: drive
/// Counts the calls to `wake`: each one asks for another poll.
struct CountWakes(AtomicUsize);

impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A tiny executor: it polls again only after a wake, as real ones do,
/// and says what every poll returned.
fn drive<F>(name: &str, fut: F) -> Option<F::Output>
where
    F: Future,
    F::Output: Debug,
{
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    let waker = Waker::from(wakes.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let mut polls = 0;
    loop {
        polls += 1;
        println!("{name}: poll {polls}");
        let seen = wakes.0.load(Ordering::SeqCst);
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(value) => {
                println!("{name}: Ready({value:?})");
                return Some(value);
            }
            Poll::Pending if wakes.0.load(Ordering::SeqCst) > seen => {
                println!("{name}: Pending, and the waker was called");
            }
            Poll::Pending => {
                println!("{name}: Pending, and nobody will wake it: stuck");
                return None;
            }
        }
    }
}
// ANCHOR_END: drive

// ANCHOR: main
fn main() {
    assert_eq!(drive("no_leaf", no_leaf()), Some(42));
    assert_eq!(drive("with_leaf", with_leaf()), Some(42));
    assert_eq!(drive("with_silent_leaf", with_silent_leaf()), None);
}
// ANCHOR_END: main
