//! Listing 2-1: Python's generator `lazy_range` as a Rust `Iterator`, and a
//! measurement of the heap memory it needs compared with `eager_range`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: lazy_range
/// The sequence of integers from 0 to `up_to`, exclusive, one at a time.
struct LazyRange {
    index: u64,
    up_to: u64,
}

fn lazy_range(up_to: u64) -> LazyRange {
    LazyRange { index: 0, up_to }
}

impl Iterator for LazyRange {
    type Item = u64;

    /// All the work happens here, one number per call: this is where
    /// Python's generator would run until its next `yield`.
    fn next(&mut self) -> Option<u64> {
        if self.index < self.up_to {
            let value = self.index;
            self.index += 1;
            Some(value)
        } else {
            None
        }
    }
}
// ANCHOR_END: lazy_range

/// Listing 1-1's eager version, for comparison.
// ANCHOR: eager_range SAME-AS: listings/ch01/src/bin/eager_range.rs#eager_fn
fn eager_range(up_to: u64) -> Vec<u64> {
    // Starts with no capacity: `push` grows the buffer as it goes, doubling
    // it each time it is full (4, 8, 16, ... elements).
    let mut sequence = Vec::new();
    let mut index = 0;
    while index < up_to {
        sequence.push(index);
        index += 1;
    }
    sequence
}
// ANCHOR_END: eager_range

/// The same counting allocator as listing 1-1 (each listing is a complete
/// crate of its own, so it carries its own copy).
// ANCHOR: allocator SAME-AS: listings/ch01/src/bin/eager_range.rs#allocator
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;
// ANCHOR_END: allocator

/// Runs `work` and returns its result with the peak heap growth it caused.
fn peak_heap<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let result = work();
    (result, PEAK.load(Relaxed) - before)
}

// ANCHOR: main
fn main() {
    // ANCHOR: next
    let mut numbers = lazy_range(5);
    println!("创建之后: index = {}，还没有算出任何数", numbers.index);
    println!("next() -> {:?}", numbers.next());
    println!("next() -> {:?}", numbers.next());
    println!("剩下的: {:?}", numbers.collect::<Vec<_>>());
    // ANCHOR_END: next

    // ANCHOR: adapter
    // `map` only wraps the iterator: the closure runs when someone asks the
    // wrapper for its next item, one item at a time.
    let tens = lazy_range(3).map(|x| {
        println!("  map 处理 {x}");
        x * 10
    });
    println!("map 已创建，闭包还没有运行");
    for ten in tens {
        println!("for 得到 {ten}");
    }
    // ANCHOR_END: adapter

    // ANCHOR: memory
    // The whole state of the iterator is its two fields, kept wherever the
    // value itself lives: here, on the stack.
    println!("LazyRange 的大小: {} 字节", size_of::<LazyRange>());
    let (sum, peak) = peak_heap(|| lazy_range(1_000_000).sum::<u64>());
    println!("lazy_range(1000000) 求和 {sum}，堆内存峰值 {peak} 字节");
    let (sum, peak) =
        peak_heap(|| eager_range(1_000_000).into_iter().sum::<u64>());
    println!("eager_range(1000000) 求和 {sum}，堆内存峰值 {peak} 字节");
    // ANCHOR_END: memory
}
// ANCHOR_END: main
