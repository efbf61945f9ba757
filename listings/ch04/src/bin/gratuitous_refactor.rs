//! Listing 4-2: the article's `gratuitous_refactor`, which fails in Python
//! with `UnboundLocalError`, written so that it works.

// ANCHOR: refactor
fn lazy_range(up_to: u64) -> impl Iterator<Item = u64> {
    let mut index = 0;
    // `move` gives the closure its own `index`; without it the closure would
    // borrow a local of `lazy_range` that dies when the function returns,
    // and the compiler refuses (error E0373).
    let gratuitous_refactor = std::iter::from_fn(move || {
        if index < up_to {
            let value = index;
            index += 1;
            Some(value)
        } else {
            None
        }
    });
    // `yield from gratuitous_refactor()`: hand the inner iterator over whole.
    gratuitous_refactor
}
// ANCHOR_END: refactor

fn main() {
    println!("{:?}", lazy_range(5).collect::<Vec<_>>());
}
