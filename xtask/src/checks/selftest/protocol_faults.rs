//! Self-test faults for the echo protocol check: servers that bad input
//! or a rude client takes down, or that buffer without bound; and servers
//! that lose or change bytes, which the pipelined long lines and the
//! fuzzer must catch on their own (the other cases are not run for them).

use super::{Fault, edit, replace_once};
use crate::checks::protocol;
use std::path::Path;

const TOKIO: &str = "listings/ch24/src/bin/echo_tokio.rs";
const THREADS: &str = "listings/ch24/src/bin/echo_threads.rs";
const GEVENT: &str = "listings/ch24/python/echo_gevent.py";
const ASYNCIO: &str = "listings/ch24/python/echo_asyncio.py";
const REACTOR: &str = "listings/ch23/src/bin/echo_reactor.rs";
const SELECTORS: &str = "listings/ch23/python/echo_selectors.py";
/// The line of echo_selectors.py that echoes the complete lines read.
const ECHO_LINES: &str = "            await sendall(conn, pending[:done])\n";

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
        Fault {
            what: "an echo server that serves a busy connection until it \
                   would block (block_on runs the ready queue until empty)",
            apply: |root| {
                edit(root, REACTOR, |t| {
                    replace_once(
                        t,
                        "round.into_iter().for_each(Task::run);",
                        "round.into_iter().for_each(Task::run);\n\
                         loop {\n\
                         let next = READY.lock().unwrap().pop_front();\n\
                         let Some(task) = next else { break };\n\
                         task.run();\n\
                         }",
                    )
                })
            },
            check: |root| protocol_check(root, "echo_reactor"),
            names: &[REACTOR, "a busy client", "holds up the others"],
        },
        Fault {
            what: "an echo server (gevent) that never yields while a \
                   client keeps sending",
            apply: |root| {
                edit(root, GEVENT, |t| {
                    replace_once(t, "            gevent.sleep(0)\n", "")
                })
            },
            check: |root| protocol_check(root, "echo_gevent"),
            names: &[GEVENT, "a busy client", "holds up the others"],
        },
        Fault {
            what: "an echo server that closes at once after ERR line too \
                   long (unread input: the kernel resets the connection)",
            apply: |root| {
                edit(root, SELECTORS, |t| {
                    replace_once(
                        t,
                        "                await refuse(conn)\n",
                        "                await sendall(conn, b\"ERR line too long\\n\")\n",
                    )
                })
            },
            check: |root| adversaries(root, "echo_selectors"),
            names: &[SELECTORS, "pipelined past a long line", "reset"],
        },
        Fault {
            what: "an echo server that echoes the first 8192 bytes of a \
                   long line before ERR",
            apply: |root| {
                edit(root, SELECTORS, |t| {
                    replace_once(
                        t,
                        ECHO_LINES,
                        "            await sendall(conn, pending[:done])\n\
                         \x20           if too_long:\n\
                         \x20               await sendall(conn, \
                         pending[done:done + MAX_LINE])\n",
                    )
                })
            },
            check: |root| fuzz_only(root, "echo_selectors"),
            names: &[SELECTORS, "fuzz seed", "first difference at byte"],
        },
        Fault {
            what: "an echo server that drops the lines that came with the \
                   client's half-close",
            apply: |root| {
                edit(root, SELECTORS, |t| {
                    replace_once(
                        t,
                        "            pending += data\n",
                        "            pending += data\n\
                         \x20           try:\n\
                         \x20               if conn.recv(1, socket.MSG_PEEK) \
                         == b\"\":\n\
                         \x20                   break\n\
                         \x20           except BlockingIOError:\n\
                         \x20               pass\n",
                    )
                })
            },
            check: |root| fuzz_only(root, "echo_selectors"),
            names: &[SELECTORS, "fuzz seed", "half-close", "then a close"],
        },
        Fault {
            what: "an echo server that rewrites \\r\\n to \\n",
            apply: |root| {
                edit(root, SELECTORS, |t| {
                    replace_once(
                        t,
                        ECHO_LINES,
                        "            await sendall(conn, \
                         pending[:done].replace(b\"\\r\\n\", b\"\\n\"))\n",
                    )
                })
            },
            check: |root| fuzz_only(root, "echo_selectors"),
            names: &[SELECTORS, "fuzz seed", "[0a]", "[0d]"],
        },
    ]
}

/// The whole check, as `cargo xtask test` runs it: the focused cases come
/// first there, so each of these faults must be reported by its own case.
fn protocol_check(root: &Path, server: &str) -> Vec<String> {
    let options = protocol::Options::full();
    protocol::check_with(root, &[server.to_string()], &options)
        .failure_messages()
}

/// The pipelined long lines, then the fuzzer.
fn adversaries(root: &Path, server: &str) -> Vec<String> {
    let mut options = protocol::Options::full();
    options.phases = protocol::Phases::Adversaries;
    protocol::check_with(root, &[server.to_string()], &options)
        .failure_messages()
}

/// The fuzzer alone, with the budget of `cargo xtask test`.
fn fuzz_only(root: &Path, server: &str) -> Vec<String> {
    let mut options = protocol::Options::full();
    options.phases = protocol::Phases::Fuzz;
    protocol::check_with(root, &[server.to_string()], &options)
        .failure_messages()
}
