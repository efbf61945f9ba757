//! `cargo xtask timelines`: draws each timed listing's recorded run as a
//! static SVG, `src/generated/timelines/<name>.svg`, which its chapter
//! includes inline (no script: it prints and shows in the PDF). One lane
//! per task, one dot per output line at the moment it arrived; several
//! runs (e.g. a blocking variant, or the Python original) share one time
//! axis, one above the other, each from its own process start. `cargo xtask test` fails when a committed
//! picture differs from what its expected files give (checks/timelines.rs).
//!
//! Which line belongs to which task is declared here, per listing, never
//! guessed.

use crate::Result;
use expected_output::markdown::escape_html;
use expected_output::{Line, render};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One picture.
pub struct Timeline {
    /// `src/generated/timelines/<name>.svg`.
    pub name: &'static str,
    /// What the picture shows, for screen readers and as its title.
    pub title: &'static str,
    /// The runs, drawn top to bottom on one time axis.
    pub runs: &'static [Run],
    /// The tasks, top to bottom in each run.
    pub tasks: &'static [Task],
    /// The lane of lines that belong to no task (totals printed by `main`).
    pub rest: &'static str,
}

pub struct Run {
    /// Expected-output file, relative to the repository root.
    pub file: &'static str,
    /// A Python original's output: drawn when the file exists and records
    /// arrival times (`cargo xtask record` fills them in); skipped with a
    /// note otherwise.
    pub optional: bool,
}

pub struct Task {
    pub label: &'static str,
    /// A line belongs to the first task whose marker it contains.
    pub marker: &'static str,
    /// Which part of the line the dot is labelled with.
    pub show: Show,
}

#[derive(Clone, Copy)]
pub enum Show {
    /// The text after the marker (`A T-minus 5` → `T-minus 5`).
    After,
    /// The text before the marker (`T-minus 2 (A)` → `T-minus 2`).
    Before,
    Whole,
}

const fn task(label: &'static str, marker: &'static str, show: Show) -> Task {
    Task {
        label,
        marker,
        show,
    }
}

const fn rust(file: &'static str) -> Run {
    Run {
        file,
        optional: false,
    }
}

const fn python(file: &'static str) -> Run {
    Run {
        file,
        optional: true,
    }
}

