//! Rendering: the figures of all rounds as medians with their ranges and
//! ratios to tokio `current_thread`, in the Markdown page chapter 27
//! includes (tables, a few computed comparisons, mermaid charts that
//! `cargo xtask diagrams` draws as light and dark SVGs).

use super::measure::{
    Plan, Round, cpu_key, kernel_key, latency_key, memory_key, rps_key,
    total_key,
};
use super::servers::SERVERS;
use crate::author::charts::bar_charts;
use crate::author::page::written_by;
use crate::author::stats::{Stat, quantity};
use expected_output::Kind;

/// A figure over the rounds; `None` when no round measured it.
fn stat(values: &[f64]) -> Option<Stat> {
    (!values.is_empty()).then(|| Stat::of(values, Kind::Ratio))
}

/// Where and with what the figures were measured.
pub struct Context {
    pub cpu: String,
    pub cores: usize,
    pub os: String,
    pub python: String,
    pub gevent: String,
    pub uvloop: String,
    pub curio: String,
    pub twisted: String,
    pub tokio: String,
    pub date: String,
    pub load_start: Option<f64>,
    pub load_end: Option<f64>,
    /// The highest, over all rounds, of the one-second sample the wait for
    /// quiet CPUs ended on before each round, as a share of all CPUs.
    pub busy_max: Option<f64>,
    pub rounds: usize,
    pub seconds: f64,
}

/// How a figure is shown.
#[derive(Clone, Copy)]
enum Unit {
    PerSecond,
    Micros,
    Bytes,
}

/// Rates in lines per second; latencies (µs) and memory (bytes) as the
/// other benches show them.
fn show(v: f64, unit: Unit) -> String {
    match unit {
        Unit::PerSecond if v >= 1000.0 => {
            format!("{}k/s", three_digits(v / 1000.0))
        }
        Unit::PerSecond => format!("{}/s", three_digits(v)),
        Unit::Micros => quantity(v * 1e-6, Kind::Time),
        // The kernel's share is a difference of machine-wide counters.
        Unit::Bytes if v < 0.0 => format!("−{}", quantity(-v, Kind::Memory)),
        Unit::Bytes => quantity(v, Kind::Memory),
    }
}

fn three_digits(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The values of one server's figure over the rounds that have it.
fn values(rounds: &[Round], label: &str, key: &str) -> Vec<f64> {
    rounds
        .iter()
        .filter_map(|r| r.figures.get(label)?.get(key)?.as_ref().ok())
        .copied()
        .collect()
}

/// Why a figure is missing (the first round's reason).
fn reason(rounds: &[Round], label: &str, key: &str) -> Option<String> {
    rounds
        .iter()
        .find_map(|r| r.figures.get(label)?.get(key)?.as_ref().err())
        .cloned()
}

/// `a / b` round by round, over the rounds where both were measured.
pub fn ratio(rounds: &[Round], a: &str, b: &str, key: &str) -> Option<Stat> {
    let pairs: Vec<f64> = rounds
        .iter()
        .filter_map(|r| {
            let a = r.figures.get(a)?.get(key)?.as_ref().ok()?;
            let b = r.figures.get(b)?.get(key)?.as_ref().ok()?;
            (*b > 0.0).then(|| a / b)
        })
        .collect();
    stat(&pairs)
}

/// `a − b` round by round, over the rounds where both were measured.
fn difference(rounds: &[Round], a: &str, b: &str, key: &str) -> Option<Stat> {
    let pairs: Vec<f64> = rounds
        .iter()
        .filter_map(|r| {
            let a = r.figures.get(a)?.get(key)?.as_ref().ok()?;
            let b = r.figures.get(b)?.get(key)?.as_ref().ok()?;
            Some(a - b)
        })
        .collect();
    stat(&pairs)
}

/// A percentile is shown only where at least this many samples lie
/// beyond it in every round: the p99.9 of 1,500 samples would be the
/// second-slowest sample, one event, not a tail.
const TAIL_SAMPLES: f64 = 10.0;

/// The fewest samples any server's measurement at rate `which` had.
fn fewest_samples(rounds: &[Round], which: &str) -> Option<f64> {
    let key = latency_key(which, "received");
    rounds
        .iter()
        .flat_map(|r| r.figures.values())
        .filter_map(|f| f.get(&key)?.as_ref().ok().copied())
        .reduce(f64::min)
}

/// The percentiles shown at rate `which`, and the ones left out.
fn percentiles(
    rounds: &[Round],
    which: &str,
) -> (Vec<(&'static str, &'static str, f64)>, Vec<&'static str>) {
    let all = [
        ("p50_us", "p50", 0.5),
        ("p99_us", "p99", 0.99),
        ("p999_us", "p99.9", 0.999),
    ];
    let n = fewest_samples(rounds, which).unwrap_or(0.0);
    let (shown, left): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|&(_, _, q)| n * (1.0 - q) >= TAIL_SAMPLES - 1e-9);
    (shown, left.into_iter().map(|(_, name, _)| name).collect())
}

