//! A seeded differential fuzzer: random conversations with a server, each
//! compared byte for byte with [`model::reply`], the protocol as a
//! function.
//!
//! Each case is one connection whose script follows from the seed and
//! the case number alone ([`scenario`]), so `--fuzz-seed S --fuzz-cases
//! N` replays cases 0 to N-1 exactly; only the server's timing differs
//! from run to run. A script has:
//!
//! - lines whose lengths crowd at 0, 1, 8191 and 8192 bytes, of arbitrary
//!   bytes (every byte but `\n`, invalid UTF-8, many lines ending in
//!   `\r`); sometimes one over-long line (8193 bytes to 64 KiB) with more
//!   lines and up to 2 MB of other bytes pipelined behind it; sometimes an
//!   unfinished last line;
//! - writes of one kind per case: everything at once, a line per write,
//!   many lines per write, random sizes, a few bytes at a time, or cuts
//!   just before, at or after each `\n`; sometimes pauses between them;
//! - a reader that may start late (up to 0.3 s), read a few bytes at a
//!   time, pause, or read through a 4 KiB receive buffer (so that the
//!   replies wait in the server's send buffer);
//! - an end: half-close, keep the connection open, or a reset after a
//!   random write.
//!
//! Up to [`CONCURRENT`] cases run at once, each on its own connection.
//!
//! Where chapter 24's definition leaves a choice, the model takes the one
//! the chapter and the servers take:
//!
//! - an unfinished line is not echoed when the client half-closes
//!   ("可能留下半行，没有完整的行可回，直接结束"), and the server then closes
//!   normally (FIN; a reset there fails the case: nothing was left
//!   unread);
//! - 8193 bytes without a `\n` are refused at once, even if the client
//!   half-closes before sending more ("不以 `\n` 结尾而长度超过 8192，就是一
//!   行太长");
//! - after `ERR line too long\n` nothing more comes; every echo before it
//!   and the ERR line itself must arrive. The server may end with a reset
//!   once all of that has arrived (it reads and discards only for a
//!   bounded time), so either a close or a reset ends a refused
//!   connection, and the client's writes may fail once its sent bytes
//!   include the refused line, never before;
//! - that guarantee holds for a client that keeps reading: the scripts'
//!   pauses are short (a reader stalls at most 0.3 s at the start and
//!   10 ms at a time), well inside the servers' one-second linger.
//!
//! A client that resets is owed nothing: what it got before must be a
//! prefix of the reply, and the server must go on serving others.

use super::drive::{self, End, Ending, Plan, Transcript};
use super::model::{self, MAX_LINE};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Connections at once.
pub const CONCURRENT: usize = 24;

/// How much fuzzing one server gets.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub seed: u64,
    /// At most this many cases.
    pub cases: usize,
    /// No new case starts after this long (`None`: run all `cases`).
    pub time: Option<Duration>,
}

/// What a fuzzing run did, for the log line.
pub struct Summary {
    pub cases: usize,
    pub bytes_sent: u64,
    pub took: Duration,
}

