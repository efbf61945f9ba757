//! Chapter 12's figures file, src/generated/ch12-figures.md: the summary,
//! the tables, the charts and the figures its prose cites, from the rounds
//! that bench.rs measured.

use super::bench::Figures;
use super::charts::{bar_chart, bar_charts};
use super::machine::Machine;
use super::page::{markdown_table, prose_figures, relabel, written_by};
use super::stats::{Stat, quantity, short};

pub fn render(
    m: &Machine,
    f: &Figures,
    measured_for: std::time::Duration,
) -> String {
    let mut page = String::new();
    page.push_str(&written_by(
        "cargo xtask bench",
        "xtask/src/author/bench.rs 和 ch12_page.rs",
    ));
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
         每根柱子从下往上的三段颜色依次到各轮的最小值、中位数和最大值；\
         倍数相差很大的几项分开画，各用自己的纵轴）：\n\n",
    );
    page.push_str(&bar_charts(
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
    page.push_str("<!-- ANCHOR_END: details -->\n\n");
    page.push_str(&prose_figures(&cited(f)));
    page
}

/// The figures chapter 12's prose cites, by anchor: medians of the rounds,
/// and the range where the prose speaks of how much a figure varies.
fn cited(f: &Figures) -> Vec<(&'static str, String)> {
    let median = |s: Stat| quantity(s.median, s.kind);
    let times = |s: &Stat| format!("{} 倍", short(s.median));
    // One round, or every round the same: the one value.
    let range = |s: Stat| {
        if s.min == s.max {
            return quantity(s.min, s.kind);
        }
        format!("{}–{}", quantity(s.min, s.kind), quantity(s.max, s.kind))
    };
    let (sw, sp, sl) = (&f.switch, &f.spawn, &f.sleep);
    vec![
        ("task_switch", median(sw.stat(1, 2))),
        ("task_yield", median(sw.stat(0, 2))),
        ("thread_switch_one_cpu", median(sw.stat(2, 2))),
        ("thread_over_task_one_cpu", times(&f.switch_ratios[0])),
        ("thread_switch_two_cpus", median(sw.stat(3, 2))),
        ("thread_switch_two_cpus_range", range(sw.stat(3, 2))),
        ("thread_over_task_two_cpus", times(&f.switch_ratios[1])),
        ("rounds", f.rounds.to_string()),
        ("task_spawn_n", sp.rows[0][1].clone()),
        ("task_spawn", median(sp.stat(0, 3))),
        ("task_spawn_many_n", sp.rows[2][1].clone()),
        ("task_spawn_many", median(sp.stat(2, 3))),
        ("thread_spawn_n", sp.rows[1][1].replace(" (cap)", "")),
        ("thread_spawn", median(sp.stat(1, 3))),
        ("thread_over_task_spawn", times(&f.spawn_ratios[0])),
        ("task_memory", median(sp.stat(0, 5))),
        ("task_memory_many", median(sp.stat(2, 5))),
        ("thread_memory", median(sp.stat(1, 5))),
        ("thread_over_task_memory", times(&f.spawn_ratios[1])),
        ("sleeping_loop_late", median(sl.stat(0, 2))),
        ("tokio_late", median(sl.stat(1, 2))),
    ]
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
