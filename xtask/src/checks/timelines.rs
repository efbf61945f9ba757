//! The timeline pictures (src/generated/timelines/, drawn by
//! `cargo xtask timelines` from the expected outputs) must match the
//! expected files they are drawn from: a re-recorded or edited output
//! with an old picture fails, naming the picture and its source files.

use crate::Result;
use crate::author::timelines::{TIMELINES, render_svg, svg_path};
use std::fs;
use std::path::Path;

pub fn check(root: &Path) -> Result {
    let mut problems = Vec::new();
    for timeline in TIMELINES {
        let path = svg_path(root, timeline);
        let shown = path.strip_prefix(root).unwrap_or(&path).display();
        let sources: Vec<&str> = timeline
            .runs
            .iter()
            .filter(|r| !r.optional || root.join(r.file).exists())
            .map(|r| r.file)
            .collect();
        let (svg, notes) = match render_svg(root, timeline) {
            Ok(drawn) => drawn,
            Err(e) => {
                problems.push(format!("{shown}: cannot be drawn: {e}"));
                continue;
            }
        };
        // Not a failure, but never silent: a Python run not drawn yet.
        notes.iter().for_each(|n| println!("note: {n}"));
        match fs::read_to_string(&path) {
            Ok(old) if old == svg => {}
            Ok(_) => problems.push(format!(
                "{shown}: stale: it differs from what {} give(s); run \
                 `cargo xtask timelines` and commit the result",
                sources.join(", ")
            )),
            Err(e) => problems
                .push(format!("{shown}: {e} (run `cargo xtask timelines`)")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}
