//! Listing 18-1: chapter 10's three countdowns on an executor driven by
//! wakes.
//!
//! `SleepingLoop` (chapter 10) knew when every coroutine wanted to resume,
//! because the only thing they could wait for was its own `sleep`. This
//! executor knows nothing about what its tasks wait for. It polls a task
//! only after the task's `Waker` was called, which puts the task into the
//! ready queue; a timer thread calls the wakers when deadlines pass.
//! Standard library only.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: task
/// What the executor stores for each task: the boxed `async` body.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

struct Task {
    /// `None` once the body has finished, so a late wake finds nothing to
    /// run. A `Mutex`, not a `RefCell`, because a `Waker` must be
    /// `Send + Sync`: any thread (here the timer's) may hold one. Only the
    /// executor thread polls.
    future: Mutex<Option<BoxFuture>>,
}

impl Wake for Task {
    /// Waking a task does not run it. It only puts the task back into the
    /// ready queue; the executor polls it when its turn comes.
    fn wake(self: Arc<Self>) {
        READY.push(self);
    }
}

impl Task {
    /// Polls the task once, with a `Waker` that is the task itself.
    fn run(self: Arc<Self>) {
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            *slot = None;
        }
    }
}
// ANCHOR_END: task

// ANCHOR: ready_queue
/// The ready queue: tasks whose wakers were called, oldest first. Like
/// asyncio's `_ready` deque, it is the only way into the executor.
struct ReadyQueue {
    tasks: Mutex<VecDeque<Arc<Task>>>,
    not_empty: Condvar,
}

/// One executor per program, so its queue can be a `static`.
static READY: ReadyQueue = ReadyQueue {
    tasks: Mutex::new(VecDeque::new()),
    not_empty: Condvar::new(),
};

impl ReadyQueue {
    fn push(&self, task: Arc<Task>) {
        self.tasks.lock().unwrap().push_back(task);
        self.not_empty.notify_one();
    }

    /// The next ready task. With none ready, the executor thread sleeps
    /// until some wake pushes one: it cannot know when that will be.
    fn pop(&self) -> Arc<Task> {
        let mut tasks = self.tasks.lock().unwrap();
        loop {
            if let Some(task) = tasks.pop_front() {
                return task;
            }
            tasks = self.not_empty.wait(tasks).unwrap();
        }
    }
}
// ANCHOR_END: ready_queue

// ANCHOR: spawn
/// Where a task's result waits for whoever awaits its `JoinHandle`.
struct JoinState<T> {
    output: Option<T>,
    /// The task awaiting the handle, to be woken when `output` arrives.
    waiter: Option<Waker>,
}

/// Awaiting it yields the task's result.
struct JoinHandle<T>(Arc<Mutex<JoinState<T>>>);

/// Starts `future` as a task of its own: it goes into the ready queue and
/// runs whether or not anybody awaits the handle.
fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let state = Arc::new(Mutex::new(JoinState {
        output: None,
        waiter: None,
    }));
    let shared = state.clone();
    let body = async move {
        let output = future.await;
        let mut state = shared.lock().unwrap();
        state.output = Some(output);
        // Finishing is an event too: wake the task that awaits us.
        if let Some(waiter) = state.waiter.take() {
            waiter.wake();
        }
    };
    READY.push(Arc::new(Task {
        future: Mutex::new(Some(Box::pin(body))),
    }));
    JoinHandle(state)
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.0.lock().unwrap();
        match state.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                state.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: spawn

// ANCHOR: timer
/// A deadline and the waker to call when it passes.
struct Entry {
    deadline: Instant,
    /// Order of registration: entries due at the same instant fire first
    /// in, first out.
    seq: u64,
    waker: Waker,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

struct Timer {
    /// Soonest deadline on top, like asyncio's `_scheduled` heap.
    entries: Mutex<(BinaryHeap<Reverse<Entry>>, u64)>,
    changed: Condvar,
}

static TIMER: Timer = Timer {
    entries: Mutex::new((BinaryHeap::new(), 0)),
    changed: Condvar::new(),
};

impl Timer {
    fn add(&self, deadline: Instant, waker: Waker) {
        let mut guard = self.entries.lock().unwrap();
        let (heap, next_seq) = &mut *guard;
        let seq = *next_seq;
        *next_seq += 1;
        heap.push(Reverse(Entry {
            deadline,
            seq,
            waker,
        }));
        // The new deadline may be sooner than the one being slept for.
        self.changed.notify_one();
    }

    /// The timer thread: sleep until the soonest deadline, then call the
    /// wakers of every entry that is due. It knows wakers, not tasks.
    fn run(&self) {
        let mut guard = self.entries.lock().unwrap();
        loop {
            let now = Instant::now();
            let mut due = Vec::new();
            while let Some(Reverse(entry)) = guard.0.peek()
                && entry.deadline <= now
            {
                due.push(guard.0.pop().unwrap().0.waker);
            }
            if !due.is_empty() {
                drop(guard);
                due.into_iter().for_each(Waker::wake);
                guard = self.entries.lock().unwrap();
                continue;
            }
            guard = match guard.0.peek() {
                Some(Reverse(entry)) => {
                    let timeout = entry.deadline - now;
                    self.changed.wait_timeout(guard, timeout).unwrap().0
                }
                None => self.changed.wait(guard).unwrap(),
            };
        }
    }
}
// ANCHOR_END: timer

// ANCHOR: sleep
/// Resolves, after `seconds` seconds, to how long it actually waited.
fn sleep(seconds: u64) -> Sleep {
    let start = Instant::now();
    Sleep {
        start,
        deadline: start + Duration::from_secs(seconds),
        registered: false,
    }
}

struct Sleep {
    start: Instant,
    deadline: Instant,
    registered: bool,
}

impl Future for Sleep {
    type Output = Duration;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Duration> {
        let now = Instant::now();
        // The first poll always pauses, like chapter 10's `sleep`, even
        // for zero seconds. A later poll before the deadline (a wake for
        // some other reason) registers again.
        if self.registered && now >= self.deadline {
            return Poll::Ready(now - self.start);
        }
        self.registered = true;
        TIMER.add(self.deadline, cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: sleep

// ANCHOR: block_on
/// Runs `future` as the first task, and the others it spawns, until it
/// finishes. The loop is all an executor is: take a ready task, poll it.
fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    thread::spawn(|| TIMER.run());
    let main_task = spawn(future);
    loop {
        if let Some(output) = main_task.0.lock().unwrap().output.take() {
            return output;
        }
        READY.pop().run();
    }
}
// ANCHOR_END: block_on

// ANCHOR: main
/// Chapter 10's `countdown`, unchanged.
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

fn main() {
    let start = Instant::now();
    block_on(async {
        let a = spawn(countdown("A", 5, 0));
        let b = spawn(countdown("B", 3, 2));
        let c = spawn(countdown("C", 4, 1));
        a.await;
        b.await;
        c.await;
    });
    println!("Total elapsed time is {:.3?}", start.elapsed());
}
// ANCHOR_END: main
