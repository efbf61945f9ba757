//! What `cargo xtask test` checks about the exercises: every reference
//! solution prints its expected output (timing bands included), every
//! untouched starter fails that same check (an exercise can never be
//! "already solved"), the starter and the solution differ only inside the
//! marked regions, and the book shows every exercise.

use super::{BEGIN, END, Exercise, Outcome, discover, judge, page, timeout};
use crate::report::Report;
use crate::{Result, cmd};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread;

/// The text outside the regions, as (1-based line, line) pairs, and the
/// text of each region.
struct Split {
    outside: Vec<(usize, String)>,
    regions: Vec<String>,
}

fn split(text: &str) -> std::result::Result<Split, String> {
    let mut outside = Vec::new();
    let mut regions = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        match (line.trim(), &mut open) {
            (BEGIN, Some((start, _))) => {
                return Err(format!(
                    "line {n}: a second `{BEGIN}` before the `{END}` of \
                     line {start}"
                ));
            }
            (BEGIN, None) => open = Some((n, String::new())),
            (END, Some(_)) => regions.push(open.take().unwrap().1),
            (END, None) => {
                return Err(format!("line {n}: `{END}` without `{BEGIN}`"));
            }
            (_, Some((_, region))) => {
                region.push_str(line);
                region.push('\n');
            }
            // mdBook's anchors mark what the book shows of the solution;
            // the starter needs none, so they are not compared.
            (t, None)
                if t.starts_with("// ANCHOR:")
                    || t.starts_with("// ANCHOR_END:") => {}
            (_, None) => outside.push((n, line.to_string())),
        }
    }
    if let Some((start, _)) = open {
        return Err(format!("line {start}: `{BEGIN}` is never closed"));
    }
    if regions.is_empty() {
        return Err(format!("no `{BEGIN}` … `{END}` region"));
    }
    Ok(Split { outside, regions })
}

/// The problems in the two sources of one exercise: markers, `todo!()`
/// only in the starter, and identical text outside the regions.
fn structure(root: &Path, exercise: &Exercise) -> Vec<String> {
    let rel =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let (starter, solution) = (rel(&exercise.starter), rel(&exercise.solution));
    let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
    let mut problems = Vec::new();
    let s = split(&read(&exercise.starter))
        .map_err(|e| problems.push(format!("{starter}: {e}")));
    let t = split(&read(&exercise.solution))
        .map_err(|e| problems.push(format!("{solution}: {e}")));
    let (Ok(s), Ok(t)) = (s, t) else {
        return problems;
    };
    if s.regions.len() != t.regions.len() {
        problems.push(format!(
            "{starter}: {} region(s), but {solution} has {}",
            s.regions.len(),
            t.regions.len()
        ));
    }
    if t.regions.iter().any(|r| r.contains("todo!(")) {
        problems.push(format!("{solution}: the solution still has `todo!(`"));
    }
    let differ = s
        .outside
        .iter()
        .zip(&t.outside)
        .find(|(a, b)| a.1 != b.1)
        .map(|(a, b)| (Some(a), Some(b)))
        .or_else(|| {
            (s.outside.len() != t.outside.len()).then(|| {
                (
                    s.outside.get(t.outside.len()),
                    t.outside.get(s.outside.len()),
                )
            })
        });
    if let Some((a, b)) = differ {
        let show = |side: Option<&(usize, String)>, file: &str| match side {
            Some((n, line)) => format!("{file}:{n}: `{}`", line.trim()),
            None => format!("{file}: (ends here)"),
        };
        problems.push(format!(
            "{starter}: starter and solution differ outside the `{BEGIN}` \
             regions (they must be the same program around the answer):\n  \
             {}\n  {}",
            show(a, &starter),
            show(b, &solution)
        ));
    }
    if page(root, exercise).is_none() {
        problems.push(format!(
            "{starter}: no chapter shows this exercise (include it in a \
             `## 练习` section)"
        ));
    }
    problems
}

/// Builds the examples of the given listings once; the executable of every
/// example by name.
pub fn build_all(
    root: &Path,
    listings: &[&str],
) -> Result<HashMap<String, PathBuf>> {
    let mut build = cmd::cargo();
    build.current_dir(root).args([
        "build",
        "--locked",
        "--examples",
        "--message-format=json-render-diagnostics",
    ]);
    for listing in listings {
        build.args(["--package", listing]);
    }
    cmd::echo(&build);
    let out = build
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "the exercises do not build: `{}` failed",
            cmd::describe(&build)
        )
        .into());
    }
    let messages = String::from_utf8_lossy(&out.stdout);
    let mut programs = HashMap::new();
    for line in messages.lines() {
        let Some((_, rest)) = line.split_once("\"name\":\"") else {
            continue;
        };
        let name = rest.split('"').next().unwrap_or_default();
        if let Some(exe) = super::executable(line, name) {
            programs.insert(name.to_string(), exe);
        }
    }
    Ok(programs)
}

