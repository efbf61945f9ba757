//! Where a bench ran: the machine, its load and the date, for the line
//! above the figures.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

/// Where the figures were measured.
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub os: String,
    pub rustc: String,
    pub tokio: String,
    pub date: String,
    /// The 1-minute load average when measuring started.
    pub load: Option<f64>,
}

/// The 1-minute load average (Linux: /proc/loadavg).
pub fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// The share of all CPUs' time, over `window`, that was not idle
/// (Linux: the first line of /proc/stat; iowait counts as idle).
pub fn cpu_busy(window: std::time::Duration) -> Option<f64> {
    let read = || -> Option<(u64, u64)> {
        let text = fs::read_to_string("/proc/stat").ok()?;
        let ticks: Vec<u64> = text
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .take(8)
            .map(|t| t.parse().ok())
            .collect::<Option<_>>()?;
        // user nice system idle iowait irq softirq steal
        let idle = ticks.get(3)? + ticks.get(4)?;
        Some((ticks.iter().sum(), idle))
    };
    let (total0, idle0) = read()?;
    std::thread::sleep(window);
    let (total1, idle1) = read()?;
    let total = total1.checked_sub(total0).filter(|&t| t > 0)?;
    let idle = idle1.saturating_sub(idle0).min(total);
    Some((total - idle) as f64 / total as f64)
}

impl Machine {
    /// This machine; tokio's version is read from `lock`, a Cargo.lock
    /// relative to the repository root.
    pub fn detect(root: &Path, lock: &str) -> Self {
        let cpu = cpu_name();
        let output = |cmd: &mut Command| {
            cmd.output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "unknown".to_string())
        };
        let lock = fs::read_to_string(root.join(lock)).unwrap_or_default();
        let tokio = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"tokio\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_else(|| "unknown".to_string());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            os: output(Command::new("uname").arg("-srm")),
            rustc: output(Command::new("rustc").arg("--version")),
            tokio,
            date: utc_now(),
            load: None,
        }
    }
}

/// The CPU's model name (Linux: /proc/cpuinfo).
pub fn cpu_name() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}

/// The current time as `YYYY-MM-DD HH:MM UTC`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let minute = secs % 86_400 / 60;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        minute / 60,
        minute % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_gregorian() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_417), (2025, 11, 25));
    }
}
