//! `cargo xtask bench`: runs the benchmarks of listings/ch12 in release
//! mode and writes their figures, two charts and the machine they ran on to
//! src/generated/ch12-figures.md, which chapter 12 includes.
//!
//! The figures are read from the tables the programs print (the same ones
//! a reader sees with `cargo run --release --bin <name>`). A table that no
//! longer looks as expected stops the command, naming the program and what
//! was expected: the page never shows a figure that was not measured.

use crate::cmd::target_dir;
use crate::{Result, cmd};
use expected_output::Kind;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Instant, SystemTime};

/// The file chapter 12 includes, relative to the repository root.
pub const FIGURES: &str = "src/generated/ch12-figures.md";

/// How many times each program runs by default. The figures vary between
/// runs of the same machine (one cross-CPU thread switch measured 30 µs on
/// one run and 5.6 µs on another), so the page gives the median and the
/// range over the rounds, never one run.
const ROUNDS: usize = 5;

/// `cargo xtask bench [--rounds N]`.
pub fn run(root: &Path, args: &[String]) -> Result {
    let rounds = match args {
        [] => ROUNDS,
        [flag, n] if flag == "--rounds" => match n.parse() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(
                    format!("--rounds takes a number >= 1, not `{n}`").into()
                );
            }
        },
        _ => return Err("bench takes only --rounds N".into()),
    };
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

    let mut machine = Machine::detect(root);
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

/// A cell that holds one quantity, e.g. `70.0ns`, in base units.
fn value(bench: &str, cell: &str) -> Result<f64> {
    match expected_output::parse_quantity(cell) {
        Some((q, "")) => Ok(q.value),
        _ => Err(format!("{bench}: `{cell}` is not a measured value").into()),
    }
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

/// Where the figures were measured.
struct Machine {
    cpu: String,
    cores: usize,
    os: String,
    rustc: String,
    tokio: String,
    date: String,
    /// The 1-minute load average when measuring started.
    load: Option<f64>,
}

/// The 1-minute load average (Linux: /proc/loadavg).
fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl Machine {
    fn detect(root: &Path) -> Self {
        let cpu = cpu_name();
        let output = |cmd: &mut Command| {
            cmd.output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "unknown".to_string())
        };
        let lock = fs::read_to_string(root.join("listings/ch12/Cargo.lock"))
            .unwrap_or_default();
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
pub(crate) fn cpu_name() -> String {
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
pub(crate) fn utc_now() -> String {
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
fn civil_from_days(days: i64) -> (i64, u32, u32) {
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

/// One figure over all rounds: its median and its range.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stat {
    median: f64,
    min: f64,
    max: f64,
    kind: Kind,
}

impl Stat {
    /// The median (the mean of the middle two for an even count), the
    /// smallest and the largest of `values`, which must not be empty.
    fn of(values: &[f64], kind: Kind) -> Stat {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        };
        Stat {
            median,
            min: v[0],
            max: v[v.len() - 1],
            kind,
        }
    }

    /// `116ns（110ns–130ns）`: the median, then the range; the median alone
    /// when every round measured the same or there was only one.
    fn text(&self) -> String {
        let median = quantity(self.median, self.kind);
        if self.min == self.max {
            return median;
        }
        format!(
            "{median}（{}–{}）",
            quantity(self.min, self.kind),
            quantity(self.max, self.kind)
        )
    }
}

/// A value in base units as text with a readable unit and three
/// significant digits at most, e.g. `1.18ms`, `9.6KiB`, `11x`.
fn quantity(value: f64, kind: Kind) -> String {
    let (scaled, unit) = match kind {
        Kind::Time if value < 1e-6 => (value * 1e9, "ns"),
        Kind::Time if value < 1e-3 => (value * 1e6, "µs"),
        Kind::Time if value < 1.0 => (value * 1e3, "ms"),
        Kind::Time => (value, "s"),
        Kind::Memory if value < 1024.0 => (value, "B"),
        Kind::Memory if value < 1024.0 * 1024.0 => (value / 1024.0, "KiB"),
        Kind::Memory if value < 1024.0 * 1024.0 * 1024.0 => {
            (value / (1024.0 * 1024.0), "MiB")
        }
        Kind::Memory => (value / (1024.0 * 1024.0 * 1024.0), "GiB"),
        Kind::Ratio => (value, "x"),
    };
    let digits = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}{unit}")
}

/// The same table from every round, with each measured cell replaced by
/// its [`Stat`]: the labels (and other text cells) come from the first
/// round and must be the same in all of them.
struct Combined {
    rows: Vec<Vec<String>>,
    stats: Vec<Vec<Option<Stat>>>,
}

impl Combined {
    fn of(bench: &str, tables: &[&Vec<Vec<String>>]) -> Result<Combined> {
        let first = tables[0];
        let mut rows = first.clone();
        let mut stats = vec![vec![None; first[0].len()]; first.len()];
        for (r, row) in first.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let cells: Vec<&String> =
                    tables.iter().map(|t| &t[r][c]).collect();
                match expected_output::parse_quantity(cell) {
                    Some((q, "")) => {
                        let values = cells
                            .iter()
                            .map(|cell| value(bench, cell))
                            .collect::<Result<Vec<f64>>>()?;
                        let stat = Stat::of(&values, q.kind);
                        rows[r][c] = stat.text();
                        stats[r][c] = Some(stat);
                    }
                    _ if cells.iter().any(|other| *other != cell) => {
                        return Err(format!(
                            "{bench}: row {r} column {c} reads {cells:?} in \
                             different rounds"
                        )
                        .into());
                    }
                    _ => {}
                }
            }
        }
        Ok(Combined { rows, stats })
    }

    fn stat(&self, row: usize, col: usize) -> Stat {
        self.stats[row][col].expect("a measured cell")
    }
}

