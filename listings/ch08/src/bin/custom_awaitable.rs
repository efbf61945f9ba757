//! Listing 8-1: awaitable types of our own.
//!
//! Python makes an object awaitable with `__await__`; Rust with
//! `IntoFuture`: `x.await` first calls `x.into_future()`, then polls what
//! that returns. `Delay` hands out tokio's `Sleep`; `Launch` is a builder
//! that becomes an `async` block when it is awaited.

use std::future::IntoFuture;
use std::pin::Pin;
use std::time::{Duration, Instant};

// ANCHOR: delay
/// "Wait this long", as a plain value. It does nothing until awaited.
struct Delay(Duration);

impl IntoFuture for Delay {
    type Output = ();
    // Like an `__await__` that returns another object's iterator: the work
    // is done by a future that already exists, tokio's `Sleep`.
    type IntoFuture = tokio::time::Sleep;

    fn into_future(self) -> Self::IntoFuture {
        tokio::time::sleep(self.0)
    }
}
// ANCHOR_END: delay

// ANCHOR: launch
/// A countdown described as data: set it up with the builder methods,
/// then `.await` it to run it.
struct Launch {
    label: &'static str,
    from: u32,
    tick: Duration,
}

impl Launch {
    fn new(label: &'static str) -> Self {
        Launch {
            label,
            from: 3,
            tick: Duration::from_secs(1),
        }
    }

    fn count_from(mut self, n: u32) -> Self {
        self.from = n;
        self
    }

    fn tick(mut self, tick: Duration) -> Self {
        self.tick = tick;
        self
    }
}

impl IntoFuture for Launch {
    /// How long the countdown took.
    type Output = Duration;
    // An `async` block's type has no name, so it is boxed to be named
    // here. Boxed *and pinned*: std implements `Future` for `Box<F>` only
    // when `F: Unpin`, which an `async` block is not, and for `Pin<Box<F>>`
    // always. `Send` lets the future move to another thread of a runtime.
    type IntoFuture = Pin<Box<dyn Future<Output = Duration> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let start = Instant::now();
            for n in (1..=self.from).rev() {
                println!("T-minus {n} ({})", self.label);
                Delay(self.tick).await;
            }
            start.elapsed()
        })
    }
}
// ANCHOR_END: launch

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    Delay(Duration::from_millis(200)).await;
    println!("Delay 用时 {:.1?}", start.elapsed());

    let launch = Launch::new("A")
        .count_from(3)
        .tick(Duration::from_millis(100));
    // Nothing has run yet: `launch` is only a description.
    let took = launch.await;
    println!("A lift-off! 倒计时用时 {took:.1?}");
}
// ANCHOR_END: main