/// For the caption: which percentiles a rate leaves out, and why.
fn left_out(rounds: &[Round], rates: &[(&str, String)]) -> String {
    let mut text = String::new();
    for (which, rate) in rates {
        let (_, left) = percentiles(rounds, which);
        if let (false, Some(n)) =
            (left.is_empty(), fewest_samples(rounds, which))
        {
            text.push_str(&format!(
                "{rate} 时样本最少的一次只有 {n:.0} 个，比 {} 慢的不到 \
                 {TAIL_SAMPLES:.0} 个，所以不列出。",
                left.join("、")
            ));
        }
    }
    text
}

fn range(s: &Stat, unit: Unit) -> String {
    if s.min == s.max {
        show(s.median, unit)
    } else {
        format!(
            "{}（{}–{}）",
            show(s.median, unit),
            show(s.min, unit),
            show(s.max, unit)
        )
    }
}

fn times(s: &Stat) -> String {
    if s.min == s.max {
        format!("{}×", ratio_digits(s.median))
    } else {
        format!(
            "{}×（{}–{}）",
            ratio_digits(s.median),
            ratio_digits(s.min),
            ratio_digits(s.max)
        )
    }
}

/// A ratio under 0.01 would print as `0.00`, which reads as "none at all".
fn ratio_digits(v: f64) -> String {
    if v > 0.0 && v < 0.01 {
        "<0.01".to_string()
    } else {
        three_digits(v)
    }
}

/// A table cell: median (range), then the ratio to the reference server
/// in the same rounds; a failure shows as a numbered note.
fn cell(
    rounds: &[Round],
    label: &str,
    key: &str,
    unit: Unit,
    notes: &mut Vec<String>,
) -> String {
    let reference = SERVERS[0].label;
    match stat(&values(rounds, label, key)) {
        Some(s) => {
            let mut text = range(&s, unit);
            if label != reference
                && let Some(r) = ratio(rounds, label, reference, key)
            {
                text.push_str(&format!("，{}", times(&r)));
            }
            if let Some(why) = reason(rounds, label, key) {
                notes.push(format!("{label}（{key}，有一轮失败）：{why}"));
                text.push_str(&format!(" [{}]", notes.len()));
            }
            text
        }
        None => {
            let why = reason(rounds, label, key)
                .unwrap_or_else(|| "没有测量".to_string());
            notes.push(format!("{label}（{key}）：{}", why.replace('\n', " ")));
            format!("失败 [{}]", notes.len())
        }
    }
}

fn table(
    rounds: &[Round],
    header: &[String],
    columns: &[(String, Unit)],
    notes: &mut Vec<String>,
) -> String {
    let mut text = format!("| 服务器 | {} |\n", header.join(" | "));
    text.push_str(&format!("|{}\n", " --- |".repeat(header.len() + 1)));
    for spec in &SERVERS {
        let cells: Vec<String> = columns
            .iter()
            .map(|(key, unit)| cell(rounds, spec.label, key, *unit, notes))
            .collect();
        text.push_str(&format!("| {} | {} |\n", spec.label, cells.join(" | ")));
    }
    text
}

