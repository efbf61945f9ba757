//! Statistics over the rounds of a bench: each figure's median and range,
//! a whole table combined round by round, and how a value reads on the
//! page. Shared by every bench that writes a figures file.

use crate::Result;
use expected_output::Kind;

/// One figure over all rounds: its median and its range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub kind: Kind,
}

impl Stat {
    /// The median (the mean of the middle two for an even count), the
    /// smallest and the largest of `values`, which must not be empty.
    pub fn of(values: &[f64], kind: Kind) -> Stat {
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
    pub fn text(&self) -> String {
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
pub fn quantity(value: f64, kind: Kind) -> String {
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
pub struct Combined {
    pub rows: Vec<Vec<String>>,
    stats: Vec<Vec<Option<Stat>>>,
}

impl Combined {
    pub fn of(bench: &str, tables: &[&Vec<Vec<String>>]) -> Result<Combined> {
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

    pub fn stat(&self, row: usize, col: usize) -> Stat {
        self.stats[row][col].expect("a measured cell")
    }
}

/// A cell that holds one quantity, e.g. `70.0ns`, in base units.
pub fn value(bench: &str, cell: &str) -> Result<f64> {
    match expected_output::parse_quantity(cell) {
        Some((q, "")) => Ok(q.value),
        _ => Err(format!("{bench}: `{cell}` is not a measured value").into()),
    }
}

/// A number with at most one decimal, without a trailing `.0`.
pub fn short(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_well() {
        assert_eq!(quantity(1.181e-3, Kind::Time), "1.18ms");
        assert_eq!(quantity(116e-9, Kind::Time), "116ns");
        assert_eq!(quantity(9.6 * 1024.0, Kind::Memory), "9.6KiB");
        assert_eq!(quantity(596.0, Kind::Memory), "596B");
        assert_eq!(quantity(11.0, Kind::Ratio), "11x");
        assert_eq!(Stat::of(&[1.0, 3.0], Kind::Ratio).median, 2.0);
    }
}
