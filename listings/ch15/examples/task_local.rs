//! 练习 15-1：给每个任务起名字，像 gevent 的 `Dummy-1`。
//!
//! gevent 让每个 greenlet 看起来像一个线程，有自己的名字。tokio 的任务在
//! 稳定的 API 里只有编号（`tokio::task::Id`；能起名字的 `task::Builder`
//! 要 `tokio_unstable`），但 `tokio::task_local!` 可以给每个任务一个只属于
//! 它的值。
//! `who()` 已经会读这个值；改 `main` 里标出的部分，让 `eat` 运行在名字为
//! `Dummy-1` 的任务里，`play` 运行在 `Dummy-2` 里（用 `NAME.scope`）。
//!
//! 写对了，输出就和第 15 章里 gevent 程序的输出一模一样。
//!
//! 检查：`cargo xtask exercise task_local`。

use std::time::Duration;

tokio::task_local! {
    /// The name of the current task, set by `NAME.scope(name, future)`.
    static NAME: String;
}

/// The current task's name, or `MainThread` outside any named task.
fn who() -> String {
    NAME.try_with(|name| name.clone())
        .unwrap_or_else(|_| "MainThread".to_string())
}

async fn eat() {
    println!("{} eat 1", who());
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("{} eat 2", who());
}

async fn play() {
    println!("{} play 1", who());
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("{} play 2", who());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ---- 练习：从这里开始 ----
    // No task has a name yet: `who()` says `MainThread` everywhere.
    let g1 = tokio::spawn(eat());
    let g2 = tokio::spawn(play());
    // ---- 练习：到这里结束 ----
    println!("{}", who());
    let (r1, r2) = tokio::join!(g1, g2);
    r1.unwrap();
    r2.unwrap();
}
