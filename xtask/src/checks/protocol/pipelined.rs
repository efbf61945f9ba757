//! Lines pipelined past an over-long line, the way any client that does
//! not wait for each echo sends them: valid lines, a line of 9,000 bytes,
//! then more bytes, all written without waiting, and nothing read for
//! 0.3 s, through a small receive buffer (so that the echoes wait in the
//! server's send buffer, as they do when a real client is slow or far
//! away). A server that closes right after `ERR line too long\n` closes a
//! socket with unread input; Linux then resets the connection and drops
//! what it had not sent yet: the ERR line and echoes of the earlier lines.
//! Whether that loses anything depends on timing, so each case runs
//! [`REPEAT`] times and every run must get every echo and the ERR line.

use super::drive::{self, End, Plan};
use super::fuzz;
use std::thread;
use std::time::{Duration, Instant};

/// Runs of each case.
const REPEAT: usize = 20;
/// Runs at once.
const AT_ONCE: usize = 10;

/// `lines` lines of 64 bytes (with their `\n`), a 9,000-byte line, then
/// `behind` bytes more (lines of 64 bytes).
fn plan(lines: usize, behind: usize) -> Plan {
    let mut data = Vec::new();
    for i in 0..lines {
        data.extend_from_slice(format!("line {i:05} {:>52}\n", "x").as_bytes());
    }
    data.extend(std::iter::repeat_n(b'L', 9000));
    data.push(b'\n');
    let filler: Vec<u8> = format!("{:>63}\n", "after the long line").into();
    data.extend(filler.iter().cycle().take(behind));
    Plan {
        writes: vec![(data.len(), Duration::ZERO)],
        data,
        read_delay: Duration::from_millis(300),
        read_size: 64 * 1024,
        read_pause: None,
        small_buffer: true,
        end: End::KeepOpen,
    }
}

/// Both cases, [`REPEAT`] times each; how long they took.
pub fn run(addr: &str) -> Result<Duration, String> {
    let start = Instant::now();
    for (what, lines, behind) in [
        ("100 lines, a 9,000-byte line, 100 KB more", 100, 100_000),
        ("1,000 lines, a 9,000-byte line, 2 MB more", 1000, 2_000_000),
    ] {
        let plan = plan(lines, behind);
        let mut failed = Vec::new();
        for round in 0..REPEAT.div_ceil(AT_ONCE) {
            let results: Vec<_> = thread::scope(|s| {
                let runs: Vec<_> = (0..AT_ONCE)
                    .map(|_| s.spawn(|| drive::run(addr, &plan)))
                    .collect();
                runs.into_iter().map(|r| r.join().unwrap()).collect()
            });
            for (i, result) in results.into_iter().enumerate() {
                let verdict = result.and_then(|t| fuzz::judge(&plan, &t));
                if let Err(e) = verdict {
                    failed.push((round * AT_ONCE + i + 1, e));
                }
            }
        }
        if let Some((run, why)) = failed.first() {
            return Err(format!(
                "pipelined past a long line ({what}, in one write, nothing \
                 read for 0.3 s, a 4 KiB receive buffer): {} of {REPEAT} runs lost data; run \
                 {run}: {why}",
                failed.len()
            ));
        }
    }
    Ok(start.elapsed())
}