fn notes_text(notes: &[String]) -> String {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| format!("[{}] {n}\n", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tables alone, for the terminal.
pub fn tables(rounds: &[Round], plan: &Plan) -> String {
    let mut notes = Vec::new();
    let mut text = String::new();
    for &size in &plan.sizes {
        text.push_str(&throughput_table(rounds, plan, size, &mut notes));
        text.push('\n');
    }
    text.push_str(&latency_table(rounds, &mut notes));
    text.push('\n');
    text.push_str(&memory_table(rounds, plan, &mut notes));
    text.push('\n');
    text.push_str(&notes_text(&notes));
    text
}

fn throughput_table(
    rounds: &[Round],
    plan: &Plan,
    size: usize,
    notes: &mut Vec<String>,
) -> String {
    let header: Vec<String> = plan
        .conns
        .iter()
        .map(|c| format!("{c} 个连接，{size} 字节"))
        .collect();
    let columns: Vec<(String, Unit)> = plan
        .conns
        .iter()
        .map(|&c| (rps_key(c, size), Unit::PerSecond))
        .collect();
    table(rounds, &header, &columns, notes)
}

/// The rates of the latency table: the low one, and the high one when
/// it was measured, each with its label.
fn rates(rounds: &[Round]) -> Vec<(&'static str, String)> {
    let high = stat(
        &rounds
            .iter()
            .map(|r| r.high_rate as f64)
            .collect::<Vec<_>>(),
    );
    let low = rounds.first().map_or(0, |r| r.low_rate);
    let mut rates = vec![("low", format!("{low}/s"))];
    if let Some(h) = high.filter(|h| h.max > 0.0) {
        rates.push(("high", range(&h, Unit::PerSecond)));
    }
    rates
}

fn latency_table(rounds: &[Round], notes: &mut Vec<String>) -> String {
    let mut header = Vec::new();
    let mut columns = Vec::new();
    let rates = rates(rounds);
    for (which, rate) in &rates {
        for (q, name, _) in percentiles(rounds, which).0 {
            header.push(format!("{rate} 时 {name}"));
            columns.push((latency_key(which, q), Unit::Micros));
        }
    }
    for (which, rate) in &rates {
        header.push(format!("{rate} 时发送方自身迟到 p99"));
        columns.push((latency_key(which, "pacer_p99_us"), Unit::Micros));
    }
    table(rounds, &header, &columns, notes)
}

fn memory_table(
    rounds: &[Round],
    plan: &Plan,
    notes: &mut Vec<String>,
) -> String {
    let mut header = Vec::new();
    let mut columns = Vec::new();
    for &c in &plan.idle_counts {
        header.push(format!("0 → {c} 个空闲连接，VmRSS，每个"));
        columns.push((memory_key(c), Unit::Bytes));
    }
    for &c in &plan.idle_counts {
        header.push(format!("0 → {c} 个空闲连接，内核，每个"));
        columns.push((kernel_key(c), Unit::Bytes));
    }
    table(rounds, &header, &columns, notes)
}

/// One comparison an article makes, as a sentence with the ratio.
fn compare(rounds: &[Round], a: &str, b: &str, key: &str) -> String {
    match ratio(rounds, a, b, key) {
        Some(r) => times(&r),
        None => "（没有测到）".to_string(),
    }
}

fn claims(rounds: &[Round], plan: &Plan) -> String {
    let low = rps_key(plan.conns[0], 64);
    let high = rps_key(*plan.conns.last().unwrap(), 64);
    let mid = plan.rate_basis();
    // The row nearest the setup of the curio FAQ's benchmark (one client
    // connection, 1000-byte messages): the fewest connections, the
    // longest lines.
    let faq = rps_key(plan.conns[0], *plan.sizes.last().unwrap());
    // Every server holds the smaller count; not all hold the larger one.
    let n = plan.idle_counts[0];
    let mem = memory_key(n);
    // The kernel's share is a machine-wide difference: other processes
    // move it by megabytes, which the larger count divides by more.
    let big = *plan.idle_counts.last().unwrap();
    let total = total_key(big);
    let kernel = kernel_key(big);
    let big_mem = memory_key(big);
    let c = |a: &str, b: &str, key: &str| compare(rounds, a, b, key);
    let more = |a: &str, b: &str, key: &str| match difference(rounds, a, b, key)
    {
        Some(d) => range(&d, Unit::Bytes),
        None => "（没有测到）".to_string(),
    };
    let lo = plan.conns[0];
    let hi = plan.conns.last().unwrap();
    let reference = SERVERS[0].label;
    let figure = |key: &str| match stat(&values(rounds, reference, key)) {
        Some(s) => range(&s, Unit::Micros),
        None => "（没有测到）".to_string(),
    };
    let p50 = |which: &str| latency_key(which, "p50_us");
    // How many servers' median p50 is higher at the low rate than at the
    // high one, of those measured at both.
    let median = |label: &str, key: &str| {
        Some(stat(&values(rounds, label, key))?.median)
    };
    let both: Vec<bool> = SERVERS
        .iter()
        .filter_map(|s| {
            let low = median(s.label, &p50("low"))?;
            let high = median(s.label, &p50("high"))?;
            Some(low > high)
        })
        .collect();
    let slower = both.iter().filter(|&&b| b).count();
    let measured = both.len();
    // The Rust coroutine servers' CPU: busy, and mostly in the kernel?
    let share = |label: &str, what: &str| match stat(&values(
        rounds,
        label,
        &cpu_key(what),
    )) {
        Some(s) => format!("{:.0}%", s.median * 100.0),
        None => "（没有测到）".to_string(),
    };
    let cpu: Vec<String> = SERVERS[..3]
        .iter()
        .map(|s| {
            format!(
                "{} 用了一个 CPU 的 {}，其中内核态占 {}",
                s.label,
                share(s.label, "server_busy"),
                share(s.label, "server_kernel")
            )
        })
        .collect();
    let cpu = cpu.join("；");
    format!(
        "- 线程与协程（64 字节的行，吞吐量之比）：{lo} 个连接时，std threads 是 \
         tokio current_thread 的 {}，Python threads 是 asyncio 的 {}、是 gevent \
         的 {}；{hi} 个连接时依次是 {}、{}、{}。\n\
         - 每个空闲连接的内存（{n} 个连接，只算 VmRSS）：Python threads 是 gevent \
         的 {}，asyncio 是 gevent 的 {}，std threads 是 tokio current_thread 的 {}。\n\
         - 把内核一侧也算上（VmRSS 加内核，{big} 个连接）：Python threads 是 gevent \
         的 {}，std threads 是 tokio current_thread 的 {}。单看内核一侧，每个连接 \
         std threads 比 tokio current_thread 多 {}，Python threads 比 gevent 多 {}；\
         VmRSS 一侧分别多 {}、{}。\n\
         - 服务器的 CPU（{mid}的吞吐量测量，连同建立连接和预热，各轮的中位数）：{cpu}。\n\
         - uvloop：吞吐量（{mid}）是 asyncio 的 {}；p99 延迟（高速率）是 \
         asyncio 的 {}。\n\
         - curio 的 FAQ（Cannon 文中引用）：比 Twisted 快 30–40%，比 gevent 慢 \
         10–15%。这里 curio 的吞吐量（{faq}）是 Twisted 的 {}、是 gevent 的 {}；\
         （{mid}）是 Twisted 的 {}、是 gevent 的 {}。\n\
         - 低速率时 {reference} 的 p50：{}；高速率时：{}。低速率的 p50（中位数）高于高速率的服务器：{measured} 个里有 \
         {slower} 个。\n",
        c("std threads", "tokio current_thread", &low),
        c("Python threads", "asyncio", &low),
        c("Python threads", "gevent", &low),
        c("std threads", "tokio current_thread", &high),
        c("Python threads", "asyncio", &high),
        c("Python threads", "gevent", &high),
        c("Python threads", "gevent", &mem),
        c("asyncio", "gevent", &mem),
        c("std threads", "tokio current_thread", &mem),
        c("Python threads", "gevent", &total),
        c("std threads", "tokio current_thread", &total),
        more("std threads", "tokio current_thread", &kernel),
        more("Python threads", "gevent", &kernel),
        more("std threads", "tokio current_thread", &big_mem),
        more("Python threads", "gevent", &big_mem),
        c("asyncio + uvloop", "asyncio", &mid),
        c("asyncio + uvloop", "asyncio", &latency_key("high", "p99_us")),
        c("curio", "Twisted", &faq),
        c("curio", "gevent", &faq),
        c("curio", "Twisted", &mid),
        c("curio", "gevent", &mid),
        figure(&p50("low")),
        figure(&p50("high")),
    )
    .replace(&mid, &describe(&mid))
    .replace(&faq, &describe(&faq))
}

/// `rps 100 64` as words.
fn describe(key: &str) -> String {
    let words: Vec<&str> = key.split(' ').collect();
    match words[..] {
        ["rps", conns, size] => format!("{conns} 个连接、{size} 字节的行"),
        _ => key.to_string(),
    }
}

/// Bar charts of one figure's medians and ranges, every server that has
/// it (servers far apart go to separate charts, see `charts`).
fn chart(
    rounds: &[Round],
    title: &str,
    unit: &str,
    key: &str,
    scale: f64,
) -> String {
    let bars: Vec<(&str, Stat)> = SERVERS
        .iter()
        .filter_map(|s| Some((s.label, stat(&values(rounds, s.label, key))?)))
        .collect();
    if bars.is_empty() {
        return String::new();
    }
    bar_charts(title, unit, &bars, scale)
}

pub fn page(rounds: &[Round], plan: &Plan, ctx: &Context) -> String {
    let mut notes = Vec::new();
    let load =
        |l: Option<f64>| l.map_or("未知".to_string(), |l| format!("{l:.2}"));
    let mut page =
        written_by("cargo xtask bench-net", "xtask/src/author/bench_net/");
    page.push_str(&format!(
        "<!-- ANCHOR: env -->\n> 测量环境：{}，{} 个 CPU，{}；Python {}，\
         uvloop {}，gevent {}，curio {}，Twisted {}，tokio {}。\
         测量于 {}，{} 轮，共 {:.0} 秒。每一轮开始前、被测的程序都没有运行时，\
         所有 CPU 合计，一秒钟里忙的时间最多占 {}（那是别的进程；它接近 0，每一轮开始时机器才是\
         安静的）。1 分钟平均负载开始时 {}、结束时 {}：它数的是可运行和不可中断\
         的线程，被测的每连接一个线程的服务器关闭一万个连接时的线程也算在内，\
         所以只是一个粗略的提示。\
         负载生成器固定在 CPU 0，每个服务器固定在 CPU 1（`taskset`）。\
         每格是各轮的中位数，括号里是最小值–最大值，逗号后是同一轮里与 \
         tokio current_thread 之比的中位数（及范围）。\n<!-- ANCHOR_END: env -->\n\n",
        ctx.cpu,
        ctx.cores,
        ctx.os,
        ctx.python,
        ctx.uvloop,
        ctx.gevent,
        ctx.curio,
        ctx.twisted,
        ctx.tokio,
        ctx.date,
        ctx.rounds,
        ctx.seconds,
        ctx.busy_max
            .map_or("未知".to_string(), |b| format!("{:.1}%", b * 100.0)),
        load(ctx.load_start),
        load(ctx.load_end),
    ));
    page.push_str("<!-- ANCHOR: throughput -->\n");
    for &size in &plan.sizes {
        page.push_str(&format!(
            "**吞吐量**（每秒回显的行数，闭环：每个连接发一行、等到回显再发下一行；\
             预热 {} ms 后计 {} ms），{size} 字节的行\n\n",
            plan.warmup_ms, plan.measure_ms
        ));
        page.push_str(&throughput_table(rounds, plan, size, &mut notes));
        page.push('\n');
    }
    page.push_str(
        "<!-- ANCHOR_END: throughput -->\n\n<!-- ANCHOR: latency -->\n",
    );
    page.push_str(&format!(
        "**延迟**（开环：发送时刻事先排定，{} 个连接轮流发 64 字节的行，每个速率 \
         {} ms；延迟从排定的时刻算起）。低速率固定；高速率取同一轮里最慢的服务器\
         闭环吞吐量（{}）的 {:.0}%。一个分位数只在每一次测量里都有至少 \
         {TAIL_SAMPLES:.0} 个样本比它慢时才列出。{}\n\n",
        plan.latency_conns,
        plan.latency_ms,
        describe(&plan.rate_basis()),
        plan.high_fraction * 100.0,
        left_out(rounds, &rates(rounds)),
    ));
    page.push_str(&latency_table(rounds, &mut notes));
    page.push_str("<!-- ANCHOR_END: latency -->\n\n<!-- ANCHOR: memory -->\n");
    page.push_str(
        "**每个空闲连接的内存**（增长量除以连接数；每个连接先回显一行，确保服务器\
         已经接受它）。VmRSS 是服务器进程的常驻内存。内核一栏是服务器的页表\
         （`VmPTE`）加上整台机器的内核栈和 slab（`/proc/meminfo` 的 `KernelStack`、\
         `Slab`）的增长：其中也有负载生成器一端的套接字，对每个服务器都一样；\
         别的进程同时分配或释放的内核内存也会算进来，所以它比 VmRSS 一栏粗糙。\n\n",
    );
    page.push_str(&memory_table(rounds, plan, &mut notes));
    page.push_str("<!-- ANCHOR_END: memory -->\n\n<!-- ANCHOR: notes -->\n");
    if notes.is_empty() {
        page.push_str("每个服务器的每一项都测到了，没有失败。\n");
    } else {
        page.push_str("失败的测量和原因：\n\n");
        page.push_str(&notes_text(&notes));
    }
    page.push_str("<!-- ANCHOR_END: notes -->\n\n<!-- ANCHOR: claims -->\n");
    page.push_str(&claims(rounds, plan));
    page.push_str("<!-- ANCHOR_END: claims -->\n\n<!-- ANCHOR: charts -->\n");
    let mid = plan.rate_basis();
    page.push_str(&chart(
        rounds,
        &format!("吞吐量，{}", describe(&mid)),
        "千行/秒",
        &mid,
        1e-3,
    ));
    page.push('\n');
    let mem = memory_key(*plan.idle_counts.last().unwrap());
    page.push_str(&chart(
        rounds,
        &format!(
            "每个空闲连接的内存，{} 个连接",
            plan.idle_counts.last().unwrap()
        ),
        "KiB",
        &mem,
        1.0 / 1024.0,
    ));
    // No latency chart: the table has every percentile, and two more
    // charts (light and dark) would take the page past its 350 KiB budget.
    page.push_str("<!-- ANCHOR_END: charts -->\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One round in which every server has every figure of the full plan:
    /// the latency at the low rate from 1,500 samples, at the high rate
    /// from 90,000.
    fn round(plan: &Plan) -> Round {
        let mut round = Round {
            low_rate: plan.low_rate,
            high_rate: 60_000,
            ..Round::default()
        };
        for (i, spec) in SERVERS.iter().enumerate() {
            let f = round.figures.entry(spec.label).or_default();
            let x = 1.0 + i as f64;
            for &c in &plan.conns {
                for &s in &plan.sizes {
                    f.insert(rps_key(c, s), Ok(100_000.0 / x));
                }
            }
            for &c in &plan.idle_counts {
                f.insert(memory_key(c), Ok(9000.0 * x));
                f.insert(kernel_key(c), Ok(7000.0 * x));
                f.insert(total_key(c), Ok(16_000.0 * x));
            }
            for (which, n, p50) in
                [("low", 1500.0, 60.0), ("high", 90_000.0, 25.0)]
            {
                for (q, v) in
                    [("p50_us", p50), ("p99_us", 200.0), ("p999_us", 900.0)]
                {
                    f.insert(latency_key(which, q), Ok(v));
                }
                f.insert(latency_key(which, "pacer_p99_us"), Ok(20.0));
                f.insert(latency_key(which, "received"), Ok(n));
            }
            f.insert(cpu_key("server_busy"), Ok(0.97));
            f.insert(cpu_key("server_kernel"), Ok(0.89));
        }
        round
    }

    #[test]
    fn a_percentile_with_too_few_samples_beyond_it_is_left_out() {
        let plan = Plan::full();
        let rounds = [round(&plan)];
        let mut notes = Vec::new();
        let table = latency_table(&rounds, &mut notes);
        let header = table.lines().next().unwrap();
        assert!(header.contains("1000/s 时 p99 |"), "{header}");
        assert!(!header.contains("1000/s 时 p99.9"), "{header}");
        assert!(header.contains("60.0k/s 时 p99.9"), "{header}");
        let caption = left_out(&rounds, &rates(&rounds));
        assert!(
            caption.contains("1000/s 时样本最少的一次只有 1500 个"),
            "{caption}"
        );
        assert!(!caption.contains("60.0k/s"), "{caption}");
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn the_claims_count_the_servers_and_name_their_cpu() {
        let plan = Plan::full();
        let claims = claims(&[round(&plan)], &plan);
        assert!(claims.contains("10 个里有 10 个"), "{claims}");
        assert!(
            claims.contains("用了一个 CPU 的 97%，其中内核态占 89%"),
            "{claims}"
        );
        assert!(!claims.contains("没有测到"), "{claims}");
    }
}
