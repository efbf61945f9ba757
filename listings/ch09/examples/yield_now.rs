//! 练习 9-1：用 `poll_fn` 写一个只让出一次的叶子 `Future`。
//!
//! `yield_now()` 第一次被轮询时返回 `Poll::Pending`，第二次返回
//! `Poll::Ready(())`：等它的任务因此把线程让给别的任务一次。用标准库的
//! `std::future::poll_fn` 写，不用自己定义结构体。两个 `worker` 由
//! futures-lite 的 `zip` 同时运行，只有 `yield_now` 真的让出，它们的输出
//! 才会交错。
//!
//! 检查：`cargo xtask exercise yield_now`。

/// Pending once, then ready: gives the thread to the other tasks once.
async fn yield_now() {
    // ---- 练习：从这里开始 ----
    todo!("第一次轮询返回 Pending（先唤醒），第二次返回 Ready")
    // ---- 练习：到这里结束 ----
}

async fn worker(name: &str, steps: u32) {
    for step in 1..=steps {
        println!("{name} {step}");
        yield_now().await;
    }
    println!("{name} 完成");
}

fn main() {
    // `zip` polls the first future, then the second, each time it is
    // polled; `block_on` polls again only after a wake.
    let both = futures_lite::future::zip(worker("A", 3), worker("B", 2));
    futures_lite::future::block_on(both);
    // The same leaf works on tokio's executor too.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("cannot start the runtime");
    runtime.block_on(worker("tokio", 1));
}
