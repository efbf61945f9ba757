//! Self-test faults for chapters 25 and 26: graceful shutdown, cancel
//! safety and tests in virtual time.

use super::{Fault, edit, replace_once, with_timeout};
use crate::checks::{graceful, listing_tests, outputs};

const GRACEFUL: &str = "listings/ch25/src/graceful.rs";
const LOST_BYTES: &str = "listings/ch25/src/bin/lost_bytes.rs";
const LOST_BYTES_OUT: &str = "listings/ch25/output/lost_bytes.txt";
const VIRTUAL_TIME: &str = "listings/ch26/tests/virtual_time.rs";

/// `serve`'s drain step, and the same step stopping at the first `Pending`
/// from `poll_accept` (then closing the listener).
const TAKE_QUEUED: &str = r#"    if let Err(e) = take_queued(listener, &mut spawn) {
        eprintln!("accept failed while draining the queue: {e}");
    }
"#;
/// The refusal of a long line, and the same refusal closing at once.
const REFUSE: &str = "                return refuse(read, write).await;\n";
const CLOSE_AT_ONCE: &str = r#"                write.write_all(b"ERR line too long\n").await?;
                return Ok(());
"#;
const UNTIL_PENDING: &str = r#"    while let Some(Ok((stream, _))) =
        std::future::poll_fn(|cx| match listener.poll_accept(cx) {
            std::task::Poll::Ready(accepted) => std::task::Poll::Ready(Some(accepted)),
            std::task::Poll::Pending => std::task::Poll::Ready(None),
        })
        .await
    {
        spawn(stream);
    }
    drop(listener);
"#;

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a graceful shutdown that drops a line (connections cut \
                   at the signal instead of drained)",
            apply: |root| {
                edit(root, GRACEFUL, |t| {
                    replace_once(
                        t,
                        "    tracker.close();\n",
                        "    cut.cancel();\n    tracker.close();\n",
                    )
                })
            },
            check: |root| graceful::check(root).failure_messages(),
            names: &[graceful::RUST_BIN, "received"],
        },
        Fault {
            what: "a graceful shutdown that drains the accept queue only \
                   until the first Pending (poll_accept's Pending taken for \
                   an empty queue)",
            apply: |root| {
                edit(root, GRACEFUL, |t| {
                    replace_once(t, TAKE_QUEUED, UNTIL_PENDING)
                })
            },
            check: |root| graceful::check(root).failure_messages(),
            names: &[graceful::RUST_SERVE, "0 reset"],
        },
        Fault {
            what: "a graceful server that closes at once after ERR (a reset \
                   with unread input)",
            apply: |root| {
                edit(root, GRACEFUL, |t| replace_once(t, REFUSE, CLOSE_AT_ONCE))
            },
            check: |root| graceful::check(root).failure_messages(),
            names: &[graceful::RUST_BIN, "ERR line missing"],
        },
        Fault {
            what: "a \"fixed\" select! loop that still loses bytes (its \
                   buffer made fresh on every turn)",
            apply: |root| {
                edit(root, LOST_BYTES, |t| {
                    replace_once(
                        t,
                        "    let mut line = Vec::new();\n    loop {\n",
                        "    loop {\n        let mut line = Vec::new();\n",
                    )
                })
            },
            check: |root| {
                outputs::check(root, &["ch25".to_string()]).failure_messages()
            },
            names: &[LOST_BYTES_OUT, "expected:"],
        },
        Fault {
            what: "a paused-time test that silently uses real time",
            apply: |root| {
                edit(root, VIRTUAL_TIME, |t| {
                    replace_once(
                        t,
                        "#[tokio::test(start_paused = true)]\nasync fn retry_",
                        "#[tokio::test]\nasync fn retry_",
                    )
                })
            },
            check: |root| {
                with_timeout("20", || {
                    listing_tests::check(root, &["ch26".to_string()])
                        .failure_messages()
                })
            },
            names: &[VIRTUAL_TIME, "killed"],
        },
    ]
}
