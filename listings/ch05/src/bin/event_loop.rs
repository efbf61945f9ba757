//! Listing 5-1: an event loop with nothing in it but the loop.
//!
//! "When A happens, do B": a queue of callbacks that are ready to run and a
//! heap of timers that make callbacks ready when their time comes. No
//! `Future`, no `async`, only closures and the standard library, so the
//! shape of the loop is all there is to see.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: event_loop
/// A callback: the "B" in "when A happens, do B". It gets the loop so that
/// it can register further callbacks, the way an `onclick` handler may set
/// a timeout.
type Callback = Box<dyn FnOnce(&mut EventLoop)>;

/// A timer waiting in the heap: when it is due, and what to run then.
struct Timer {
    due: Instant,
    /// Order of registration: breaks ties between timers due at the same
    /// instant, so that they run first come, first served.
    seq: u64,
    callback: Callback,
}

// The heap only needs to order timers by (due, seq); the callback plays no
// part, and closures cannot be compared anyway.
impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

/// The loop: callbacks ready to run now, and timers that will make more
/// callbacks ready later.
struct EventLoop {
    start: Instant,
    ready: VecDeque<Callback>,
    /// `BinaryHeap` pops the largest item; `Reverse` makes that the
    /// earliest timer.
    timers: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
}

impl EventLoop {
    fn new() -> Self {
        EventLoop {
            start: Instant::now(),
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    /// Runs `callback` on the next turn of the loop.
    fn call_soon(&mut self, callback: impl FnOnce(&mut EventLoop) + 'static) {
        self.ready.push_back(Box::new(callback));
    }

    /// Runs `callback` once `delay` has passed.
    fn call_later(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut EventLoop) + 'static,
    ) {
        let timer = Timer {
            due: Instant::now() + delay,
            seq: self.next_seq,
            callback: Box::new(callback),
        };
        self.next_seq += 1;
        self.timers.push(Reverse(timer));
    }

    /// Time since the loop was created, for the log lines.
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Turns the loop until there is nothing left to do.
    fn run(&mut self) {
        loop {
            // 1. Every timer that is due makes its callback ready.
            let now = Instant::now();
            while self.timers.peek().is_some_and(|t| t.0.due <= now) {
                let Reverse(timer) = self.timers.pop().unwrap();
                self.ready.push_back(timer.callback);
            }
            // 2. Run what is ready. Only what was ready when this turn
            // began: a callback that calls `call_soon` runs next turn, so
            // one busy callback cannot starve the timers.
            for _ in 0..self.ready.len() {
                let callback = self.ready.pop_front().unwrap();
                callback(self);
            }
            if !self.ready.is_empty() {
                continue;
            }
            // 3. Nothing ready: sleep until the earliest timer is due.
            // With no timers either, the work is done.
            match self.timers.peek() {
                Some(Reverse(timer)) => {
                    let now = Instant::now();
                    thread::sleep(timer.due.saturating_duration_since(now));
                }
                None => return,
            }
        }
    }
}
// ANCHOR_END: event_loop

// ANCHOR: main
/// Prints `n`, then asks the loop to call it again in one second with
/// `n - 1`: a countdown written as a chain of callbacks.
fn tick(ev: &mut EventLoop, label: &'static str, n: u32) {
    if n == 0 {
        println!("[{:.3?}] {label}: 结束", ev.elapsed());
        return;
    }
    println!("[{:.3?}] {label}: {n}", ev.elapsed());
    ev.call_later(Duration::from_secs(1), move |ev| tick(ev, label, n - 1));
}

fn main() {
    let mut ev = EventLoop::new();
    // "When the loop starts, count down A from 2 and B from 3."
    ev.call_soon(|ev| tick(ev, "A", 2));
    ev.call_soon(|ev| tick(ev, "B", 3));
    // "When 1.5 seconds have passed, say so."
    ev.call_later(Duration::from_millis(1500), |ev| {
        println!("[{:.3?}] 1.5 秒的定时器到了", ev.elapsed());
    });
    ev.run();
    println!("总用时 {:.3?}", ev.elapsed());
}
// ANCHOR_END: main
