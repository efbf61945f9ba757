//! Listing 1-1: build the whole sequence up front, like Python's
//! `eager_range`, and measure how much heap memory that takes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: eager_range
/// Creates a list of integers from 0 to `up_to`, exclusive.
// ANCHOR: eager_fn
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
// ANCHOR_END: eager_fn
// ANCHOR_END: eager_range

// ANCHOR: counter
/// Counts the bytes the program holds on the heap, and the most it ever
/// held at once, by wrapping the system allocator.
///
/// It does not override `realloc`, so growing a `Vec` goes through the
/// trait's default: allocate the new block, copy, then free the old one.
/// For a moment both blocks are held, and `PEAK` sees that moment.
// ANCHOR: allocator
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
// ANCHOR_END: counter

// ANCHOR: main
fn main() {
    println!("{:?}", eager_range(5));

    // Measure only what `eager_range` adds on top of what is already held
    // (such as the buffer `println!` allocated for stdout).
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let sequence = eager_range(1_000_000);
    let held = IN_USE.load(Relaxed) - before;
    let peak = PEAK.load(Relaxed) - before;
    println!("eager_range(1000000): {} 个数", sequence.len());
    println!("  列表占用堆内存 {held} 字节 ({:.1} MiB)", mib(held));
    println!("  构建过程中的峰值 {peak} 字节 ({:.1} MiB)", mib(peak));
}

/// Bytes as mebibytes (1 MiB = 1024 × 1024 bytes).
fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
// ANCHOR_END: main
