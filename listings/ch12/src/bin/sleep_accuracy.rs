//! Listing 12-3: how late do sleeping tasks wake up? A small copy of the
//! article's `SleepingLoop` (a heap of wake-up times and `thread::sleep`
//! until the earliest) against tokio's timer, both on one thread.
//!
//! Every sleep records how much longer it took than asked: its lateness,
//! or overshoot. Run it with `cargo run --release --bin sleep_accuracy`
//! (add `-- --quick` for a short run).

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

/// Tasks sleeping side by side, and sleeps per task.
const TASKS: usize = 4;
const FULL_SLEEPS: usize = 250;
const QUICK_SLEEPS: usize = 10;

// ANCHOR: sleeping_loop
thread_local! {
    /// Where a pausing task leaves its wake-up time for the loop, like the
    /// value the article's `sleep()` hands out with `yield wait_until`.
    static WAKE_AT: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Pending until `self.0`, telling the loop when to come back.
struct Until(Instant);

impl Future for Until {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.0 {
            return Poll::Ready(());
        }
        WAKE_AT.set(Some(self.0));
        Poll::Pending
    }
}

/// The article's `sleep()`: returns how long it really slept.
async fn loop_sleep(length: Duration) -> Duration {
    let start = Instant::now();
    Until(start + length).await;
    start.elapsed()
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The article's `SleepingLoop.run_until_complete()`: a min-heap of
/// (wake-up time, task); sleep the thread until the earliest is due, run
/// that task until it pauses again, repeat until no task is left.
fn run_until_complete(mut tasks: Vec<Task>) {
    let now = Instant::now();
    let mut waiting: BinaryHeap<Reverse<(Instant, usize)>> =
        (0..tasks.len()).map(|i| Reverse((now, i))).collect();
    let mut cx = Context::from_waker(Waker::noop());
    while let Some(Reverse((wake_at, i))) = waiting.pop() {
        let now = Instant::now();
        if now < wake_at {
            thread::sleep(wake_at - now);
        }
        if tasks[i].as_mut().poll(&mut cx).is_pending() {
            let wake_at = WAKE_AT.take().expect("a task paused without Until");
            waiting.push(Reverse((wake_at, i)));
        }
    }
}
// ANCHOR_END: sleeping_loop

/// The same `sleep()` on tokio's timer.
async fn tokio_sleep(length: Duration) -> Duration {
    let start = Instant::now();
    tokio::time::sleep(length).await;
    start.elapsed()
}

/// One task: `sleeps` sleeps of 1 to 5 ms, each one's lateness recorded.
async fn sleeper<F: Future<Output = Duration>>(
    task: usize,
    sleeps: usize,
    sleep: impl Fn(Duration) -> F,
    late: Arc<Mutex<Vec<Duration>>>,
) {
    for k in 0..sleeps {
        let asked = Duration::from_millis(1 + ((task + k) % 5) as u64);
        let slept = sleep(asked).await;
        let late_by = slept.checked_sub(asked).expect("woke up too early");
        late.lock().unwrap().push(late_by);
    }
}

fn main() {
    let quick = quick_mode();
    let sleeps = if quick { QUICK_SLEEPS } else { FULL_SLEEPS };

    let by_loop = Arc::new(Mutex::new(Vec::new()));
    let tasks = (0..TASKS)
        .map(|t| {
            Box::pin(sleeper(t, sleeps, loop_sleep, by_loop.clone())) as Task
        })
        .collect();
    run_until_complete(tasks);

    let by_tokio = Arc::new(Mutex::new(Vec::new()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let handles: Vec<_> = (0..TASKS)
            .map(|t| {
                tokio::spawn(sleeper(t, sleeps, tokio_sleep, by_tokio.clone()))
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });

    println!(
        "sleep_accuracy{}: {TASKS} tasks x {sleeps} sleeps of 1..5ms \
         on one thread",
        if quick { " --quick" } else { "" }
    );
    println!("late = how much longer a sleep took than asked");
    println!();
    println!(
        "| executor                         | sleeps | median late \
         | max late |"
    );
    println!(
        "|----------------------------------|--------|-------------\
         |----------|"
    );
    for (name, late) in [
        ("SleepingLoop (thread::sleep)", by_loop),
        ("tokio current-thread (its timer)", by_tokio),
    ] {
        let mut late = late.lock().unwrap().clone();
        late.sort();
        let (median, max) = (late[late.len() / 2], late[late.len() - 1]);
        println!(
            "| {name:<32} | {:>6} | {median:.3?} | {max:.3?} |",
            late.len()
        );
    }
}

/// `--quick` runs a few sleeps only; anything else is a mistake.
fn quick_mode() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => {
            eprintln!("usage: sleep_accuracy [--quick]");
            std::process::exit(2);
        }
    }
}
