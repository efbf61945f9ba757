//! 练习 25-1：给排空加上时限。
//!
//! 三个连接任务由 `TaskTracker` 跟踪：两个在 1 秒、2 秒时自己结束，第三个
//! 永远不结束。`drain` 要等它们结束，但最多等 `limit`：到时还没结束的，
//! 拉下 `CancellationToken` 让它们停下，等它们真的退出后返回被切断的个数。
//! 程序在暂停的虚拟时间里运行（`start_paused`），打印的时刻是 tokio 的时钟。
//!
//! 检查：`cargo xtask exercise drain_limit`。

use std::time::Duration;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

async fn connection(id: u32, secs: u64, cut: CancellationToken) {
    tokio::select! {
        () = sleep(Duration::from_secs(secs)) => println!("#{id} closed by its client"),
        () = cut.cancelled() => println!("#{id} cut"),
    }
}

// ---- 练习：从这里开始 ----
async fn drain(
    tracker: &TaskTracker,
    cut: &CancellationToken,
    limit: Duration,
) -> usize {
    todo!("wait for {tracker:?} at most {limit:?}, then pull {cut:?}")
}
// ---- 练习：到这里结束 ----

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let (tracker, cut) = (TaskTracker::new(), CancellationToken::new());
    for (id, secs) in [(1, 1), (2, 2), (3, u64::MAX / 4)] {
        tracker.spawn(connection(id, secs, cut.clone()));
    }
    let limit = Duration::from_secs(5);
    let left = drain(&tracker, &cut, limit).await;
    println!("cut {left} connection(s) after {:?}", start.elapsed());
}
