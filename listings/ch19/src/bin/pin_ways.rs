//! Listing 19-2: four ways to get the `Pin<&mut Self>` that `poll` needs.
//!
//! `Tracker` remembers where it was at its first poll and, at the second,
//! reports whether it is still there. With the marker `PhantomPinned` it is
//! `!Unpin`, like an `async` block; with `()` it is `Unpin`.

use std::marker::PhantomPinned;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

// ANCHOR: tracker
/// Pending at the first poll, then `Ready(at the same address?)`. `M` is
/// a marker field: `PhantomPinned` makes the type `!Unpin`.
struct Tracker<M> {
    first_address: Option<usize>,
    _marker: M,
}

fn pinned_tracker() -> Tracker<PhantomPinned> {
    Tracker {
        first_address: None,
        _marker: PhantomPinned,
    }
}

fn unpin_tracker() -> Tracker<()> {
    Tracker {
        first_address: None,
        _marker: (),
    }
}

impl<M> Future for Tracker<M> {
    type Output = bool;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        let address = &*self as *const Self as usize;
        // SAFETY: only a plain field is written; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        match this.first_address {
            None => {
                this.first_address = Some(address);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(first) => Poll::Ready(first == address),
        }
    }
}

/// Polls once; a `Tracker` is always pending after its first poll.
fn poll_once<F: Future>(fut: Pin<&mut F>) {
    let mut cx = Context::from_waker(Waker::noop());
    assert!(fut.poll(&mut cx).is_pending());
}

/// Polls until ready.
fn finish<F: Future>(mut fut: Pin<&mut F>) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return value;
        }
    }
}
// ANCHOR_END: tracker

fn main() {
    // ANCHOR: box_pin
    // 1. Box::pin: the value goes to the heap; the `Pin<Box<_>>` itself
    //    may move freely, the value does not.
    let mut boxed = Box::pin(pinned_tracker());
    poll_once(boxed.as_mut());
    let mut moved = boxed;
    println!("Box::pin：地址不变：{}", finish(moved.as_mut()));
    // ANCHOR_END: box_pin

    // ANCHOR: pin_macro
    // 2. pin!: pinned in place on the stack, no allocation. The macro
    //    keeps the value where nobody can name it, so it cannot move.
    let mut on_stack = pin!(pinned_tracker());
    poll_once(on_stack.as_mut());
    println!("pin!：地址不变：{}", finish(on_stack.as_mut()));
    // ANCHOR_END: pin_macro

    // ANCHOR: pin_new
    // 3. Pin::new: only for `Unpin` types, which may move between polls.
    let mut plain = unpin_tracker();
    poll_once(Pin::new(&mut plain));
    let mut moved = Box::new(plain); // allowed: `Tracker<()>` is `Unpin`
    println!("Pin::new：地址不变：{}", finish(Pin::new(&mut *moved)));
    // ANCHOR_END: pin_new

    // ANCHOR: new_unchecked
    // 4. Pin::new_unchecked: any type, but `unsafe`: we promise by hand
    //    what `pin!` promises for us. This is what `.await` does with the
    //    future it polls (chapter 7).
    let mut local = pinned_tracker();
    // SAFETY: `local` is not used again except through this `Pin`, so it
    // stays at this address until it is dropped.
    let mut pinned = unsafe { Pin::new_unchecked(&mut local) };
    poll_once(pinned.as_mut());
    println!("Pin::new_unchecked：地址不变：{}", finish(pinned.as_mut()));
    // ANCHOR_END: new_unchecked
}
