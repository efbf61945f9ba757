//! 练习 2-1：按步长前进的 `Iterator`。
//!
//! `StepRange` 像 Python 的 `range(start, up_to, step)`：从 `start` 开始，
//! 每次前进 `step`，不到 `up_to` 为止。补上 `next`，让这个程序打印出
//! `listings/ch02/exercises/step_range.txt` 里的内容。
//!
//! 检查：`cargo xtask exercise step_range`。

/// `range(start, up_to, step)` as an iterator: nothing is computed until
/// somebody asks for the next number.
struct StepRange {
    next: u64,
    up_to: u64,
    step: u64,
}

fn step_range(start: u64, up_to: u64, step: u64) -> StepRange {
    assert!(step > 0, "a step of 0 would never reach up_to");
    StepRange {
        next: start,
        up_to,
        step,
    }
}

impl Iterator for StepRange {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        // ---- 练习：从这里开始 ----
        todo!("返回下一个数，到 up_to 为止")
        // ---- 练习：到这里结束 ----
    }

    /// How many numbers are left, computed from the fields alone.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.up_to.saturating_sub(self.next).div_ceil(self.step);
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

fn main() {
    let evens: Vec<u64> = step_range(0, 10, 2).collect();
    println!("step_range(0, 10, 2): {evens:?}");
    let mut threes = step_range(1, 10, 3);
    println!("size_hint: {:?}", threes.size_hint());
    println!("next() -> {:?}", threes.next());
    println!("剩下的: {:?}", threes.collect::<Vec<_>>());
    let empty: Vec<u64> = step_range(5, 5, 1).collect();
    println!("step_range(5, 5, 1): {empty:?}");
    // Lazy: only three numbers are ever computed, however far up_to is.
    let first: Vec<u64> = step_range(0, u64::MAX, 1_000_000).take(3).collect();
    println!("前三个: {first:?}");
}
