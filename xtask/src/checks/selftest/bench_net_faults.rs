//! Self-test faults for `cargo xtask bench-net --quick`: under load, every
//! line must come back, byte for byte.

use super::{Fault, edit, replace_once};
use crate::author::bench_net;

const UVLOOP: &str = "listings/ch27/python/echo_uvloop.py";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "bench-net: an echo server that drops one line in a hundred",
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
        },
        Fault {
            // Only lines that come 40 ms or more after the previous one on a
            // connection that has already echoed a few: the open-loop latency
            // measurement's (50 ms apart on each connection in the quick
            // plan), not the idle connections' single line, and the closed
            // loop's only when the machine stalls it. The latency measurement
            // must compare what comes back, not only time it.
            what: "bench-net: an echo server that alters echoes after a pause",
            apply: |root| {
                edit(root, UVLOOP, |t| {
                    replace_once(
                        t,
                        "            writer.write(line)\n",
                        "            seen = globals().setdefault(\"seen\", {})\n\
                     \x20           now = asyncio.get_running_loop().time()\n\
                     \x20           count, last = seen.get(id(writer), (0, now))\n\
                     \x20           seen[id(writer)] = (count + 1, now)\n\
                     \x20           if count >= 5 and now - last >= 0.04:\n\
                     \x20               line = b\"?\" + line[1:]\n\
                     \x20           writer.write(line)\n",
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
            names: &[UVLOOP, "differs"],
        },
    ]
}
