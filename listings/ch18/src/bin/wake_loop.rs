//! Listing 18-1: chapter 10's three countdowns on an executor driven by
//! wakes.
//!
//! `SleepingLoop` (chapter 10) knew when every coroutine wanted to resume,
//! because the only thing they could wait for was its own `sleep`. This
//! executor knows nothing about what its tasks wait for. It polls a task
//! only after the task's `Waker` was called, which puts the task into the
//! ready queue; a timer thread calls the wakers when deadlines pass.
//! Standard library only.

use std::collections::{BTreeMap, VecDeque};
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
/// Finds a timer entry again: its deadline, then the order of
/// registration, so entries due at the same instant fire first in, first
/// out.
type Key = (Instant, u64);

struct Timer {
    /// Soonest deadline first, like asyncio's `_scheduled` heap; a map
    /// rather than a heap because a `Sleep` must be able to update or
    /// remove its own entry. The `u64` numbers the next entry.
    entries: Mutex<(BTreeMap<Key, Waker>, u64)>,
    changed: Condvar,
}

static TIMER: Timer = Timer {
    entries: Mutex::new((BTreeMap::new(), 0)),
    changed: Condvar::new(),
};

impl Timer {
    fn add(&self, deadline: Instant, waker: Waker) -> Key {
        let mut guard = self.entries.lock().unwrap();
        let (entries, next_seq) = &mut *guard;
        let key = (deadline, *next_seq);
        *next_seq += 1;
        entries.insert(key, waker);
        // The new deadline may be sooner than the one being slept for.
        self.changed.notify_one();
        key
    }

    /// Only the waker from the latest poll may be woken, so a re-poll
    /// replaces the stored one (no clone if `will_wake` says both surely
    /// wake the same task). Returns `false` if the entry is gone: the
    /// thread below takes entries out only once their deadline has passed.
    fn update(&self, key: Key, waker: &Waker) -> bool {
        let mut guard = self.entries.lock().unwrap();
        let Some(stored) = guard.0.get_mut(&key) else {
            return false;
        };
        if !stored.will_wake(waker) {
            *stored = waker.clone();
        }
        true
    }

    fn remove(&self, key: Key) {
        self.entries.lock().unwrap().0.remove(&key);
    }