/// What the page shows: every round of the three programs combined.
struct Figures {
    rounds: usize,
    switch: Combined,
    switch_runs: String,
    /// OS thread switch / tokio task switch: one CPU, two CPUs.
    switch_ratios: [Stat; 2],
    spawn: Combined,
    spawn_runs: String,
    cap_line: String,
    /// One OS thread / one tokio task: time, memory.
    spawn_ratios: [Stat; 2],
    sleep: Combined,
    sleep_plan: (String, String),
    /// Median lateness: hand-written loop, tokio.
    sleep_medians: [Stat; 2],
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

/// A markdown table: header cells, then rows.
fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut text =
        line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    text.push_str(&line(&vec!["---".to_string(); header.len()]));
    for row in rows {
        text.push_str(&line(row));
    }
    text
}

/// A bar chart of medians with their ranges: mermaid's xychart draws bar
/// series on top of each other, so the largest values go first and each
/// bar shows, from the bottom, the smallest, the median and the largest
/// round. Each label carries the median, since mermaid 11.6 draws no
/// numbers on the bars.
fn bar_chart(
    title: &str,
    unit: &str,
    bars: &[(&str, Stat)],
    scale: f64,
) -> String {
    let top = bars.iter().map(|b| b.1.max * scale).fold(0.0, f64::max);
    // A round axis end a little above the highest bar.
    let magnitude = 10f64.powf(top.log10().floor());
    let axis_end = ((top * 1.1 / magnitude).ceil() * magnitude).max(1.0);
    let labels: Vec<String> = bars
        .iter()
        .map(|(label, v)| format!("\"{label} {}\"", short(v.median * scale)))
        .collect();
    let series = |pick: fn(&Stat) -> f64| {
        let values: Vec<String> =
            bars.iter().map(|(_, v)| short(pick(v) * scale)).collect();
        format!("    bar [{}]\n", values.join(", "))
    };
    format!(
        "```mermaid\n---\nconfig:\n  xyChart:\n    height: 320\n---\n\
         xychart-beta\n    title \"{title}\"\n    \
         x-axis [{}]\n    y-axis \"{unit}\" 0 --> {axis_end}\n{}{}{}```\n",
        labels.join(", "),
        series(|s| s.max),
        series(|s| s.median),
        series(|s| s.min),
    )
}

