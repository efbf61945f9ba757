//! The pieces of a generated figures file (src/generated/chNN-figures.md)
//! besides the charts: tables, and the figures the prose cites, each
//! between mdBook anchors so that a chapter includes it in a sentence
//! (`{{#include generated/ch12-figures.md:task_switch}}`). Shared by every
//! bench; checks/figures.rs refuses a measured figure the prose writes out.

/// A markdown table: header cells, then rows.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut text =
        line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    text.push_str(&line(&vec!["---".to_string(); header.len()]));
    for row in rows {
        text.push_str(&line(row));
    }
    text
}

/// Replaces the English row labels of a table with Chinese ones.
pub fn relabel(rows: &[Vec<String>], labels: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .zip(labels)
        .map(|(row, label)| {
            let mut row = row.clone();
            row[0] = label.to_string();
            row
        })
        .collect()
}

/// The first line of a figures file: who writes it.
pub fn written_by(command: &str, source: &str) -> String {
    format!(
        "<!-- 此文件由 `{command}` 写出（{source}），请勿手改：\
         重新测量即重新写出。 -->\n\n"
    )
}

/// Figures the prose cites, as `(anchor, text)`: each becomes one line
/// between `ANCHOR` comments, which mdBook's include drops, so the text
/// reads inline. Anchor names are `[a-z_]+`.
pub fn prose_figures(figures: &[(&str, String)]) -> String {
    let mut out = String::from(
        "<!-- 正文引用的数字：每个一行，章节用 include 加锚点名把它嵌入句中 -->\n",
    );
    for (anchor, text) in figures {
        assert!(
            anchor.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "anchor `{anchor}`"
        );
        out.push_str(&format!(
            "<!-- ANCHOR: {anchor} -->\n{text}\n<!-- ANCHOR_END: {anchor} -->\n"
        ));
    }
    out
}