    /// The timer thread: sleep until the soonest deadline, then call the
    /// wakers of every entry that is due. It knows wakers, not tasks.
    fn run(&self) {
        let mut guard = self.entries.lock().unwrap();
        loop {
            let now = Instant::now();
            let mut due = Vec::new();
            while let Some(entry) = guard.0.first_entry()
                && entry.key().0 <= now
            {
                due.push(entry.remove());
            }
            if !due.is_empty() {
                drop(guard);
                due.into_iter().for_each(Waker::wake);
                guard = self.entries.lock().unwrap();
                continue;
            }
            guard = match guard.0.first_key_value() {
                Some((&(deadline, _), _)) => {
                    let timeout = deadline - now;
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
        entry: None,
    }
}

struct Sleep {
    start: Instant,
    deadline: Instant,
    /// Its one timer entry, from the first poll on.
    entry: Option<Key>,
}

impl Future for Sleep {
    type Output = Duration;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Duration> {
        match self.entry {
            // The first poll always pauses, like chapter 10's `sleep`,
            // even for zero seconds.
            None => {
                self.entry = Some(TIMER.add(self.deadline, cx.waker().clone()));
                Poll::Pending
            }
            // Polled again, maybe by a wake meant for something else. Its
            // entry is still in the timer: not due yet, so keep the one
            // entry and give it this poll's waker. Checking and replacing
            // under one lock leaves the timer no moment to fire the old
            // waker in between, which would leave the new one unwoken.
            Some(key) if TIMER.update(key, cx.waker()) => Poll::Pending,
            // The timer took the entry out: the deadline has passed.
            Some(_) => Poll::Ready(self.start.elapsed()),
        }
    }
}

impl Drop for Sleep {
    /// A `Sleep` dropped before its deadline (the losing side of a race)
    /// takes its entry along, so nobody is woken for it later.
    fn drop(&mut self) {
        if let Some(key) = self.entry {
            TIMER.remove(key);
        }
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
// ANCHOR: countdown SAME-AS: listings/ch10/src/bin/sleeping_loop.rs#countdown_fn
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
// ANCHOR_END: countdown

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

/// `cargo test -p ch18`: a wake that does not come from the timer (a
/// spurious one, or one meant for another future of the same task) must
/// not leave a second timer entry behind. That entry would wake the task
/// again, and the extra poll would register yet another entry, for good.
/// And a re-poll must not miss a wake that the timer has just sent.
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::PoisonError;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    /// The tests share the one `TIMER`: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn timer_entries() -> usize {
        TIMER.entries.lock().unwrap().0.len()
    }

    fn sleep_ms(ms: u64) -> Sleep {
        let start = Instant::now();
        Sleep {
            start,
            deadline: start + Duration::from_millis(ms),
            entry: None,
        }
    }

    /// A waker that only counts how often it is woken.
    #[derive(Default)]
    struct Counter(AtomicUsize);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    fn poll_with(sleep: &mut Sleep, waker: &Waker) -> Poll<Duration> {
        Pin::new(sleep).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn a_re_poll_keeps_one_entry_with_the_latest_waker() {
        let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(timer_entries(), 0);
        let old = Arc::new(Counter::default());
        let new = Arc::new(Counter::default());
        let old_waker = Waker::from(old.clone());
        let new_waker = Waker::from(new.clone());
        let mut sleep = sleep_ms(10_000);
        assert!(poll_with(&mut sleep, &old_waker).is_pending());
        assert!(poll_with(&mut sleep, &old_waker).is_pending());
        assert_eq!(timer_entries(), 1, "a re-poll added an entry");
        assert!(poll_with(&mut sleep, &new_waker).is_pending());
        assert_eq!(timer_entries(), 1, "a new waker added an entry");
        let stored = TIMER.entries.lock().unwrap().0.values().next().cloned();
        assert!(stored.unwrap().will_wake(&new_waker), "old waker kept");
        drop(sleep);
        assert_eq!(timer_entries(), 0, "a dropped Sleep left its entry");
        assert_eq!(old.0.load(SeqCst) + new.0.load(SeqCst), 0);
    }

    /// The timer thread may fire an entry at any moment, also while its
    /// `Sleep` is being polled with a new waker. The entry is gone then,
    /// and so is the chance of waking the new waker: the poll must see
    /// that the timer fired, instead of waiting for a wake that already
    /// went to the old waker.
    #[test]
    fn a_re_poll_after_the_entry_fired_is_ready() {
        let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
        let old = Arc::new(Counter::default());
        let mut sleep = sleep_ms(10_000);
        assert!(poll_with(&mut sleep, &Waker::from(old.clone())).is_pending());
        // What the timer thread does at the deadline: take the entry out,
        // then wake the waker it held.
        let key = sleep.entry.expect("the first poll registers");
        TIMER.entries.lock().unwrap().0.remove(&key).unwrap().wake();
        assert_eq!(old.0.load(SeqCst), 1);
        let new = Waker::from(Arc::new(Counter::default()));
        assert!(poll_with(&mut sleep, &new).is_ready(), "waits for nothing");
    }

    /// Wakes its own task once, at its first poll, as if some other event
    /// had happened.
    struct SpuriousWake(Sleep, bool);

    impl Future for SpuriousWake {
        type Output = Duration;

        fn poll(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Duration> {
            if !self.1 {
                self.1 = true;
                cx.waker().wake_by_ref();
            }
            Pin::new(&mut self.0).poll(cx)
        }
    }

    /// Records, after each poll of the task, how many timer entries exist.
    struct Observed(BoxFuture, Arc<Mutex<Vec<usize>>>);

    impl Future for Observed {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let poll = self.0.as_mut().poll(cx);
            self.1.lock().unwrap().push(timer_entries());
            poll
        }
    }

    #[test]
    fn a_spurious_wake_doubles_neither_entries_nor_polls() {
        let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(timer_entries(), 0);
        let seen = Arc::new(Mutex::new(Vec::new()));
        block_on(Observed(
            Box::pin(async {
                SpuriousWake(sleep_ms(100), false).await;
                sleep_ms(100).await;
            }),
            seen.clone(),
        ));
        // Polls: the first sleep registers; the spurious wake polls it
        // early; the timer wakes it; the timer wakes the second sleep.
        // One entry throughout, none at the end. Registering anew on the
        // early poll gives [1, 2, 1, 2, 0] instead: five polls.
        assert_eq!(*seen.lock().unwrap(), [1, 1, 1, 0]);
    }
}
