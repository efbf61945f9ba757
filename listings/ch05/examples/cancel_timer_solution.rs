//! 练习 5-1：取消定时器。
//!
//! 给示例 5-1 的事件循环加上 `cancel`：`call_later` 返回一个 `TimerId`，
//! `cancel(id)` 让那个定时器的回调永远不再执行，并返回它是否还在等待。
//! 取消了的定时器也不能再让循环等它：`main` 登记了一个 10 秒后才到期的
//! “超时”定时器，倒计时在 2 秒时结束并取消它，整个程序应当在约 2 秒时结束。
//! asyncio 里对应的是 `loop.call_later(...)` 返回的 `TimerHandle.cancel()`。
//!
//! 检查：`cargo xtask exercise cancel_timer`。

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::thread;
use std::time::{Duration, Instant};

/// A callback: the "B" in "when A happens, do B". It gets the loop so that
/// it can register further callbacks, the way an `onclick` handler may set
/// a timeout.
type Callback = Box<dyn FnOnce(&mut EventLoop)>;

/// Names one timer, so that it can be cancelled: its `seq`.
#[derive(Clone, Copy, Debug)]
struct TimerId(u64);

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

    /// Runs `callback` once `delay` has passed. The returned id can
    /// cancel it, like the `TimerHandle` asyncio's `call_later` returns.
    fn call_later(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut EventLoop) + 'static,
    ) -> TimerId {
        let seq = self.next_seq;
        let timer = Timer {
            due: Instant::now() + delay,
            seq,
            callback: Box::new(callback),
        };
        self.next_seq += 1;
        self.timers.push(Reverse(timer));
        TimerId(seq)
    }

    // ---- 练习：从这里开始 ----
    // ANCHOR: exercise
    /// Cancels the timer `id`: its callback will never run, and the loop
    /// no longer waits for it. Returns whether the timer was still pending.
    fn cancel(&mut self, id: TimerId) -> bool {
        let before = self.timers.len();
        // `seq` is unique, so at most one timer goes. `retain` rebuilds
        // the heap in O(n); asyncio instead marks the handle cancelled and
        // pops it when it reaches the top of the heap.
        self.timers.retain(|Reverse(timer)| timer.seq != id.0);
        self.timers.len() < before
    }
    // ANCHOR_END: exercise
    // ---- 练习：到这里结束 ----

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

/// Prints `n`, then asks the loop to call it again in one second with
/// `n - 1`. At zero the countdown is over in time, so it cancels the
/// timeout: the alarm must never ring.
fn tick(ev: &mut EventLoop, n: u32, timeout: TimerId) {
    if n == 0 {
        println!("[{:.3?}] 倒计时结束", ev.elapsed());
        let cancelled = ev.cancel(timeout);
        println!("[{:.3?}] 取消超时定时器：{cancelled}", ev.elapsed());
        // A second cancel finds nothing left to cancel.
        println!("再取消一次：{}", ev.cancel(timeout));
        return;
    }
    println!("[{:.3?}] {n}", ev.elapsed());
    ev.call_later(Duration::from_secs(1), move |ev| tick(ev, n - 1, timeout));
}

fn main() {
    let mut ev = EventLoop::new();
    // "If the countdown has not finished in 10 seconds, give up."
    let timeout = ev.call_later(Duration::from_secs(10), |ev| {
        println!("[{:.3?}] 超时！", ev.elapsed());
    });
    println!("登记了超时定时器 #{}：10 秒后到期", timeout.0);
    ev.call_soon(move |ev| tick(ev, 2, timeout));
    ev.run();
    println!("总用时 {:.3?}", ev.elapsed());
}
