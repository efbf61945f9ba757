//! Self-test faults for `cargo xtask bench-net --quick`: under load, every
//! line must come back.

use super::{Fault, edit, replace_once};
use crate::author::bench_net;

const UVLOOP: &str = "listings/ch27/python/echo_uvloop.py";

pub(super) fn faults() -> Vec<Fault> {
    vec![Fault {
        what: "an echo server that drops one line in a hundred",
        apply: |root| {
            edit(root, UVLOOP, |t| {
                replace_once(
                    t,
                    "            writer.write(line)\n",
                    "            served = globals().setdefault(\"served\", [0])\n\
                     \x20           served[0] += 1\n\
                     \x20           if served[0] % 100:\n\
                     \x20               writer.write(line)\n",
                )
            })
        },
        check: |root| {
            let only = ["ch27/python/echo_uvloop.py"];
            match bench_net::quick_some(root, &only) {
                Ok(()) => Vec::new(),
                Err(e) => vec![e.to_string()],
            }
        },
        names: &[UVLOOP, "no echo"],
    }]
}
