//! The graceful echo server of chapter 25, shared by the `echo_graceful`
//! program and the in-process `drain_timeline` demonstration.
pub mod graceful;
