//! Charts of a bench's figures: mermaid xycharts, which the diagrams
//! preprocessor shows as committed SVGs drawn for the light and the dark
//! themes (`cargo xtask diagrams`). Shared by every bench.

use super::stats::{Stat, short};

/// A bar chart of medians with their ranges: mermaid's xychart draws bar
/// series on top of each other, so the largest values go first and each
/// bar shows, from the bottom, the smallest, the median and the largest
/// round. Each label carries the median, since mermaid 11.6 draws no
/// numbers on the bars.
///
/// The bars lie horizontally, one row a server: ten labels such as
/// `tokio current_thread 289.9` side by side under vertical bars overlap
/// into one unreadable line. The labels get 24 px of padding instead of
/// mermaid's 5: it measures them a few pixels narrower than it draws them,
/// and with the default the longest one loses its first letter.
pub fn bar_chart(
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
        "```mermaid\n---\nconfig:\n  xyChart:\n    \
         chartOrientation: horizontal\n    height: {}\n    \
         xAxis:\n      labelPadding: 24\n---\n\
         xychart-beta\n    title \"{title}\"\n    \
         x-axis [{}]\n    y-axis \"{unit}\" 0 --> {axis_end}\n{}{}{}```\n",
        120 + 32 * bars.len(),
        labels.join(", "),
        series(|s| s.max),
        series(|s| s.median),
        series(|s| s.min),
    )
}

/// Bars whose medians differ by more than this factor go to separate
/// charts: on one linear axis, a bar this much shorter than the tallest is
/// a few pixels high and cannot be read.
const MAX_SPREAD: f64 = 8.0;

/// The bars cut, from the smallest median up, into groups that one linear
/// axis shows readably (no group spans more than [`MAX_SPREAD`]), each a
/// chart of its own; `title` gets the group's number when there are
/// several. The bars keep their order inside a group.
pub fn bar_charts(
    title: &str,
    unit: &str,
    bars: &[(&str, Stat)],
    scale: f64,
) -> String {
    let mut order: Vec<usize> = (0..bars.len()).collect();
    order.sort_by(|&a, &b| bars[a].1.median.total_cmp(&bars[b].1.median));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match groups.last_mut() {
            Some(group)
                if bars[i].1.max
                    <= bars[group[0]].1.median.max(f64::MIN_POSITIVE)
                        * MAX_SPREAD =>
            {
                group.push(i)
            }
            _ => groups.push(vec![i]),
        }
    }
    let count = groups.len();
    groups
        .into_iter()
        .enumerate()
        .map(|(n, mut group)| {
            group.sort();
            let picked: Vec<(&str, Stat)> =
                group.iter().map(|&i| bars[i]).collect();
            let title = if count == 1 {
                title.to_string()
            } else {
                format!("{title}（{}/{count}）", n + 1)
            };
            bar_chart(&title, unit, &picked, scale)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expected_output::Kind;

    fn stat(median: f64, min: f64, max: f64) -> Stat {
        Stat {
            median,
            min,
            max,
            kind: Kind::Ratio,
        }
    }

    #[test]
    fn charts_show_the_range_behind_the_median() {
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
        assert!(chart.contains("chartOrientation: horizontal"), "{chart}");
        assert!(chart.contains("height: 184\n"), "{chart}");
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

    #[test]
    fn bars_of_very_different_size_get_charts_of_their_own() {
        let bars = [
            ("same CPU", stat(11.6, 11.5, 11.9)),
            ("two CPUs", stat(261.3, 258.6, 296.5)),
            ("spawn", stat(143.2, 94.2, 218.8)),
            ("memory", stat(16.5, 16.5, 16.5)),
        ];
        let charts = bar_charts("t", "倍", &bars, 1.0);
        assert_eq!(charts.matches("xychart-beta").count(), 2, "{charts}");
        assert!(charts.contains("title \"t（1/2）\""), "{charts}");
        assert!(charts.contains("x-axis [\"same CPU 11.6\", \"memory 16.5\"]"));
        assert!(
            charts.contains("x-axis [\"two CPUs 261.3\", \"spawn 143.2\"]")
        );
        let close = bar_charts("t", "倍", &bars[..1], 1.0);
        assert!(close.contains("title \"t\""), "{close}");
    }
}