/// Runs cases 0, 1, .. against `addr` until the budget is spent; stops
/// at the first failure and reports the lowest failing case.
pub fn run(addr: &str, budget: Budget) -> Result<Summary, String> {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failures: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    let sent = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..CONCURRENT.min(budget.cases) {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed)
                    && budget.time.is_none_or(|t| start.elapsed() < t)
                {
                    let case = next.fetch_add(1, Ordering::Relaxed);
                    if case >= budget.cases {
                        break;
                    }
                    let scenario = scenario(budget.seed, case as u64);
                    match one(addr, &scenario) {
                        Ok(bytes) => {
                            sent.fetch_add(bytes, Ordering::Relaxed);
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            stop.store(true, Ordering::Relaxed);
                            failures.lock().unwrap().push((
                                case,
                                format!("{}\n{e}", scenario.summary),
                            ));
                        }
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|f| f.0);
    if let Some((case, why)) = failures.first() {
        let others = match failures.len() - 1 {
            0 => String::new(),
            n => format!(" ({n} other case(s) running beside it failed too)"),
        };
        return Err(format!(
            "fuzz seed {seed}, case {case}{others}: {why}\n  reproduce: \
             cargo xtask protocol --fuzz-seed {seed} --fuzz-cases {n} NAME",
            seed = budget.seed,
            n = case + 1,
        ));
    }
    Ok(Summary {
        cases: done.into_inner(),
        bytes_sent: sent.into_inner() as u64,
        took: start.elapsed(),
    })
}

/// One case: the connection, then the verdict.
fn one(addr: &str, scenario: &Scenario) -> Result<usize, String> {
    let transcript = drive::run(addr, &scenario.plan)?;
    judge(&scenario.plan, &transcript)?;
    Ok(transcript.sent)
}

/// Compares what one connection got with the model; the error says how
/// it differs, where, and shows both sides there.
pub fn judge(plan: &Plan, t: &Transcript) -> Result<(), String> {
    let expected = model::reply(&plan.data[..t.sent]);
    if let Some((at, e)) = &t.write_error
        && !model::reply(&plan.data[..*at]).refused
    {
        return Err(format!(
            "a write failed after {at} of {} bytes ({e}), though nothing \
             sent so far calls for a refusal; received {} of {} bytes",
            plan.data.len(),
            t.received.len(),
            expected.bytes.len()
        ));
    }
    let complete = t.received == expected.bytes;
    let ended_well = match &t.ending {
        Ending::ClientReset => {
            if expected.bytes.starts_with(&t.received) {
                return Ok(());
            }
            false
        }
        Ending::Eof => complete,
        Ending::Reset => complete && expected.refused,
        Ending::Quiet => complete && !expected.refused,
        Ending::Diverged | Ending::Error(_) | Ending::Timeout => false,
    };
    if ended_well {
        return Ok(());
    }
    let how = match &t.ending {
        Ending::Eof => "then the server closed the connection".to_string(),
        Ending::Reset => "then the server reset the connection".to_string(),
        Ending::Quiet => "then nothing more came".to_string(),
        Ending::ClientReset => "before the client reset".to_string(),
        Ending::Diverged => "and they differ from the reply".to_string(),
        Ending::Error(e) => format!("then a read failed: {e}"),
        Ending::Timeout => format!("and no end after {:.1?}", t.took),
    };
    let want_end = if expected.refused {
        "then a close (or a reset)"
    } else if plan.end == End::HalfClose {
        "then a close"
    } else {
        "and the connection kept open"
    };
    let mut message = format!(
        "received {} bytes {how}; expected {} bytes {want_end} (the \
         client sent {} of {} bytes)",
        t.received.len(),
        expected.bytes.len(),
        t.sent,
        plan.data.len()
    );
    let offset = model::first_difference(&t.received, &expected.bytes);
    if let Some(offset) = offset {
        message += &format!(
            "\n  first difference at byte {offset}: expected {}\n{}",
            model::locate(&plan.data[..t.sent], offset),
            model::hex_around(&t.received, &expected.bytes, offset)
        );
    }
    Err(message)
}

/// A case: its script and a one-line account of it.
pub struct Scenario {
    pub plan: Plan,
    pub summary: String,
}

/// The script of case `case` of `seed`.
pub fn scenario(seed: u64, case: u64) -> Scenario {
    let mut rng = Rng::new(seed, case);
    let mut data = Vec::new();
    let mut line_ends = Vec::new();
    let lines = match rng.below(10) {
        0 => 0,
        1..=5 => rng.range(1, 10),
        6..=8 => rng.range(10, 60),
        _ => rng.range(60, 300),
    };
    let long_at = rng.chance(35).then(|| rng.range(0, lines + 1));
    let mut notes = Vec::new();
    let (mut edges, mut longest) = (0, 0);
    for i in 0..=lines {
        if long_at == Some(i) {
            let len = match rng.below(10) {
                0..=3 => MAX_LINE + 1,
                4 => MAX_LINE + 2,
                5 => 9000,
                6 => 64 * 1024,
                _ => rng.range(MAX_LINE + 1, 64 * 1024 + 1),
            };
            fill(&mut rng, &mut data, len);
            data.push(b'\n');
            line_ends.push(data.len());
            notes.push(format!("an over-long line of {len} B after line {i}"));
        }
        if i < lines {
            let len = line_len(&mut rng);
            edges += usize::from(len >= MAX_LINE - 1);
            longest = longest.max(len);
            fill(&mut rng, &mut data, len);
            data.push(b'\n');
            line_ends.push(data.len());
        }
    }
    notes.insert(
        0,
        format!("{lines} lines ({edges} of 8191/8192 B, longest {longest} B)"),
    );
    if long_at.is_some() {
        let junk = match rng.below(20) {
            0..=3 => 0,
            4..=9 => rng.range(1, 1000),
            10..=15 => rng.range(1000, 64 * 1024),
            16..=18 => 256 * 1024,
            _ => rng.range(1 << 20, 2 << 20),
        };
        // Lines and bytes after the refused line: never echoed.
        for _ in 0..junk / 64 {
            fill(&mut rng, &mut data, 63);
            data.push(b'\n');
        }
        fill(&mut rng, &mut data, junk % 64);
        notes.push(format!("{junk} B behind it"));
    } else if rng.chance(40) {
        let len = if rng.chance(10) {
            rng.range(MAX_LINE + 1, 3 * MAX_LINE)
        } else {
            line_len(&mut rng).max(1)
        };
        fill(&mut rng, &mut data, len);
        notes.push(format!("an unfinished last line of {len} B"));
    }
    let (writes, how) = writes(&mut rng, &data, &line_ends);
    let pauses = writes.iter().filter(|w| !w.1.is_zero()).count();
    notes.push(format!(
        "{} write(s), {how}, {pauses} pause(s)",
        writes.len()
    ));

    let reply = model::reply(&data).bytes.len();
    let read_delay = match rng.below(20) {
        0..=11 => Duration::ZERO,
        12..=16 => Duration::from_millis(rng.range(1, 50) as u64),
        _ => Duration::from_millis(300),
    };
    let read_size = match rng.below(10) {
        0..=1 if reply <= 64 * 1024 => rng.range(1, 64),
        2..=3 => rng.range(64, 4096),
        _ => 64 * 1024,
    };
    let read_pause = (reply <= 256 * 1024 && rng.chance(20)).then(|| {
        // At most about 40 pauses of up to 10 ms.
        let reads = (reply / read_size + 1) as u32;
        let every = (rng.range(1, 8) as u32).max(reads / 40);
        (every, Duration::from_millis(rng.range(1, 11) as u64))
    });
    // Without pauses, and for short replies only: such a reader must
    // still take all that is queued for it well within a refusing
    // server's linger, and a window this small makes loopback slow.
    let small_buffer =
        read_pause.is_none() && reply <= 32 * 1024 && rng.chance(25);
    notes.push(format!(
        "reader: starts after {read_delay:?}, reads of at most {read_size} \
         B{}{}",
        read_pause.map_or(String::new(), |(n, d)| format!(
            ", a pause of {d:?} every {n} reads"
        )),
        if small_buffer {
            ", a 4 KiB receive buffer"
        } else {
            ""
        }
    ));
    let end = match rng.below(10) {
        0..=4 => End::HalfClose,
        5..=7 => End::KeepOpen,
        _ => End::Reset {
            after: rng.range(0, writes.len() + 1),
        },
    };
    notes.push(match end {
        End::HalfClose => "then half-close".to_string(),
        End::KeepOpen => "then keep the connection open".to_string(),
        End::Reset { after } => format!("a reset after write {after}"),
    });
    Scenario {
        summary: format!(
            "  scenario: {} B to send: {}",
            data.len(),
            notes.join("; ")
        ),
        plan: Plan {
            data,
            writes,
            read_delay,
            read_size,
            read_pause,
            small_buffer,
            end,
        },
    }
}

/// A line's length (without its `\n`), at most [`MAX_LINE`].
fn line_len(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=14 => 0,
        15..=24 => 1,
        25..=32 => MAX_LINE - 1,
        33..=40 => MAX_LINE,
        41..=74 => rng.range(2, 80),
        75..=89 => rng.range(80, 1024),
        _ => rng.range(1024, MAX_LINE),
    }
}

