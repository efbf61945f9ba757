//! 练习 10-1：在 `SleepingLoop` 上加一个按固定间隔报时的协程。
//!
//! `SleepingLoop`、`Task`、`sleep` 和 `countdown` 原样照搬示例 10-1。
//! 写 `ticker`：先打印 `T ticking every N seconds`，然后 `ticks` 次：睡
//! `every` 秒，打印这次实际等了多久；最后打印 `T done`。它和倒计时 A 同时
//! 运行，整个程序仍然只用 4 秒左右。
//!
//! 检查：`cargo xtask exercise ticker`。

use std::cell::Cell;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: event_loop SAME-AS: listings/ch10/src/bin/sleeping_loop.rs#event_loop
/// A coroutine as the loop holds it: any `async` body, boxed and pinned so
/// that the loop can keep it while it is paused.
type Coroutine = Pin<Box<dyn Future<Output = ()>>>;

/// A coroutine and the instant it wants to be resumed at. Like the
/// article's `Task`, it exists so that the heap can order coroutines,
/// which cannot be compared themselves.
struct Task {
    waiting_until: Instant,
    /// When it was pushed: two tasks due at the same instant come out first
    /// in, first out, instead of in whatever order the heap happens to keep.
    seq: u64,
    coro: Coroutine,
}

impl Ord for Task {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.waiting_until, self.seq).cmp(&(other.waiting_until, other.seq))
    }
}

impl PartialOrd for Task {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Task {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Task {}

thread_local! {
    /// Python's `yield wait_until`: what the innermost `sleep` hands up to
    /// the loop when it pauses.
    static YIELDED: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Python's `coro.send(now)`: what the loop hands back down when it
    /// resumes the coroutine.
    static SENT: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Python's `coro.send(value)`: runs the coroutine until it pauses in a
/// `sleep` (returns the instant it wants to wake at) or finishes (returns
/// `None`, Python's `StopIteration`).
fn send(coro: &mut Coroutine, value: Option<Instant>) -> Option<Instant> {
    SENT.set(value);
    // The loop knows when to resume each coroutine from the instant it
    // handed up, so nobody needs to wake it: a do-nothing `Waker` will do.
    let mut cx = Context::from_waker(Waker::noop());
    match coro.as_mut().poll(&mut cx) {
        Poll::Ready(()) => None,
        Poll::Pending => Some(
            YIELDED
                .take()
                .expect("a coroutine on SleepingLoop may only await sleep()"),
        ),
    }
}

/// An event loop that only knows how to delay coroutines. Think of it as
/// asyncio's `BaseEventLoop` or curio's `Kernel`.
struct SleepingLoop {
    new: Vec<Coroutine>,
    /// `BinaryHeap` pops its largest item; `Reverse` makes that the task
    /// with the soonest resumption time, like Python's `heapq`.
    waiting: BinaryHeap<Reverse<Task>>,
    next_seq: u64,
}

impl SleepingLoop {
    fn new(coros: Vec<Coroutine>) -> Self {
        SleepingLoop {
            new: coros,
            waiting: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    fn push(&mut self, waiting_until: Instant, coro: Coroutine) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.waiting.push(Reverse(Task {
            waiting_until,
            seq,
            coro,
        }));
    }

    fn run_until_complete(&mut self) {
        // Start all the coroutines.
        for mut coro in std::mem::take(&mut self.new) {
            if let Some(wait_for) = send(&mut coro, None) {
                self.push(wait_for, coro);
            }
        }
        // Keep running until there is no more work to do.
        while let Some(Reverse(mut task)) = self.waiting.pop() {
            // Get the coroutine with the soonest resumption time.
            let mut now = Instant::now();
            if now < task.waiting_until {
                // We're ahead of schedule; wait until it's time to resume.
                thread::sleep(task.waiting_until - now);
                now = Instant::now();
            }
            // It's time to resume the coroutine. `None` means it is done.
            if let Some(wait_until) = send(&mut task.coro, Some(now)) {
                self.push(wait_until, task.coro);
            }
        }
    }
}

/// Pauses a coroutine for `seconds` seconds; resolves to how long it
/// actually waited. Think of it as `asyncio.sleep()` or `curio.sleep()`.
fn sleep(seconds: u64) -> Sleep {
    let now = Instant::now();
    Sleep {
        now,
        wait_until: now + Duration::from_secs(seconds),
        yielded: false,
    }
}

/// The leaf future: the one place where a coroutine really pauses. In the
/// article this is the generator-based `@types.coroutine` function, because
/// only it may contain a bare `yield`. It arranges no wake-up on purpose:
/// `SleepingLoop` resumes it by deadline. Under an executor that waits for
/// a wake-up (tokio, `block_on`) it would never be polled again.
struct Sleep {
    now: Instant,
    wait_until: Instant,
    yielded: bool,
}

impl Future for Sleep {
    type Output = Duration;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Duration> {
        if !self.yielded {
            // Make every coroutine on the call stack pause: `Pending`
            // travels up through each `.await` to the loop's `poll`, and
            // the deadline goes with it through YIELDED.
            self.yielded = true;
            YIELDED.set(Some(self.wait_until));
            return Poll::Pending;
        }
        // Resumed: the loop sent the time it resumed us at.
        let actual = SENT.take().expect("resumed by SleepingLoop with `now`");
        Poll::Ready(actual - self.now)
    }
}
// ANCHOR_END: event_loop

/// Counts a launch down for `length` seconds, after waiting `delay`
/// seconds (listing 10-1).
// ANCHOR: countdown_fn SAME-AS: listings/ch10/src/bin/sleeping_loop.rs#countdown_fn
async fn countdown(label: &str, mut length: u32, delay: u64) {
    println!("{label} waiting {delay} seconds before starting countdown");
    let delta = sleep(delay).await;
    println!("{label} starting after waiting {delta:.3?}");
    while length > 0 {
        println!("{label} T-minus {length}");
        let _waited = sleep(1).await;
        length -= 1;
    }
    println!("{label} lift-off!");
}
// ANCHOR_END: countdown_fn

// ANCHOR: exercise
/// Prints a tick every `every` seconds, `ticks` times.
async fn ticker(label: &str, ticks: u32, every: u64) {
    // ---- 练习：从这里开始 ----
    println!("{label} ticking every {every} seconds");
    for tick in 1..=ticks {
        let waited = sleep(every).await;
        println!("{label} tick {tick} after {waited:.3?}");
    }
    println!("{label} done");
    // ---- 练习：到这里结束 ----
}

fn main() {
    let mut event_loop = SleepingLoop::new(vec![
        Box::pin(countdown("A", 4, 0)),
        Box::pin(ticker("T", 2, 2)),
    ]);
    let start = Instant::now();
    event_loop.run_until_complete();
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
// ANCHOR_END: exercise
