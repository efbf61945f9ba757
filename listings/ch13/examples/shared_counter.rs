//! 练习 13-1：一个线程上的任务共享一个计数器，不用锁。
//!
//! 两个任务轮流给同一个计数器加一。它们在同一个线程上运行，任何时刻只有
//! 一个在执行，而且只在 `.await` 处交出线程：`Rc<Cell<u32>>` 就够了，不需要
//! `Arc<Mutex<u32>>`。写 `task`：每一步把计数器加一、打印新值，然后用
//! `tokio::task::yield_now()` 让出线程。
//!
//! 检查：`cargo xtask exercise shared_counter`。

use std::cell::Cell;
use std::rc::Rc;

/// How many steps each task takes.
const STEPS: u32 = 3;

/// Adds one to `counter` and prints it, `STEPS` times, yielding after
/// each step.
async fn task(name: &str, counter: Rc<Cell<u32>>) {
    // ---- 练习：从这里开始 ----
    todo!(
        "{name}：{STEPS} 次把计数器（现在是 {}）加一、打印、让出",
        counter.get()
    )
    // ---- 练习：到这里结束 ----
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("cannot start the runtime");
    let counter = Rc::new(Cell::new(0));
    // `join!` runs both on this thread; `biased;` polls A, then B.
    runtime.block_on(async {
        tokio::join!(
            biased;
            task("A", counter.clone()),
            task("B", counter.clone()),
        )
    });
    println!("final: {}", counter.get());
}
