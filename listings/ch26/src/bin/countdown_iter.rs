//! Python's `countdown` generator on stable Rust. A `gen` block would read
//! like the Python function (chapter 26 shows it being refused as
//! unstable); until then the paused state is a variable the closure owns.
fn countdown(mut n: u32) -> impl Iterator<Item = u32> {
    println!("start at {n}");
    std::iter::from_fn(move || {
        if n == 0 {
            println!("done");
            return None;
        }
        n -= 1;
        Some(n + 1)
    })
}

fn main() {
    for n in countdown(3) {
        println!("{n}");
    }
}