/// A number with at most one decimal, without a trailing `.0`.
fn short(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

/// Replaces the English row labels of a table with Chinese ones.
fn relabel(rows: &[Vec<String>], labels: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .zip(labels)
        .map(|(row, label)| {
            let mut row = row.clone();
            row[0] = label.to_string();
            row
        })
        .collect()
}

fn render(
    m: &Machine,
    f: &Figures,
    measured_for: std::time::Duration,
) -> String {
    let mut page = String::new();
    page.push_str(
        "<!-- 此文件由 `cargo xtask bench` 写出（xtask/src/author/bench.rs），\
         请勿手改：重新测量即重新写出。 -->\n\n",
    );
    page.push_str("<!-- ANCHOR: summary -->\n");
    page.push_str(&summary(f, measured_for));
    page.push_str("<!-- ANCHOR_END: summary -->\n\n<!-- ANCHOR: details -->\n");
    page.push_str(&format!(
        "> 测量环境：{}，{} 个 CPU，{}；{}，tokio {}。\
         测量于 {}，三个程序各运行 {} 轮，共 {:.1} 秒{}。\
         表中每格是各轮的中位数，括号里是最小值–最大值。\n\n",
        m.cpu,
        m.cores,
        m.os,
        m.rustc,
        m.tokio,
        m.date,
        f.rounds,
        measured_for.as_secs_f64(),
        m.load.map_or(String::new(), |l| format!(
            "；开始时系统的 1 分钟平均负载为 {l:.2}"
        ))
    ));

    page.push_str(&format!(
        "**切换一次的代价**（`switch_cost`，每轮每行取 {} 次测量的中位数）\n\n",
        f.switch_runs
    ));
    page.push_str(&markdown_table(
        &["谁和谁来回传递", "来回次数", "每次切换"],
        &relabel(
            &f.switch.rows,
            &[
                "两个 tokio 任务，`yield_now`",
                "两个 tokio 任务，tokio `mpsc`",
                "两个 OS 线程，std `mpsc`，同一个 CPU",
                "两个 OS 线程，std `mpsc`，各占一个 CPU",
            ],
        ),
    ));

    page.push_str(&format!(
        "\n**启动、同时存活、再结束 N 个**（`spawn_cost`，每轮每种情况在新进程里\
         测 {} 次取中位数；内存是全部存活时 `VmRSS` 的增长）\n\n",
        f.spawn_runs
    ));
    let spawn_rows: Vec<Vec<String>> = f
        .spawn
        .rows
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row[0] = match row[0].as_str() {
                "tokio task" => "tokio 任务".to_string(),
                _ => "OS 线程".to_string(),
            };
            row[1] = row[1].replace(" (cap)", "（上限）");
            row
        })
        .collect();
    page.push_str(&markdown_table(
        &[
            "类型",
            "N",
            "启动到全部结束",
            "平均每个",
            "RSS 增长",
            "平均每个",
        ],
        &spawn_rows,
    ));
    page.push_str(&format!("\n{}\n\n", f.cap_line));

    page.push_str(&format!(
        "**睡眠醒来晚了多少**（`sleep_accuracy`，{} 个任务各睡 {} 次，\
         每次 1–5 ms）\n\n",
        f.sleep_plan.0, f.sleep_plan.1
    ));
    page.push_str(&markdown_table(
        &["执行器", "睡眠次数", "晚醒（中位数）", "晚醒（最大）"],
        &relabel(
            &f.sleep.rows,
            &[
                "手写的 SleepingLoop（`thread::sleep`）",
                "tokio 单线程运行时（它的计时器）",
            ],
        ),
    ));

    page.push_str(
        "\n一个 OS 线程的代价是一个 tokio 任务的多少倍（标签是中位数；\
         每根柱子从下往上的三段颜色依次到各轮的最小值、中位数和最大值）：\n\n",
    );
    page.push_str(&bar_chart(
        "OS 线程 ÷ tokio 任务",
        "倍",
        &[
            ("切换·同一 CPU", f.switch_ratios[0]),
            ("切换·两个 CPU", f.switch_ratios[1]),
            ("启动+结束", f.spawn_ratios[0]),
            ("内存", f.spawn_ratios[1]),
        ],
        1.0,
    ));
    page.push_str("\n两个执行器的晚醒中位数（微秒，画法同上）：\n\n");
    page.push_str(&bar_chart(
        "睡眠晚醒的中位数",
        "微秒",
        &[
            ("SleepingLoop", f.sleep_medians[0]),
            ("tokio", f.sleep_medians[1]),
        ],
        1e6,
    ));
    page.push_str("<!-- ANCHOR_END: details -->\n");
    page
}

