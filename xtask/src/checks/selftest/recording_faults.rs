//! Self-test faults for recordings that are not one run (checks/timelines.rs,
//! run by the timelines check): the faults the book once shipped, and a
//! hand edit that breaks no timing rule and only the run digest shows.

use super::{Fault, edit, messages, replace_once};
use crate::Result;
use crate::checks::timelines;

const CH18_OUT: &str = "listings/ch18/output/wake_loop.txt";
const CH10_OUT: &str = "listings/ch10/output/sleeping_loop.txt";
const CH10_PY_OUT: &str = "listings/ch10/python/output/sleeping_loop.txt";
const TOTAL: &str = "Total elapsed time is {{";

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            what: "a recording whose total comes from another run (ch18 as shipped)",
            // The total of one run on the line of a run 0.29 s slower.
            apply: |root| {
                edit(root, CH18_OUT, |t| set_total_line(t, "5.003s", "5.290s"))
            },
            check: |root| messages(timelines::check(root)),
            names: &[CH18_OUT, ":24:", "different runs"],
        },
        Fault {
            what: "a recording whose printed time is ahead of its arrival",
            apply: |root| {
                edit(root, CH10_OUT, |t| set_total_line(t, "5.100s", "5.000s"))
            },
            check: |root| messages(timelines::check(root)),
            names: &[CH10_OUT, ":24:", "has not lived yet"],
        },
        Fault {
            what: "a recording with one arrival edited by hand, digest unchanged",
            // 30 ms later: inside its band and no clock on the line, so
            // the plausibility tests cannot see it; the digest does.
            apply: |root| {
                edit(root, CH18_OUT, |t| delay_arrival(t, "C T-minus 4"))
            },
            check: |root| messages(timelines::check(root)),
            names: &[CH18_OUT, ":2:", "run digest", "changed after"],
        },
        Fault {
            what: "a Python recording that no longer says where its first line was",
            apply: |root| {
                edit(root, CH10_PY_OUT, |t| {
                    let (_, after) = t
                        .split_once(timelines::FIRST_LINE_AT)
                        .ok_or("the header has no first-line time")?;
                    let cut = &after[..after.find('⟩').unwrap_or(0)];
                    replace_once(
                        t,
                        &format!("{}{cut}", timelines::FIRST_LINE_AT),
                        "",
                    )
                })
            },
            check: |root| messages(timelines::check(root)),
            names: &[CH10_PY_OUT, "shifted zero"],
        },
    ]
}

/// Rewrites the `Total elapsed time is` line of a timed output with the
/// given value and arrival time, bands unchanged.
fn set_total_line(text: &str, value: &str, arrival: &str) -> Result<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with(TOTAL))
        .ok_or("no `Total elapsed time is` line")?;
    let value_end = line[TOTAL.len()..].find(' ').ok_or("no value")?;
    let at = line.find("⟨@").ok_or("no arrival stamp")?;
    let arrival_end = line[at..].find(' ').ok_or("no arrival")?;
    let new = format!(
        "{TOTAL}{value}{}⟨@{arrival}{}",
        &line[TOTAL.len() + value_end..at],
        &line[at + arrival_end..]
    );
    replace_once(text, line, &new)
}

/// Moves the arrival of the first line that starts with `start` 30 ms
/// later, nothing else changed.
fn delay_arrival(text: &str, start: &str) -> Result<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with(start))
        .ok_or_else(|| format!("no line starting with `{start}`"))?;
    let at = line.find("⟨@").ok_or("no arrival stamp")? + "⟨@".len();
    let end = at + line[at..].find('s').ok_or("no arrival")?;
    let seconds: f64 = line[at..end].parse().map_err(|_| "bad arrival")?;
    let new = format!("{}{:.3}{}", &line[..at], seconds + 0.030, &line[end..]);
    replace_once(text, line, &new)
}