/// Appends `len` bytes with no `\n` among them, in one of four kinds:
/// any byte, printable text, text ending in `\r`, or many `\r`s.
fn fill(rng: &mut Rng, out: &mut Vec<u8>, len: usize) {
    let kind = rng.below(4);
    let start = out.len();
    while out.len() < start + len {
        let word = rng.next().to_le_bytes();
        let take = (start + len - out.len()).min(8);
        out.extend(word[..take].iter().map(|&b| match kind {
            0 => b,
            1 | 2 => b' ' + b % 95,
            _ if b % 3 == 0 => b'\r',
            _ => b,
        }));
    }
    for b in &mut out[start..] {
        if *b == b'\n' {
            *b = b'\r';
        }
    }
    if kind == 2 && len > 0 {
        out[start + len - 1] = b'\r';
    }
}

/// Where the writes end and the pause before each; one way of cutting per
/// case, named in the scenario.
fn writes(
    rng: &mut Rng,
    data: &[u8],
    line_ends: &[usize],
) -> (Vec<(usize, Duration)>, &'static str) {
    let len = data.len();
    let mut ends: Vec<usize> = Vec::new();
    let how = match rng.below(6) {
        0 => "everything in one write",
        1 => {
            ends.extend(line_ends);
            "a line per write"
        }
        2 => {
            let mut i = 0;
            while i < line_ends.len() {
                i += rng.range(2, 50);
                ends.push(line_ends[i.min(line_ends.len()) - 1]);
            }
            "many lines per write"
        }
        3 => {
            let mut at = 0;
            while at < len {
                // Sizes spread evenly over the powers of two up to 64 KiB.
                let top = 2 << rng.below(16);
                at += rng.range(1, top);
                ends.push(at.min(len));
            }
            "random sizes"
        }
        4 => {
            let mut at = 0;
            while at < len.min(4096) {
                at += rng.range(1, 17);
                ends.push(at.min(len));
            }
            "a few bytes at a time (the first 4 KiB), then the rest"
        }
        _ => {
            for &end in line_ends {
                // Just before the `\n` (after a `\r` if there is one),
                // just after it, or one byte further.
                let cut = end - 1 + rng.range(0, 3);
                ends.push(cut.min(len));
            }
            "cuts around each \\n"
        }
    };
    ends.push(len);
    ends.retain(|&e| e > 0);
    ends.sort_unstable();
    ends.dedup();
    let pause_percent = [0, 0, 5, 30][rng.below(4) as usize];
    let mut paused = Duration::ZERO;
    let writes = ends
        .into_iter()
        .map(|end| {
            let mut pause = Duration::ZERO;
            if paused < Duration::from_millis(300) && rng.chance(pause_percent)
            {
                pause = Duration::from_millis(rng.range(1, 21) as u64);
                paused += pause;
            }
            (end, pause)
        })
        .collect();
    (writes, how)
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a few lines, fast, and the
/// same sequence everywhere for the same seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: u64) -> Rng {
        let mut mix = Rng(seed);
        let base = mix.next();
        let mut rng = Rng(base ^ case.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (`n` > 0; the bias of `%` is below 2^-40 for these `n`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// In `lo..hi` (`lo` < `hi`).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below((hi - lo) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A seed for a run that was not given one: the clock's nanoseconds and
/// the process id, mixed.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut rng = Rng(nanos ^ (u64::from(std::process::id()) << 32));
    // Short enough to type back.
    rng.next() % 1_000_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_and_a_case_give_the_same_script_every_time() {
        for case in 0..50 {
            let (a, b) = (scenario(7, case), scenario(7, case));
            assert_eq!(a.plan.data, b.plan.data);
            assert_eq!(a.plan.writes, b.plan.writes);
            assert_eq!(a.summary, b.summary);
        }
        assert_ne!(scenario(7, 0).plan.data, scenario(8, 0).plan.data);
        assert_ne!(scenario(7, 0).plan.data, scenario(7, 1).plan.data);
    }

    #[test]
    fn scripts_cover_what_the_fuzzer_promises() {
        let all: Vec<Scenario> = (0..400).map(|c| scenario(1, c)).collect();
        let count =
            |f: &dyn Fn(&Scenario) -> bool| all.iter().filter(|s| f(s)).count();
        let refused = count(&|s| model::reply(&s.plan.data).refused);
        let crlf = count(&|s| s.plan.data.windows(2).any(|w| w == b"\r\n"));
        let half = count(&|s| s.plan.end == End::HalfClose);
        let reset = count(&|s| matches!(s.plan.end, End::Reset { .. }));
        let slow = count(&|s| s.plan.read_delay >= Duration::from_millis(300));
        let small = count(&|s| s.plan.small_buffer);
        let edge = count(&|s| {
            s.summary.contains("of 8191/8192 B") && !s.summary.contains("(0 of")
        });
        for (what, n) in [
            ("refused", refused),
            ("\\r\\n", crlf),
            ("half-close", half),
            ("reset", reset),
            ("late reader", slow),
            ("small receive buffer", small),
            ("8191/8192", edge),
        ] {
            assert!(n >= 15, "{what}: only {n} of 400 cases");
        }
        for s in &all {
            let ends: Vec<usize> = s.plan.writes.iter().map(|w| w.0).collect();
            assert!(ends.windows(2).all(|w| w[0] < w[1]), "{}", s.summary);
            if !s.plan.data.is_empty() {
                assert_eq!(ends.last(), Some(&s.plan.data.len()));
            }
        }
    }
}
