//! Listing 22-3: a `Stream` written by hand. `poll_next` is to `Stream`
//! what `poll` is to `Future`: `Ready(Some(item))`, `Ready(None)` at the
//! end, or `Pending` after arranging a wake-up.

use futures_lite::{Stream, StreamExt};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::time::Sleep;

// ANCHOR: stream
/// Counts down from `n`, one number every `period`.
struct Countdown {
    n: u32,
    period: Duration,
    // `Sleep` is `!Unpin`; boxing it makes `Countdown` `Unpin`, so
    // `poll_next` can use `&mut self` through `Pin::get_mut`.
    sleep: Pin<Box<Sleep>>,
}

impl Countdown {
    fn new(n: u32, period: Duration) -> Self {
        let sleep = Box::pin(tokio::time::sleep(period));
        Countdown { n, period, sleep }
    }
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<u32>> {
        let this = self.get_mut();
        if this.n == 0 {
            return Poll::Ready(None); // the end: `StopAsyncIteration`
        }
        // Not time yet: `Sleep::poll` has stored the waker, so return
        // Pending and we will be polled again when the timer fires.
        if this.sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        let item = this.n;
        this.n -= 1;
        let next = this.sleep.deadline() + this.period;
        this.sleep.as_mut().reset(next);
        Poll::Ready(Some(item))
    }
}
// ANCHOR_END: stream

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let mut countdown = Countdown::new(3, Duration::from_millis(200));
    while let Some(n) = countdown.next().await {
        println!("[{:.3?}] T-minus {n}", start.elapsed());
    }
    println!("[{:.3?}] lift-off", start.elapsed());
}
// ANCHOR_END: main
