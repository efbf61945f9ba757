//! Listing 16-1: A and B as subroutines (plain functions). A call runs to
//! the end before it returns, so the output is always 1 2 3 x y z.

// ANCHOR: all
fn a() {
    println!("1");
    println!("2");
    println!("3");
}

fn b() {
    println!("x");
    println!("y");
    println!("z");
}

fn main() {
    a();
    b();
}
// ANCHOR_END: all
