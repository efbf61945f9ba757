//! Self-test faults for chapters 25 and 26: graceful shutdown, cancel
//! safety and tests in virtual time.

use super::{Fault, edit, replace_once, with_timeout};
use crate::checks::{graceful, listing_tests, outputs};

const GRACEFUL: &str = "listings/ch25/src/graceful.rs";
const LOST_BYTES: &str = "listings/ch25/src/bin/lost_bytes.rs";
const LOST_BYTES_OUT: &str = "listings/ch25/output/lost_bytes.txt";
const VIRTUAL_TIME: &str = "listings/ch26/tests/virtual_time.rs";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a graceful shutdown that drops a line (connections cut \
                   at the signal instead of drained)",
            apply: |root| {
                edit(root, GRACEFUL, |t| {
                    replace_once(
                        t,
                        "    drop(listener);\n",
                        "    drop(listener);\n    cut.cancel();\n",
                    )
                })
            },
            check: |root| graceful::check(root).failure_messages(),
            names: &[graceful::RUST_BIN, "received"],
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
