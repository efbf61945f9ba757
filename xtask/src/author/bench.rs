//! `cargo xtask bench`: runs the benchmarks of listings/ch12 in release
//! mode, round after round, and reads their figures; ch12_page.rs writes
//! them, with charts and the machine they ran on, to
//! src/generated/ch12-figures.md, which chapter 12 includes. The
//! statistics (stats.rs), charts (charts.rs), page pieces (page.rs) and
//! machine line (machine.rs) are shared with any other bench.
//!
//! The figures are read from the tables the programs print (the same ones
//! a reader sees with `cargo run --release --bin <name>`). A table that no
//! longer looks as expected stops the command, naming the program and what
//! was expected: the page never shows a figure that was not measured.

use super::ch12_page::render;
use super::machine::{Machine, load_average};
use super::stats::{Combined, Stat, value};
use crate::cmd::target_dir;
use crate::{Result, cmd};
use expected_output::Kind;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The file chapter 12 includes, relative to the repository root.
pub const FIGURES: &str = "src/generated/ch12-figures.md";

/// How many times each program runs by default. The figures vary between
/// runs of the same machine (the cross-CPU thread switch most), so the
/// page gives the median and the range over the rounds, never one run.
pub const ROUNDS: usize = 5;

/// `cargo xtask bench [--rounds N]`.
pub fn run(root: &Path, rounds: usize) -> Result {
    let start = Instant::now();
    cmd::run(cmd::cargo().current_dir(root).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "ch12",
        "--bins",
    ]))?;
    // Other programs on the machine slow every figure down; say so on the
    // page, and warn now, when the run can still be repeated later.
    let load = load_average();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(load) = load.filter(|&l| l > cores as f64) {
        println!(
            "note: load average {load:.1} on {cores} CPUs: the machine is \
             busy (a spawn_cost run in the last minute raises it too), so \
             the figures may be slower and noisier than usual"
        );
    }
    let measuring = Instant::now();
    let bins = target_dir(root).join("release");
    let run = |name: &str| -> Result<String> {
        let mut command = Command::new(bins.join(name));
        command.current_dir(root.join("listings/ch12"));
        let out = cmd::capture(&mut command)?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        print!("{stdout}");
        if !out.status.success() {
            return Err(format!(
                "{name} failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(stdout)
    };
    let mut switch = Vec::new();
    let mut spawn = Vec::new();
    let mut sleep = Vec::new();
    for round in 1..=rounds {
        println!("--- round {round} of {rounds}");
        switch.push(Switch::parse(&run("switch_cost")?)?);
        spawn.push(Spawn::parse(&run("spawn_cost")?)?);
        sleep.push(Sleep::parse(&run("sleep_accuracy")?)?);
    }
    let measured_for = measuring.elapsed();

    let mut machine = Machine::detect(root, "listings/ch12/Cargo.lock");
    machine.load = load;
    let page = render(
        &machine,
        &Figures::combine(&switch, &spawn, &sleep)?,
        measured_for,
    );
    let path = root.join(FIGURES);
    fs::create_dir_all(path.parent().unwrap())?;
    fs::write(&path, page)?;
    println!(
        "wrote {FIGURES} (measuring took {measured_for:.1?}, \
         {:.1?} in all with the build)",
        start.elapsed()
    );
    Ok(())
}

/// The cells of each row of the first pipe table in a program's output
/// (the rows after the `|---|` line).
fn table(bench: &str, out: &str) -> Result<Vec<Vec<String>>> {
    let rows: Vec<Vec<String>> = out
        .lines()
        .skip_while(|l| !l.starts_with("|-"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("{bench}: no table in its output").into());
    }
    Ok(rows)
}

/// Checks that a table has the expected row labels and column count.
fn expect_rows(
    bench: &str,
    rows: &[Vec<String>],
    labels: &[&str],
    columns: usize,
) -> Result {
    let found: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    if found != labels || rows.iter().any(|r| r.len() != columns) {
        return Err(format!(
            "{bench}: expected {} rows of {columns} cells labelled {labels:?}, \
             found {rows:?}",
            labels.len()
        )
        .into());
    }
    Ok(())
}

/// The `<n>x` ratios in the output line that starts with `prefix`.
fn ratios(bench: &str, out: &str, prefix: &str) -> Result<Vec<f64>> {
    let line = out
        .lines()
        .find(|l| l.starts_with(prefix))
        .ok_or_else(|| format!("{bench}: no line starting `{prefix}`"))?;
    Ok(line
        .split_whitespace()
        .filter_map(|w| expected_output::parse_quantity(w))
        .filter(|(q, _)| q.kind == Kind::Ratio)
        .map(|(q, _)| q.value)
        .collect())
}

/// The text between `prefix` and `suffix` on the line starting `prefix`.
fn between(
    bench: &str,
    out: &str,
    prefix: &str,
    suffix: &str,
) -> Result<String> {
    out.lines()
        .find_map(|l| l.strip_prefix(prefix)?.strip_suffix(suffix))
        .map(str::to_string)
        .ok_or_else(|| {
            format!("{bench}: no line `{prefix}...{suffix}` in its output")
                .into()
        })
}

/// `switch_cost`: rows are (label, round trips, per switch).
struct Switch {
    rows: Vec<Vec<String>>,
    runs: String,
    /// OS thread switch / tokio task switch: one CPU, two CPUs.
    ratios: [f64; 2],
}

impl Switch {
    const LABELS: [&str; 4] = [
        "2 tokio tasks, yield_now",
        "2 tokio tasks, tokio mpsc",
        "2 OS threads, std mpsc, 1 CPU",
        "2 OS threads, std mpsc, 2 CPUs",
    ];

    fn parse(out: &str) -> Result<Self> {
        let bench = "switch_cost";
        let rows = table(bench, out)?;
        expect_rows(bench, &rows, &Self::LABELS, 3)?;
        for row in &rows {
            value(bench, &row[2])?;
        }
        let runs = between(bench, out, "each row is the median of ", " runs")?;
        match ratios(bench, out, "an OS thread switch costs")?[..] {
            [one, two] => Ok(Switch {
                rows,
                runs,
                ratios: [one, two],
            }),
            _ => Err(format!("{bench}: expected two ratios").into()),
        }
    }
}

/// `spawn_cost`: rows are (label, N, total, each, RSS growth, each).
struct Spawn {
    rows: Vec<Vec<String>>,
    runs: String,
    cap_line: String,
    /// One OS thread / one tokio task: time, memory.
    ratios: [f64; 2],
}

impl Spawn {
    fn parse(out: &str) -> Result<Self> {
        let bench = "spawn_cost";
        let rows = table(bench, out)?;
        let labels = ["tokio task", "OS thread", "tokio task", "OS thread"];
        expect_rows(bench, &rows, &labels, 6)?;
        for row in &rows {
            for cell in &row[2..] {
                value(bench, cell)?;
            }
        }
        let cap = out
            .lines()
            .find_map(|l| l.strip_prefix("OS threads: at most "))
            .and_then(|l| l.strip_suffix(" at once"))
            .ok_or("spawn_cost: no `OS threads: at most N at once` line")?;
        // Only a full run names the limits (a quick run's cap is fixed).
        let limits = out
            .lines()
            .find_map(|l| l.strip_prefix("(limits here: "))
            .and_then(|l| l.strip_suffix(')'))
            .map_or(String::new(), |l| format!("（{l}）"));
        let cap_line = format!(
            "OS 线程最多同时 {cap} 个：取本机各项限制{limits}\
             中最紧的一项的四分之一，每个线程占两个内存映射（栈和保护页）。"
        );
        let runs =
            between(bench, out, "each figure is the median of ", " runs")?;
        match ratios(bench, out, "per unit (first two rows)")?[..] {
            [time, memory] => Ok(Spawn {
                rows,
                runs,
                cap_line,
                ratios: [time, memory],
            }),
            _ => Err(format!("{bench}: expected two ratios").into()),
        }
    }
}

/// `sleep_accuracy`: rows are (executor, sleeps, median late, max late).
struct Sleep {
    rows: Vec<Vec<String>>,
    /// Tasks, and sleeps per task.
    plan: (String, String),
}

impl Sleep {
    fn parse(out: &str) -> Result<Self> {
        let bench = "sleep_accuracy";
        let rows = table(bench, out)?;
        let labels = [
            "SleepingLoop (thread::sleep)",
            "tokio current-thread (its timer)",
        ];
        expect_rows(bench, &rows, &labels, 4)?;
        for row in &rows {
            value(bench, &row[2])?;
            value(bench, &row[3])?;
        }
        let plan = out
            .lines()
            .find(|l| l.starts_with("sleep_accuracy"))
            .and_then(|l| l.split_once(": "))
            .and_then(|(_, plan)| plan.strip_suffix(" on one thread"))
            .ok_or("sleep_accuracy: no `...: N tasks x M sleeps ...` line")?;
        let words: Vec<&str> = plan.split_whitespace().collect();
        let plan = match words[..] {
            [tasks, "tasks", "x", sleeps, "sleeps", "of", "1..5ms"] => {
                (tasks.to_string(), sleeps.to_string())
            }
            _ => {
                return Err(format!("{bench}: unexpected plan `{plan}`").into());
            }
        };
        Ok(Sleep { rows, plan })
    }
}

/// What the page shows: every round of the three programs combined.
pub struct Figures {
    pub rounds: usize,
    pub switch: Combined,
    pub switch_runs: String,
    /// OS thread switch / tokio task switch: one CPU, two CPUs.
    pub switch_ratios: [Stat; 2],
    pub spawn: Combined,
    pub spawn_runs: String,
    pub cap_line: String,
    /// One OS thread / one tokio task: time, memory.
    pub spawn_ratios: [Stat; 2],
    pub sleep: Combined,
    pub sleep_plan: (String, String),
    /// Median lateness: hand-written loop, tokio.
    pub sleep_medians: [Stat; 2],
}

impl Figures {
    fn combine(
        switch: &[Switch],
        spawn: &[Spawn],
        sleep: &[Sleep],
    ) -> Result<Figures> {
        let ratio = |values: Vec<f64>| Stat::of(&values, Kind::Ratio);
        let sw = Combined::of(
            "switch_cost",
            &switch.iter().map(|s| &s.rows).collect::<Vec<_>>(),
        )?;
        let sp = Combined::of(
            "spawn_cost",
            &spawn.iter().map(|s| &s.rows).collect::<Vec<_>>(),
        )?;
        let sl = Combined::of(
            "sleep_accuracy",
            &sleep.iter().map(|s| &s.rows).collect::<Vec<_>>(),
        )?;
        let sleep_medians = [sl.stat(0, 2), sl.stat(1, 2)];
        Ok(Figures {
            rounds: switch.len(),
            switch_ratios: [0, 1]
                .map(|i| ratio(switch.iter().map(|s| s.ratios[i]).collect())),
            switch_runs: switch[0].runs.clone(),
            switch: sw,
            spawn_ratios: [0, 1]
                .map(|i| ratio(spawn.iter().map(|s| s.ratios[i]).collect())),
            spawn_runs: spawn[0].runs.clone(),
            cap_line: spawn[0].cap_line.clone(),
            spawn: sp,
            sleep_plan: sleep[0].plan.clone(),
            sleep_medians,
            sleep: sl,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SWITCH: &str = "\
each row is the median of 5 runs
| ping-pong between | round trips | per switch |
|---|---|---|
| 2 tokio tasks, yield_now | 1000 | 70.0ns |
| 2 tokio tasks, tokio mpsc | 1000 | 119.0ns |
| 2 OS threads, std mpsc, 1 CPU | 20 | 1.3µs |
| 2 OS threads, std mpsc, 2 CPUs | 20 | 42.2µs |

an OS thread switch costs 10.8x (1 CPU) to 354.7x (2 CPUs) a tokio task
";

    #[test]
    fn switch_figures_are_read_from_the_table() {
        let s = Switch::parse(SWITCH).unwrap();
        assert_eq!(s.ratios, [10.8, 354.7]);
        assert_eq!(s.rows[3][2], "42.2µs");
    }

    #[test]
    fn a_changed_table_is_an_error_not_a_wrong_figure() {
        let renamed = SWITCH.replace("1 CPU |", "one CPU |");
        let err = Switch::parse(&renamed).err().unwrap().to_string();
        assert!(err.contains("switch_cost: expected 4 rows"), "{err}");
        let broken = SWITCH.replace("70.0ns", "fast");
        let err = Switch::parse(&broken).err().unwrap().to_string();
        assert!(err.contains("`fast` is not a measured value"), "{err}");
    }

    /// The committed quick-run outputs, as the book shows them: the tables
    /// there must stay readable by this module.
    fn quick_output(bin: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../listings/ch12/output/{bin}.txt"));
        let text = fs::read_to_string(&path).unwrap();
        let stdout: Vec<&str> = text.lines().skip(1).collect();
        expected_output::strip_bands(&stdout.join("\n"))
    }

    #[test]
    fn the_programs_tables_are_readable() {
        let switch = Switch::parse(&quick_output("switch_cost")).unwrap();
        let spawn = Spawn::parse(&quick_output("spawn_cost")).unwrap();
        let sleep = Sleep::parse(&quick_output("sleep_accuracy")).unwrap();
        assert!(switch.ratios.iter().all(|&r| r > 0.0));
        assert!(spawn.cap_line.contains("最多同时 1000 个"));
        assert_eq!(sleep.plan, ("4".to_string(), "10".to_string()));
        let figures = Figures::combine(&[switch], &[spawn], &[sleep]).unwrap();
        let page = render(
            &Machine::detect(
                Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap(),
                "listings/ch12/Cargo.lock",
            ),
            &figures,
            std::time::Duration::from_secs(1),
        );
        assert!(page.matches("xychart-beta").count() >= 2);
        assert!(page.contains("<!-- ANCHOR: task_switch -->"));
        assert!(page.contains("<!-- ANCHOR_END: summary -->"));
        assert!(page.contains("每个 OS 线程 9.8KiB"), "{page}");
        assert!(page.contains("| OS 线程 | 1000（上限） |"), "{page}");
    }

    #[test]
    fn rounds_give_the_median_and_the_range() {
        let slow = SWITCH.replace("42.2µs", "5.6µs").replace("354.7x", "47.1x");
        let slower = SWITCH
            .replace("42.2µs", "30.0µs")
            .replace("354.7x", "252.1x");
        let runs = [SWITCH, &slow, &slower].map(|o| Switch::parse(o).unwrap());
        let combined = Combined::of(
            "switch_cost",
            &runs.iter().map(|s| &s.rows).collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(combined.rows[3][2], "30µs（5.6µs–42.2µs）");
        // The same in every round: no range.
        assert_eq!(combined.rows[0][2], "70ns");
        let ratio = Stat::of(&runs.map(|s| s.ratios[1]), Kind::Ratio);
        assert_eq!((ratio.median, ratio.min, ratio.max), (252.1, 47.1, 354.7));
    }

    #[test]
    fn rounds_must_agree_on_their_labels() {
        let other = SWITCH.replace("| 1000 |", "| 999 |");
        let runs = [SWITCH, &other].map(|o| Switch::parse(o).unwrap());
        let err = Combined::of(
            "switch_cost",
            &runs.iter().map(|s| &s.rows).collect::<Vec<_>>(),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("in different rounds"), "{err}");
    }
}
