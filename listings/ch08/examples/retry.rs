//! 练习 8-1：`IntoFuture` 构建器 `Retry`。
//!
//! `Retry::new().times(5).backoff(…)` 只是填写数据；`.await` 它时才开始
//! 调用 `fetch`：失败了就等 `backoff`，再试，最多试 `times` 次，返回最后
//! 一次的结果。为 `Retry` 实现 `IntoFuture`，就像示例 8-1 的 `Launch`。
//!
//! 检查：`cargo xtask exercise retry`。

use std::future::IntoFuture;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A flaky request: attempts 1 and 2 are refused, attempt 3 succeeds.
async fn fetch(attempt: u32) -> Result<&'static str, String> {
    tokio::time::sleep(Duration::from_millis(10)).await;
    if attempt < 3 {
        Err(format!("第 {attempt} 次：连接被拒绝"))
    } else {
        Ok("数据")
    }
}

/// "Call `fetch` up to `times` times, `backoff` apart", as a plain value.
struct Retry {
    times: u32,
    backoff: Duration,
}

impl Retry {
    fn new() -> Self {
        Retry {
            times: 1,
            backoff: Duration::ZERO,
        }
    }

    fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    fn backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }
}

// ---- 练习：从这里开始 ----
impl IntoFuture for Retry {
    type Output = Result<&'static str, String>;
    // An `async` block has no name: boxed and pinned, as in `Launch`.
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        todo!("最多试 {} 次，每次间隔 {:?}", self.times, self.backoff)
    }
}
// ---- 练习：到这里结束 ----

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("不重试：{:?}", fetch(1).await);

    let start = Instant::now();
    let patient = Retry::new().times(5).backoff(Duration::from_millis(100));
    // Nothing has run yet: `patient` is only a description.
    println!("构建好了，还没有发出请求");
    let result = patient.await;
    println!("times(5)：{result:?}，用时 {:.1?}", start.elapsed());

    let start = Instant::now();
    let result = Retry::new()
        .times(2)
        .backoff(Duration::from_millis(100))
        .await;
    println!("times(2)：{result:?}，用时 {:.1?}", start.elapsed());
}
