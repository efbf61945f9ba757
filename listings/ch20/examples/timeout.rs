//! 练习 20-1：用 `tokio::select!` 写超时。
//!
//! `timeout(limit, fut)` 让 `fut` 和一个 `limit` 长的计时器赛跑：`fut` 先
//! 完成就返回 `Ok(它的值)`；计时器先到就返回 `Err(limit)`，并且不再等
//! `fut`——`select!` 丢弃没赢的分支，`fut` 就在它停下的那个 `.await` 处被
//! 取消。`work` 里的 `Unfinished` 在被丢弃时打印一行，让取消看得见。
//!
//! 检查：`cargo xtask exercise timeout`。

use std::time::{Duration, Instant};

/// Prints a line if it is dropped before `done` is set: the work was
/// cancelled at an `.await`.
struct Unfinished {
    name: &'static str,
    done: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if !self.done {
            println!("{} 被丢弃，没有做完", self.name);
        }
    }
}

async fn work(name: &'static str, millis: u64) -> &'static str {
    println!("{name} 开始");
    let mut guard = Unfinished { name, done: false };
    tokio::time::sleep(Duration::from_millis(millis)).await;
    guard.done = true;
    println!("{name} 完成");
    name
}

// ---- 练习：从这里开始 ----
/// Runs `fut` for at most `limit`: `Err(limit)` if it took longer.
///
/// Not yet: it always waits for `fut`. (`_limit`: the `_` silences the
/// unused-variable warning until you use it.)
async fn timeout<F: Future>(
    _limit: Duration,
    fut: F,
) -> Result<F::Output, Duration> {
    Ok(fut.await)
}
// ---- 练习：到这里结束 ----

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let limit = Duration::from_secs(1);
    let fast = timeout(limit, work("快的", 300)).await;
    println!("{fast:?}，{:.3?}", start.elapsed());
    let slow = timeout(limit, work("慢的", 3000)).await;
    println!("{slow:?}，{:.3?}", start.elapsed());
}
