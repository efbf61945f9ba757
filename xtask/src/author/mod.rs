//! Commands for authors: they regenerate files the book includes, and are
//! not part of `cargo xtask test`.

pub mod bench;
pub mod bench_net;
pub mod record;
pub mod timelines;
