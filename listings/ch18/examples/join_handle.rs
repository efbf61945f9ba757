//! 练习 18-1：唤醒驱动的执行器上的 `JoinHandle`。
//!
//! 这个小执行器只轮询被唤醒过的任务：任务的 `Waker` 把任务自己放回队列。
//! `spawn` 返回一个 `JoinHandle`，另一个任务可以 `.await` 它，拿到被派生
//! 任务的返回值。写 `JoinHandle` 的 `poll`：结果已经有了就返回
//! `Poll::Ready`；还没有，就记下当前任务的 `Waker`，让被派生的任务完成时
//! 唤醒它，再返回 `Poll::Pending`。
//!
//! 检查：`cargo xtask exercise join_handle`。

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// A leaf future that is pending `times` times, waking its task each time.
struct Steps {
    name: &'static str,
    times: u32,
}

impl Future for Steps {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.times == 0 {
            return Poll::Ready(());
        }
        self.times -= 1;
        println!("  {}：还要 {} 步", self.name, self.times);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type Queue = Arc<Mutex<VecDeque<Arc<Task>>>>;

/// A spawned task. `Waker` must be `Send + Sync`, so the future sits in a
/// `Mutex` even though everything runs on one thread.
struct Task {
    id: usize,
    future: Mutex<Option<BoxFuture>>,
    queue: Queue,
}

impl Wake for Task {
    /// Waking a task puts it back in the run queue.
    fn wake(self: Arc<Self>) {
        let queue = self.queue.clone();
        queue.lock().unwrap().push_back(self);
    }
}

/// What a spawned task and its `JoinHandle` share.
struct JoinState<T> {
    /// The task's return value, once it has finished.
    result: Option<T>,
    /// The task awaiting the handle, to wake when the result arrives.
    waiter: Option<Waker>,
}

/// Awaiting it gives the spawned task's return value.
struct JoinHandle<T> {
    state: Arc<Mutex<JoinState<T>>>,
}

impl<T> JoinHandle<T> {
    /// Like tokio's `JoinHandle::is_finished`.
    fn is_finished(&self) -> bool {
        self.state.lock().unwrap().result.is_some()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    // ---- 练习：从这里开始 ----
    // `_cx`: the `_` only silences the unused-variable warning until you
    // use it; drop it when you do.
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        todo!("有结果就返回 Ready；没有就记下 cx.waker()，返回 Pending")
    }
    // ---- 练习：到这里结束 ----
}

/// Spawns tasks into the executor's run queue.
#[derive(Clone)]
struct Spawner {
    queue: Queue,
    next_id: Arc<Mutex<usize>>,
}

impl Spawner {
    fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let state = Arc::new(Mutex::new(JoinState {
            result: None,
            waiter: None,
        }));
        let shared = state.clone();
        let task = async move {
            let value = future.await;
            let mut state = shared.lock().unwrap();
            assert!(state.result.is_none(), "a task finishes once");
            state.result = Some(value);
            if let Some(waiter) = state.waiter.take() {
                waiter.wake();
            }
        };
        let mut next_id = self.next_id.lock().unwrap();
        *next_id += 1;
        let task = Arc::new(Task {
            id: *next_id,
            future: Mutex::new(Some(Box::pin(task))),
            queue: self.queue.clone(),
        });
        self.queue.lock().unwrap().push_back(task);
        JoinHandle { state }
    }
}

/// Polls woken tasks until the run queue is empty; returns how many tasks
/// never finished (nobody woke them).
fn run(spawner: &Spawner) -> usize {
    let mut unfinished = Vec::new();
    loop {
        let next = spawner.queue.lock().unwrap().pop_front();
        let Some(task) = next else { break };
        let mut slot = task.future.lock().unwrap();
        // A task woken after it finished has nothing left to run.
        let Some(future) = slot.as_mut() else {
            continue;
        };
        println!("执行器：轮询任务 {}", task.id);
        let waker = Waker::from(task.clone());
        if future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            *slot = None;
            unfinished.retain(|&id| id != task.id);
        } else if !unfinished.contains(&task.id) {
            unfinished.push(task.id);
        }
    }
    unfinished.len()
}

fn main() {
    let spawner = Spawner {
        queue: Arc::default(),
        next_id: Arc::default(),
    };
    let inner = spawner.clone();
    spawner.spawn(async move {
        let slow = inner.spawn(async {
            Steps {
                name: "慢",
                times: 2,
            }
            .await;
            "慢的结果"
        });
        let fast = inner.spawn(async { "快的结果" });
        println!("父任务：等慢的任务");
        let value = slow.await;
        println!("父任务：得到 {value}");
        println!("父任务：快的完成了吗？{}", fast.is_finished());
        println!("父任务：得到 {}", fast.await);
    });
    let unfinished = run(&spawner);
    println!("执行器：队列空了，{unfinished} 个任务没有完成");
}
