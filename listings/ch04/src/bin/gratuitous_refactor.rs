//! Listing 4-2: the article's `gratuitous_refactor`, which fails in Python
//! with `UnboundLocalError`, written so that it works.

// ANCHOR: refactor
/// The integers from 0 to `up_to`, exclusive, produced by a helper.
fn lazy_range(up_to: u64) -> impl Iterator<Item = u64> {
    let mut index = 0;
    // Python's nested generator function becomes a closure. `move` gives it
    // its own copies of `index` and `up_to`: without it the closure would
    // borrow two locals of `lazy_range`, which are gone once the function
    // returns, and the compiler refuses (error E0373).
    let gratuitous_refactor = move || {
        if index < up_to {
            let value = index;
            index += 1;
            Some(value)
        } else {
            None
        }
    };
    // `yield from gratuitous_refactor()`: every value the helper produces
    // goes straight to our caller, so we hand the caller the helper itself.
    std::iter::from_fn(gratuitous_refactor)
}
// ANCHOR_END: refactor

fn main() {
    println!("{:?}", lazy_range(5).collect::<Vec<_>>());
}
