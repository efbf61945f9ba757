//! Counting checks and printing the closing summary.

/// The outcome of a run of checks: each check passes or fails once.
#[derive(Default)]
pub struct Report {
    passed: usize,
    failures: Vec<(String, String)>,
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
    }

    /// The messages of the failed checks.
    pub fn failure_messages(&self) -> Vec<String> {
        self.failures.iter().map(|(_, why)| why.clone()).collect()
    }

    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// Prints the failures again and the `N passed, N failed` line; fails
    /// if anything failed.
    pub fn finish(self) -> crate::Result {
        println!();
        for (name, why) in &self.failures {
            println!("FAILED: {name}");
            for line in why.lines() {
                println!("    {line}");
            }
        }
        println!("{} passed, {} failed", self.passed, self.failed());
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(format!("{} check(s) failed", self.failed()).into())
        }
    }
}
