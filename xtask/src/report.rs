//! Counting checks, timing the phases of a run and printing the closing
//! summary.

use std::time::{Duration, Instant};

/// The outcome of a run of checks: each check passes or fails once.
#[derive(Default)]
pub struct Report {
    passed: usize,
    failures: Vec<(String, String)>,
    /// Finished phases with how long each took, in the order they ran.
    phases: Vec<(String, Duration)>,
    /// The phase running now.
    current: Option<(String, Instant)>,
}

impl Report {
    /// Records one check; a failure's message is printed now and repeated in
    /// the summary.
    pub fn record(&mut self, name: &str, result: crate::Result) {
        match result {
            Ok(()) => {
                println!("ok: {name}");
                self.passed += 1;
            }
            Err(e) => {
                println!("FAILED: {name}\n{e}");
                self.failures.push((name.to_string(), e.to_string()));
            }
        }
    }

    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
        self.phases.extend(other.phases);
    }

    /// Starts timing a phase of the run; the phase before it ends here.
    /// The summary shows how long each one took, so a slow run says where
    /// its time went.
    pub fn phase(&mut self, name: &str) {
        self.end_phase();
        self.current = Some((name.to_string(), Instant::now()));
    }

    fn end_phase(&mut self) {
        if let Some((name, start)) = self.current.take() {
            self.phases.push((name, start.elapsed()));
        }
    }

    /// The messages of the failed checks.
    pub fn failure_messages(&self) -> Vec<String> {
        self.failures.iter().map(|(_, why)| why.clone()).collect()
    }

    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// Prints the failures again, the time each phase took and the
    /// `N passed, N failed` line, which stays the last; fails if anything
    /// failed.
    pub fn finish(mut self) -> crate::Result {
        self.end_phase();
        println!();
        for (name, why) in &self.failures {
            println!("FAILED: {name}");
            for line in why.lines() {
                println!("    {line}");
            }
        }
        if !self.phases.is_empty() {
            print!("{}", timing_table(&self.phases));
        }
        println!("{} passed, {} failed", self.passed, self.failed());
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(format!("{} check(s) failed", self.failed()).into())
        }
    }
}

/// The phases and their durations, one a line, with the total.
fn timing_table(phases: &[(String, Duration)]) -> String {
    let width = phases.iter().map(|(n, _)| n.chars().count()).max();
    let width = width.unwrap_or(0).max("total".len());
    let mut out = String::from("time per phase:\n");
    let mut row = |name: &str, took: Duration| {
        let pad = width - name.chars().count();
        out.push_str(&format!(
            "  {name}{}  {:>10}\n",
            " ".repeat(pad),
            duration(took)
        ));
    };
    for (name, took) in phases {
        row(name, *took);
    }
    row("total", phases.iter().map(|(_, d)| *d).sum());
    out
}

/// `4.2 s` under a minute, `12 min 05 s` above.
fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        let whole = d.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timing_table_lists_each_phase_and_the_total() {
        let phases = vec![
            ("clippy".to_string(), Duration::from_millis(4_240)),
            ("browser tests".to_string(), Duration::from_secs(725)),
        ];
        assert_eq!(
            timing_table(&phases),
            "time per phase:\n\
             \x20 clippy              4.2 s\n\
             \x20 browser tests  12 min 05 s\n\
             \x20 total          12 min 09 s\n"
        );
    }

    #[test]
    fn a_phase_ends_when_the_next_one_starts() {
        let mut report = Report::default();
        report.phase("one");
        report.phase("two");
        report.end_phase();
        let names: Vec<&str> =
            report.phases.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["one", "two"]);
        assert!(report.current.is_none());
    }
}
