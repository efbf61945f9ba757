//! The digest of one recorded run, kept in a timed file's `⟨recorded …⟩`
//! header (`…; run 5f0c8a1d2b3e4f60`).
//!
//! `cargo xtask record` writes a timed file only from one run, and writes
//! next to it a digest of everything that run measured: every recorded
//! value and every arrival time, line by line in order, and, for a Python
//! output, when its first line arrived. The check recomputes it, so any
//! value or arrival changed afterwards, by hand or by pasting lines from
//! another recording, no longer matches. The text of a line and the bands
//! (ideal time and upper end) are not part of it: rewording a line or
//! widening a band keeps the recording what it was.
//!
//! The digest guards against accidents, not against forgery: whoever can
//! edit the file can also run the recorder or this function. So a short
//! non-cryptographic hash is enough: FNV-1a 64, ten lines, no dependency;
//! two different recordings share a digest with a chance of about 2⁻⁶⁴.

use crate::{Line, Part};

/// In a Python output's header, what precedes when its first line arrived
/// after the process started (`; first line at 0.143s`); its arrival
/// times count from that line.
pub const FIRST_LINE_AT: &str = "; first line at ";

/// In a timed file's header, what precedes the digest of its run; always
/// last in the header.
pub const RUN_DIGEST: &str = "; run ";

/// The parts of a `⟨recorded …⟩` header (without the brackets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded<'a> {
    /// When and where: `2026-11-26 01:50 UTC, linux x86_64, 2 CPUs (…)`.
    pub when_where: &'a str,
    /// A Python output's first-line time as written (`0.143s`).
    pub first_line_at: Option<&'a str>,
    /// The run's digest as written (16 hex digits).
    pub digest: Option<&'a str>,
}

/// Splits a header into when/where, first-line time and digest.
pub fn parse_recorded(header: &str) -> Recorded<'_> {
    let (rest, digest) = match header.rsplit_once(RUN_DIGEST) {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (header, None),
    };
    let (when_where, first_line_at) = match rest.rsplit_once(FIRST_LINE_AT) {
        Some((when_where, at)) => (when_where, Some(at)),
        None => (rest, None),
    };
    Recorded {
        when_where,
        first_line_at,
        digest,
    }
}

/// When a Python output's first line arrived after its process started,
/// in seconds, from its header; `None` if the header does not say.
pub fn first_line_seconds(header: Option<&str>) -> Option<f64> {
    let at = parse_recorded(header?).first_line_at?;
    let seconds = at.strip_suffix('s')?.parse::<f64>().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

/// The digest of a run: FNV-1a 64 over every recorded value and arrival
/// time as written, in order, with separators so that moving a value to
/// another line changes it, and the first-line time if any. 16 hex digits.
pub fn run_digest(lines: &[Line], first_line_at: Option<&str>) -> String {
    let mut hash = Fnv1a64::new();
    for line in lines {
        for part in &line.parts {
            if let Part::Measured(band) = part {
                hash.write(band.recorded.text.as_bytes());
                hash.write(b"\x1f");
            }
        }
        if let Some(arrival) = &line.arrival {
            hash.write(b"@");
            hash.write(arrival.recorded.text.as_bytes());
        }
        hash.write(b"\x1e");
    }
    if let Some(at) = first_line_at {
        hash.write(FIRST_LINE_AT.as_bytes());
        hash.write(at.as_bytes());
    }
    format!("{:016x}", hash.0)
}

/// Fowler–Noll–Vo 1a, 64 bits (offset basis and prime from the FNV
/// specification, draft-eastlake-fnv).
struct Fnv1a64(u64);

impl Fnv1a64 {
    fn new() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_known_values() {
        // Test vectors of the FNV reference code (test_fnv.c).
        let of = |s: &[u8]| {
            let mut h = Fnv1a64::new();
            h.write(s);
            h.0
        };
        assert_eq!(of(b""), 0xcbf29ce484222325);
        assert_eq!(of(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(of(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn headers_split() {
        let h = "2026-11-26 01:50 UTC, linux; first line at 0.143s; run 00ff";
        assert_eq!(
            parse_recorded(h),
            Recorded {
                when_where: "2026-11-26 01:50 UTC, linux",
                first_line_at: Some("0.143s"),
                digest: Some("00ff"),
            }
        );
        assert_eq!(first_line_seconds(Some(h)), Some(0.143));
        let plain = parse_recorded("2026-11-26, linux");
        assert_eq!((plain.first_line_at, plain.digest), (None, None));
        assert_eq!(first_line_seconds(Some("x; first line at -1s")), None);
    }
}
