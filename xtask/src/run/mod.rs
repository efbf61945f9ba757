//! Processes and sockets the server checks share: a server program under
//! test ([`server`]) and the socket options and limits their clients need
//! beyond what std offers ([`socket`]).
//!
//! The protocol check, the graceful-shutdown check and chapter 27's
//! bench all start echo servers the same way and read the same first
//! line; they differ only in what they do with a server once it listens.

pub mod server;
pub mod socket;
