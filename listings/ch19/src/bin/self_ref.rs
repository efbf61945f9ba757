//! Listing 19-1: why the state machine of an `async` block may point into
//! itself, and what moving it would do.
//!
//! `sum_after_pause` keeps a reference into its own local `buf` across an
//! `.await`. Written by hand (like chapter 7's `Add`), the paused state is
//! a struct holding the buffer *and* a pointer into that same buffer. The
//! program prints comparisons, not addresses: addresses change from run to
//! run, whether a pointer still points where it should does not.

use std::marker::PhantomPinned;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

// ANCHOR: async_fn
/// Returns `Pending` once (waking itself first), then `Ready(())`.
async fn pause() {
    let mut paused = false;
    std::future::poll_fn(|cx| {
        if paused {
            return Poll::Ready(());
        }
        paused = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
}

async fn sum_after_pause() -> u32 {
    let buf = [1, 2, 3];
    let first = &buf[0]; // a borrow of a local...
    pause().await; // ...that lives across a pause
    *first + buf[2]
}
// ANCHOR_END: async_fn

// ANCHOR: paused
/// `sum_after_pause` by hand, in the state it is in while paused: what
/// lives across the `.await` becomes a field, so `first` points into the
/// struct itself. No lifetime can name "this struct", so it is a raw
/// pointer here; the compiler's own state machine has the same shape.
struct Paused {
    buf: [u32; 3],
    first: *const u32,
    /// Makes `Paused` `!Unpin`, like every compiler-made state machine.
    _pinned: PhantomPinned,
}

impl Paused {
    fn new() -> Self {
        Paused {
            buf: [1, 2, 3],
            first: std::ptr::null(),
            _pinned: PhantomPinned,
        }
    }

    /// The body up to the `.await`: `let first = &buf[0];`.
    fn start(&mut self) {
        self.first = &self.buf[0];
    }

    /// Does `first` still point at this struct's own `buf[0]`?
    fn points_into_itself(&self) -> bool {
        std::ptr::eq(self.first, &self.buf[0])
    }
}
// ANCHOR_END: paused

/// Polls `fut` until it is ready; enough for futures that wake at once.
fn run<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

// ANCHOR: main
fn main() {
    println!("== async fn ==");
    println!("sum_after_pause() = {}", run(sum_after_pause()));

    println!("== 手写的状态，放在栈上 ==");
    let mut on_stack = Paused::new();
    on_stack.start();
    println!("first 指向自己的 buf[0]：{}", on_stack.points_into_itself());
    let old_place: *const u32 = &on_stack.buf[0];
    // A move is a plain copy of the bytes: `first` comes along unchanged.
    let moved = Box::new(on_stack);
    println!(
        "移动之后，first 指向自己的 buf[0]：{}",
        moved.points_into_itself()
    );
    println!(
        "移动之后，first 指向旧位置：{}",
        std::ptr::eq(moved.first, old_place)
    );

    println!("== 先固定，再开始 ==");
    let mut pinned: Pin<Box<Paused>> = Box::pin(Paused::new());
    // SAFETY: `start` only writes a field; it moves nothing out of the
    // pinned value, and the `Box` keeps it at this address until dropped.
    unsafe { pinned.as_mut().get_unchecked_mut() }.start();
    println!("first 指向自己的 buf[0]：{}", pinned.points_into_itself());
    // Moving the `Pin<Box<_>>` moves the pointer, not the `Paused`.
    let moved = pinned;
    println!("移动 Pin<Box> 之后：{}", moved.points_into_itself());
}
// ANCHOR_END: main