/// Runs the given sources' programs side by side (most of them sleep) and
/// judges each; results in the order given.
pub fn run_all(
    jobs: Vec<(&Exercise, PathBuf)>,
    programs: &HashMap<String, PathBuf>,
) -> Vec<Result<Outcome>> {
    let queue = Mutex::new(jobs.iter().enumerate());
    let results = Mutex::new(Vec::new());
    thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((i, (exercise, source))) = next else {
                        break;
                    };
                    let target = source.file_stem().unwrap().to_string_lossy();
                    let result = programs
                        .get(target.as_ref())
                        .ok_or_else(|| {
                            format!("example `{target}` was not built").into()
                        })
                        .and_then(|p| super::run_program(p, &exercise.dir))
                        .and_then(|run| {
                            judge(exercise, source, &run, timeout())
                        });
                    results.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Why a solution run failed, in the words of the listing checks.
fn describe_failure(
    root: &Path,
    exercise: &Exercise,
    outcome: &Outcome,
) -> String {
    let expected = exercise
        .expected
        .strip_prefix(root)
        .unwrap_or(&exercise.expected)
        .display();
    match outcome {
        Outcome::Passed(_) => String::new(),
        Outcome::Todo { function, at } => {
            format!("reached `todo!()` in `{function}` ({at})")
        }
        Outcome::TimedOut(limit) => {
            format!("still running after {limit:?}: killed")
        }
        Outcome::Crashed {
            status,
            stderr_tail,
        } => format!(
            "exited with {status}\n  stderr:\n    {}",
            stderr_tail.replace('\n', "\n    ")
        ),
        Outcome::Differs(mismatches) => {
            let mut m = format!("output differs from {expected}");
            for x in mismatches {
                m.push_str(&format!(
                    "\n  {expected}:{}\n    expected: {}\n    actual:   {}",
                    x.line, x.expected, x.actual
                ));
                if let Some(why) = &x.why {
                    m.push_str(&format!("\n    why:      {why}"));
                }
            }
            m
        }
    }
}

/// `cargo xtask test`'s exercise checks: one per exercise, and one for the
/// layout if anything is missing. `only` keeps the exercises of the
/// listings named in it (all when empty).
pub fn check(root: &Path, only: &[&str]) -> Report {
    let mut report = Report::default();
    let (mut exercises, problems) = discover(root);
    exercises.retain(|e| only.is_empty() || only.contains(&e.listing.as_str()));
    if !problems.is_empty() {
        report.record("exercise layout", Err(problems.join("\n").into()));
    }
    if exercises.is_empty() {
        return report;
    }
    let rel =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut listings: Vec<&str> =
        exercises.iter().map(|e| e.listing.as_str()).collect();
    listings.dedup();
    let programs = match build_all(root, &listings) {
        Ok(programs) => programs,
        Err(e) => {
            for exercise in &exercises {
                report.record(
                    &format!("exercise {}", exercise.id()),
                    Err(format!("not run: {e}").into()),
                );
            }
            return report;
        }
    };
    let mut jobs = Vec::new();
    for exercise in &exercises {
        jobs.push((exercise, exercise.solution.clone()));
        jobs.push((exercise, exercise.starter.clone()));
    }
    let mut outcomes = run_all(jobs, &programs).into_iter();
    let (mut solutions_pass, mut starters_fail) = (0, 0);
    let mut results = Vec::new();
    for exercise in &exercises {
        let solution = outcomes.next().unwrap();
        let starter = outcomes.next().unwrap();
        let mut problems = structure(root, exercise);
        match solution {
            Ok(Outcome::Passed(_)) => solutions_pass += 1,
            Ok(outcome) => problems.push(format!(
                "{}: the reference solution fails its check: {}",
                rel(&exercise.solution),
                describe_failure(root, exercise, &outcome)
            )),
            Err(e) => {
                problems.push(format!("{}: {e}", rel(&exercise.solution)))
            }
        }
        let starter_state = match starter {
            Ok(Outcome::Passed(_)) => {
                problems.push(format!(
                    "{}: the untouched starter already passes its check \
                     (an exercise must leave something to do)",
                    rel(&exercise.starter)
                ));
                String::new()
            }
            Ok(outcome) => {
                starters_fail += 1;
                match outcome {
                    Outcome::Todo { function, .. } => {
                        format!("todo!() in `{function}`")
                    }
                    Outcome::Differs(m) => format!(
                        "output differs at {}:{}",
                        rel(&exercise.expected),
                        m[0].line
                    ),
                    Outcome::TimedOut(_) => "hangs".to_string(),
                    Outcome::Crashed { status, .. } => status,
                    Outcome::Passed(_) => unreachable!(),
                }
            }
            Err(e) => {
                problems.push(format!("{}: {e}", rel(&exercise.starter)));
                String::new()
            }
        };
        let name = if problems.is_empty() {
            format!(
                "exercise {} ({}): solution passes, starter fails ({starter_state})",
                exercise.id(),
                exercise.stars()
            )
        } else {
            format!("exercise {}", exercise.id())
        };
        let result = if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n").into())
        };
        results.push((name, result));
    }
    println!(
        "exercises: {} of {} reference solutions pass, {} of {} untouched \
         starters fail as they should",
        solutions_pass,
        exercises.len(),
        starters_fail,
        exercises.len()
    );
    for (name, result) in results {
        report.record(&name, result);
    }
    report
}

/// `cargo xtask exercise --check`.
pub fn run_alone(root: &Path) -> Result {
    check(root, &[]).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(body: &str) -> String {
        format!("fn f() {{\n    {BEGIN}\n{body}    {END}\n}}\n")
    }

    #[test]
    fn regions_are_cut_out_and_anchors_ignored() {
        let text = format!(
            "// ANCHOR: x\n{}// ANCHOR_END: x\n",
            region("    todo!()\n")
        );
        let split = split(&text).unwrap();
        assert_eq!(split.regions, ["    todo!()\n"]);
        let outside: Vec<&str> =
            split.outside.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(outside, ["fn f() {", "}"]);
    }

    #[test]
    fn broken_markers_are_errors() {
        assert!(split("fn f() {}\n").is_err());
        assert!(split(&format!("{BEGIN}\n")).is_err());
        assert!(split(&format!("{END}\n")).is_err());
        assert!(split(&format!("{BEGIN}\n{BEGIN}\n{END}\n")).is_err());
    }
}
