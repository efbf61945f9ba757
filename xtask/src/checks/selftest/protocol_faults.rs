//! Self-test faults for the echo protocol check: servers that bad input
//! or a rude client takes down, or that buffer without bound.

use super::{Fault, edit, replace_once};
use crate::checks::protocol;
use std::path::Path;

const TOKIO: &str = "listings/ch24/src/bin/echo_tokio.rs";
const THREADS: &str = "listings/ch24/src/bin/echo_threads.rs";
const GEVENT: &str = "listings/ch24/python/echo_gevent.py";
const ASYNCIO: &str = "listings/ch24/python/echo_asyncio.py";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "an echo server that panics on invalid UTF-8",
            apply: |root| {
                edit(root, TOKIO, |t| {
                    replace_once(
                        t,
                        "writer.write_all(&line).await?;",
                        "let text = String::from_utf8(line.clone()).unwrap();\n\
                         writer.write_all(text.as_bytes()).await?;",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_tokio"),
            names: &[TOKIO, "binary lines", "closed after 0 of"],
        },
        Fault {
            what: "an echo server (gevent) that decodes lines as UTF-8",
            apply: |root| {
                edit(root, GEVENT, |t| {
                    replace_once(
                        t,
                        "sock.sendall(line)",
                        "sock.sendall(line.decode().encode())",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_gevent"),
            names: &[GEVENT, "binary lines"],
        },
        Fault {
            what: "an echo server that buffers a line without bound",
            apply: |root| {
                edit(root, THREADS, |t| {
                    replace_once(
                        t,
                        "let limit = MAX_LINE as u64 + 1;",
                        "let limit = u64::MAX;",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_threads"),
            names: &[THREADS, "long lines", "8193 bytes"],
        },
        Fault {
            what: "an echo server (asyncio) that buffers replies without \
                   bound (write() without drain())",
            apply: |root| {
                edit(root, ASYNCIO, |t| {
                    replace_once(
                        t,
                        "            await writer.drain()\n    except",
                        "    except",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_asyncio"),
            names: &[ASYNCIO, "disconnect mid-reply", "without bound"],
        },
        Fault {
            what: "an echo server that dies when a client resets",
            apply: |root| {
                edit(root, THREADS, |t| {
                    replace_once(
                        t,
                        ".spawn(move || echo(socket));",
                        ".spawn(move || {\n\
                         if echo(socket).is_err() {\n\
                         std::process::exit(1);\n\
                         }\n\
                         });",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_threads"),
            names: &[THREADS, "after disconnect mid-line", "exited"],
        },
    ]
}

fn protocol_check(root: &Path, server: &str) -> Vec<String> {
    protocol::check(root, &[server.to_string()]).failure_messages()
}