/// The key figures as a list: medians over the rounds, with their ranges.
fn summary(f: &Figures, measured_for: std::time::Duration) -> String {
    let ratio = |s: &Stat| {
        if s.min == s.max {
            format!("{} 倍", short(s.median))
        } else {
            format!(
                "{} 倍（{}–{}）",
                short(s.median),
                short(s.min),
                short(s.max)
            )
        }
    };
    let sw = &f.switch;
    let sp = &f.spawn;
    let sl = &f.sleep;
    format!(
        "- **切换**：两个 tokio 任务经 `mpsc` 来回传递，每次切换 {}\
         （只用 `yield_now` 互相让出：{}）；两个 OS 线程在同一个 CPU 上 \
         {}，是任务的 {}；各占一个 CPU 时 {}，是 {}。\n\
         - **启动并结束**：平均每个 tokio 任务 {}，每个 OS 线程 {}，是任务的 {}。\n\
         - **内存**：每个 tokio 任务让常驻内存（RSS）增长 {}，每个 OS 线程 \
         {}，是任务的 {}。\n\
         - **睡眠晚醒的中位数**：手写的 SleepingLoop {}，tokio 的计时器 {}。\n\
         - 每个数都是 {} 轮测量的中位数，括号里是最小值–最大值；\
         三个程序一共运行了 {:.1} 秒（`cargo xtask bench`）。\n",
        sw.stat(1, 2).text(),
        sw.stat(0, 2).text(),
        sw.stat(2, 2).text(),
        ratio(&f.switch_ratios[0]),
        sw.stat(3, 2).text(),
        ratio(&f.switch_ratios[1]),
        sp.stat(0, 3).text(),
        sp.stat(1, 3).text(),
        ratio(&f.spawn_ratios[0]),
        sp.stat(0, 5).text(),
        sp.stat(1, 5).text(),
        ratio(&f.spawn_ratios[1]),
        sl.stat(0, 2).text(),
        sl.stat(1, 2).text(),
        f.rounds,
        measured_for.as_secs_f64()
    )
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
            &Machine::detect(Path::new(env!("CARGO_MANIFEST_DIR"))),
            &figures,
            std::time::Duration::from_secs(1),
        );
        assert_eq!(page.matches("xychart-beta").count(), 2);
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

    #[test]
    fn quantities_read_well() {
        assert_eq!(quantity(1.181e-3, Kind::Time), "1.18ms");
        assert_eq!(quantity(116e-9, Kind::Time), "116ns");
        assert_eq!(quantity(9.6 * 1024.0, Kind::Memory), "9.6KiB");
        assert_eq!(quantity(596.0, Kind::Memory), "596B");
        assert_eq!(quantity(11.0, Kind::Ratio), "11x");
        assert_eq!(Stat::of(&[1.0, 3.0], Kind::Ratio).median, 2.0);
    }

    #[test]
    fn charts_show_the_range_behind_the_median() {
        let stat = |median, min, max| Stat {
            median,
            min,
            max,
            kind: Kind::Ratio,
        };
        let chart = bar_chart(
            "t",
            "倍",
            &[
                ("a", stat(10.84, 9.0, 12.0)),
                ("b", stat(254.0, 47.0, 354.0)),
            ],
            1.0,
        );
        assert!(chart.contains("x-axis [\"a 10.8\", \"b 254\"]"), "{chart}");
        assert!(chart.contains("y-axis \"倍\" 0 --> 400"), "{chart}");
        let bars: Vec<&str> = chart
            .lines()
            .filter(|l| l.trim_start().starts_with("bar"))
            .collect();
        assert_eq!(
            bars,
            [
                "    bar [12, 354]",
                "    bar [10.8, 254]",
                "    bar [9, 47]"
            ]
        );
    }
}
