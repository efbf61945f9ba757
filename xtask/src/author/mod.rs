//! Commands for authors: they regenerate files the book includes, and are
//! not part of `cargo xtask test`.

pub mod bench;
pub mod bench_net;
mod ch12_page;
mod charts;
mod machine;
mod page;
pub mod record;
mod stats;
pub mod timelines;
