//! Support for chapter 7; the program is `src/bin/await_desugar.rs`.
//!
//! The chapter shows the error a reader gets for awaiting something that is
//! not a future. This doc test keeps that claim honest: `cargo test` fails
//! if the code below ever compiles, or fails with another error than E0277
//! (a trait bound not satisfied: here `IntoFuture`).
//!
//! ```compile_fail,E0277
//! fn lazy_range(up_to: u32) -> impl Iterator<Item = u32> {
//!     0..up_to
//! }
//!
//! async fn py35_coro() {
//!     lazy_range(5).await;
//! }
//! ```