/// The pictures. The Python originals are named where the Python runner
/// keeps them (listings/chNN/python/output/).
pub const TIMELINES: &[Timeline] = &[
    Timeline {
        name: "ch05-event_loop",
        title: "事件循环：A、B 两个倒计时和一个 1.5 秒定时器",
        runs: &[
            rust("listings/ch05/output/event_loop.txt"),
            python("listings/ch05/python/output/event_loop.txt"),
        ],
        tasks: &[
            task("A", "] A: ", Show::After),
            task("B", "] B: ", Show::After),
            task("定时器", "定时器", Show::Whole),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch06-countdown",
        title: "两个倒计时任务 A 和 B 交替打印",
        runs: &[
            rust("listings/ch06/output/countdown.txt"),
            python("listings/ch06/python/output/countdown.txt"),
        ],
        tasks: &[
            task("A", "(A)", Show::Before),
            task("B", "(B)", Show::Before),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch18-wake_loop",
        title: "唤醒驱动的执行器：第 10 章的三个倒计时，上面是本章的执行器，下面是第 10 章的 Python 原文",
        runs: &[
            rust("listings/ch18/output/wake_loop.txt"),
            python("listings/ch10/python/output/sleeping_loop.txt"),
        ],
        tasks: &[
            task("A", "A ", Show::After),
            task("B", "B ", Show::After),
            task("C", "C ", Show::After),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch10-sleeping_loop",
        title: "SleepingLoop：A、C、B 三个倒计时分别在 0、1、2 秒开始",
        runs: &[
            rust("listings/ch10/output/sleeping_loop.txt"),
            python("listings/ch10/python/output/sleeping_loop.txt"),
        ],
        tasks: &[
            task("A", "A ", Show::After),
            task("B", "B ", Show::After),
            task("C", "C ", Show::After),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch14-eat_play",
        title: "吃和玩：异步睡眠时重叠（约 5 秒），阻塞睡眠时串行（约 8 秒）",
        runs: &[
            rust("listings/ch14/output/eat_play.txt"),
            rust("listings/ch14/output/eat_play_blocking.txt"),
            rust("listings/ch14/output/eat_play_spawn_blocking.txt"),
            python("listings/ch14/python/output/eat_play.txt"),
        ],
        tasks: &[
            task("egon", "egon ", Show::After),
            task("alex", "alex ", Show::After),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch17-producer_consumer",
        title: "生产者和消费者轮流执行，每轮交接一次",
        runs: &[
            rust("listings/ch17/output/producer_consumer.txt"),
            rust("listings/ch17/output/producer_consumer_channel.txt"),
            python("listings/ch17/python/output/producer_consumer.txt"),
        ],
        tasks: &[
            task("生产者", "[PRODUCER] ", Show::After),
            task("消费者", "[CONSUMER] ", Show::After),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch23-reactor_echo",
        title: "反应器：100 个客户端每 100 毫秒各发一行，每一轮的回显都在约 100 毫秒后到齐，上面是 Rust，下面是 Python 的 selectors 版",
        runs: &[
            rust("listings/ch23/output/reactor_echo.txt"),
            python("listings/ch23/python/output/selector_loop.txt"),
        ],
        tasks: &[
            task("开始", "server and ", Show::Whole),
            task("客户端", ": all ", Show::Before),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch25-fail_fast",
        title: "一个任务失败，兄弟任务被取消：上面是 JoinSet 加 abort_all，下面是 asyncio.TaskGroup",
        runs: &[
            rust("listings/ch25/output/fail_fast.txt"),
            python("listings/ch25/python/output/fail_fast.txt"),
        ],
        tasks: &[
            task("fast", "fast ", Show::After),
            task("slow", "slow ", Show::After),
            task("组", "group ", Show::After),
            task("late", "late ", Show::After),
            task("时限", "timed out", Show::Whole),
        ],
        rest: "main",
    },
    Timeline {
        name: "ch25-drain_timeline",
        title: "优雅关闭：0.5 秒收到 SIGINT，A 在排空期间说完并半关闭，B 在 1.5 秒的排空时限到时被切断，C 被拒绝",
        runs: &[rust("listings/ch25/output/drain_timeline.txt")],
        tasks: &[
            task("A", "A: ", Show::After),
            task("B", "B: ", Show::After),
            task("C", "C: ", Show::After),
            task("服务器", "connection", Show::Whole),
            task("信号", "main: SIGINT", Show::Whole),
        ],
        rest: "main",
    },
];

pub fn svg_path(root: &Path, timeline: &Timeline) -> PathBuf {
    root.join("src/generated/timelines")
        .join(format!("{}.svg", timeline.name))
}

/// `cargo xtask timelines`: writes every picture, but only from
/// recordings that are each one run (checks/timelines.rs): a picture of
/// a spliced or shifted recording would show moments no run had.
pub fn write(root: &Path) -> Result {
    let problems = crate::checks::timelines::recordings(root);
    if !problems.is_empty() {
        return Err(format!(
            "not drawn: {} problem(s) in the recordings\n{}",
            problems.len(),
            problems.join("\n")
        )
        .into());
    }
    fs::create_dir_all(root.join("src/generated/timelines"))?;
    for timeline in TIMELINES {
        let (svg, notes) = render_svg(root, timeline)?;
        notes.iter().for_each(|n| println!("note: {n}"));
        let path = svg_path(root, timeline);
        let old = fs::read_to_string(&path).unwrap_or_default();
        if old != svg {
            fs::write(&path, &svg)?;
            println!("wrote {}", path.strip_prefix(root)?.display());
        }
    }
    Ok(())
}

/// A run as drawn: its title and, per line, (task index, time, label).
struct Drawn {
    title: String,
    dots: Vec<(usize, f64, String)>,
}

fn load(root: &Path, timeline: &Timeline, run: &Run) -> Result<Option<Drawn>> {
    let path = root.join(run.file);
    if run.optional && !path.exists() {
        return Ok(None);
    }
    let text =
        fs::read_to_string(&path).map_err(|e| format!("{}: {e}", run.file))?;
    let expected_output::Body {
        recorded, lines, ..
    } = expected_output::parse_body(&text)
        .map_err(|e| format!("{}:{}: {}", run.file, e.line, e.message))?;
    if run.optional && !lines.iter().any(|l| l.arrival.is_some()) {
        return Ok(None);
    }
    let command = text.lines().next().unwrap_or("");
    let command = command.strip_prefix("$ ").unwrap_or(command);
    // Every lane counts from its process start. A Python output counts
    // from its first line; its header says when that line arrived.
    let offset = if command.starts_with("python3 ") {
        crate::checks::timelines::python_start(recorded.as_deref()).ok_or_else(
            || {
                format!(
                    "{}:2: the header does not say when the first line \
                     arrived after the process started; re-record with \
                     `cargo xtask record`",
                    run.file
                )
            },
        )?
    } else {
        0.0
    };
    let mut dots = Vec::new();
    for line in &lines {
        let Some(arrival) = &line.arrival else {
            return Err(format!(
                "{}:{}: a timeline needs an arrival time on every line",
                run.file, line.number
            )
            .into());
        };
        let (task, label) = classify(timeline, line);
        dots.push((task, arrival.recorded.value + offset, label));
    }
    let when = recorded.unwrap_or_default();
    let title = if when.is_empty() {
        command.to_string()
    } else {
        // Only the date: the full machine line is in the file.
        let date = when.split(',').next().unwrap_or("");
        format!("{command}（{date} 录制）")
    };
    Ok(Some(Drawn { title, dots }))
}

fn classify(timeline: &Timeline, line: &Line) -> (usize, String) {
    let text = render(line);
    for (i, task) in timeline.tasks.iter().enumerate() {
        if let Some(at) = text.find(task.marker) {
            let label = match task.show {
                Show::After => &text[at + task.marker.len()..],
                Show::Before => &text[..at],
                Show::Whole => &text,
            };
            return (i, label.trim().to_string());
        }
    }
    (timeline.tasks.len(), text)
}

/// Approximate width of text in the SVG's 11px monospace font.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 6.7 } else { 11.5 })
        .sum()
}

const WIDTH: f64 = 760.0;
const LEFT: f64 = 64.0;
const ROW: f64 = 15.0;
/// Task colours, legible on the light and the dark themes and in print;
/// text uses the page's own colour (`currentColor`).
const COLORS: &[&str] = &["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9"];

/// The SVG for one picture, and notes about skipped optional runs.
pub fn render_svg(
    root: &Path,
    timeline: &Timeline,
) -> Result<(String, Vec<String>)> {
    let mut runs = Vec::new();
    let mut notes = Vec::new();
    for run in timeline.runs {
        match load(root, timeline, run)? {
            Some(drawn) => runs.push(drawn),
            None => notes.push(format!(
                "{}: {} does not exist or records no arrival times \
                 (add them, then `cargo xtask record`); drawn without it",
                timeline.name, run.file
            )),
        }
    }
    let end = runs
        .iter()
        .flat_map(|r| r.dots.iter().map(|d| d.1))
        .fold(1.0_f64, f64::max)
        .ceil();
    // Leave room on the right for the labels of the last dots.
    let scale = (WIDTH - LEFT - 190.0) / end;
    let x = |t: f64| LEFT + t * scale;
    let mut body = String::new();
    let mut y = 8.0;
    let lanes = timeline.tasks.len() + 1;
    for run in &runs {
        y += 14.0;
        let _ = writeln!(
            body,
            r#"<text class="tl-run" x="4" y="{y:.1}">{}</text>"#,
            escape_html(&run.title)
        );
        y += 6.0;
        for lane in 0..lanes {
            let dots: Vec<&(usize, f64, String)> =
                run.dots.iter().filter(|d| d.0 == lane).collect();
            if dots.is_empty() {
                continue;
            }
            // Greedy packing: each label goes on the first row where it
            // does not overlap the previous label.
            let mut rows: Vec<f64> = Vec::new();
            let mut placed = Vec::new();
            for (_, t, label) in &dots {
                let cx = x(*t);
                let left = cx - 4.0;
                let right = cx + 7.0 + text_width(label) + 6.0;
                let row = match rows.iter().position(|&end| end <= left) {
                    Some(r) => r,
                    None => {
                        rows.push(0.0);
                        rows.len() - 1
                    }
                };
                rows[row] = right;
                placed.push((row, cx, *t, label));
            }
            let top = y + 4.0;
            let height = rows.len() as f64 * ROW + 6.0;
            let color = COLORS[lane % COLORS.len()];
            let name =
                timeline.tasks.get(lane).map_or(timeline.rest, |t| t.label);
            let _ = writeln!(
                body,
                r#"<rect class="tl-lane" x="{LEFT}" y="{top:.1}" width="{:.1}" height="{height:.1}"/>"#,
                WIDTH - LEFT - 4.0
            );
            let _ = writeln!(
                body,
                r#"<text class="tl-task" x="{:.1}" y="{:.1}" style="fill:{color}">{}</text>"#,
                LEFT - 8.0,
                top + 14.0,
                escape_html(name)
            );
            for (row, cx, t, label) in placed {
                let cy = top + 10.0 + row as f64 * ROW;
                let _ = writeln!(
                    body,
                    r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="3.5" fill="{color}" data-t="{t:.3}"/><text class="tl-line" x="{:.1}" y="{:.1}">{}</text>"#,
                    cx + 7.0,
                    cy + 4.0,
                    escape_html(label)
                );
            }
            y = top + height;
        }
        y += 4.0;
    }
    // The time axis, with a faint line every second across all runs.
    let axis = y + 6.0;
    let mut grid = String::new();
    for s in 0..=end as u32 {
        let gx = x(f64::from(s));
        let _ = writeln!(
            grid,
            r#"<line class="tl-grid" x1="{gx:.1}" y1="20" x2="{gx:.1}" y2="{axis:.1}"/><text class="tl-tick" x="{gx:.1}" y="{:.1}">{s} s</text>"#,
            axis + 14.0
        );
    }
    let height = axis + 22.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" role="img" aria-label="{}：每个点是一行输出，横轴是它出现的时刻（秒）">"#,
        escape_html(timeline.title)
    );
    let _ = writeln!(svg, "<title>{}</title>", escape_html(timeline.title));
    svg.push_str(
        "<style>.timeline{max-width:100%;height:auto;color:inherit}\
         .timeline text{fill:currentColor;font:11px monospace}\
         .timeline .tl-run{font-weight:bold}\
         .timeline .tl-task{text-anchor:end;font-weight:bold}\
         .timeline .tl-tick{text-anchor:middle}\
         .timeline .tl-lane{fill:currentColor;fill-opacity:0.05}\
         .timeline .tl-grid{stroke:currentColor;stroke-opacity:0.25;\
         stroke-dasharray:2 3}</style>\n",
    );
    svg.push_str(&grid);
    let _ = writeln!(
        svg,
        r#"<line class="tl-grid" x1="{LEFT}" y1="{axis:.1}" x2="{:.1}" y2="{axis:.1}" style="stroke-dasharray:none"/>"#,
        x(end)
    );
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    Ok((svg, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        crate::repo_root()
    }

    #[test]
    fn every_rust_run_exists_and_every_line_has_a_task_or_main() {
        for timeline in TIMELINES {
            for run in timeline.runs.iter().filter(|r| !r.optional) {
                let drawn = load(&root(), timeline, run)
                    .unwrap_or_else(|e| panic!("{}: {e}", run.file))
                    .expect("a required run");
                let main = timeline.tasks.len();
                // Only the closing total belongs to no task.
                let rest: Vec<&String> = drawn
                    .dots
                    .iter()
                    .filter(|d| d.0 == main)
                    .map(|d| &d.2)
                    .collect();
                assert!(rest.len() <= 1, "{}: {rest:?}", run.file);
            }
        }
    }

    #[test]
    fn the_svg_is_one_html_block_for_markdown() {
        for timeline in TIMELINES {
            let (svg, _) = render_svg(&root(), timeline).unwrap();
            assert!(svg.starts_with("<svg "), "{}", timeline.name);
            // A blank line would end the HTML block; `{{` would be read
            // as a band or an mdBook include.
            assert!(!svg.contains("\n\n"), "{}", timeline.name);
            assert!(!svg.contains("{{"), "{}", timeline.name);
        }
    }

    #[test]
    fn ch10_lanes_start_at_0_1_and_2_seconds() {
        let timeline = TIMELINES
            .iter()
            .find(|t| t.name == "ch10-sleeping_loop")
            .unwrap();
        let drawn =
            load(&root(), timeline, &timeline.runs[0]).unwrap().unwrap();
        let first = |task: usize, what: &str| {
            drawn
                .dots
                .iter()
                .find(|d| d.0 == task && d.2.starts_with(what))
                .map(|d| d.1.round())
        };
        assert_eq!(first(0, "starting"), Some(0.0));
        assert_eq!(first(1, "starting"), Some(2.0));
        assert_eq!(first(2, "starting"), Some(1.0));
    }
}
