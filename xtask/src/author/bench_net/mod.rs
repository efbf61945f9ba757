//! `cargo xtask bench-net [--quick] [--rounds N]`: every echo server of
//! Part 5 under the same load, for chapter 27. Three parts: [`servers`]
//! starts each server pinned to one CPU, [`measure`] runs the load
//! generator against it round after round, [`render`] writes the medians,
//! ranges and ratios to `src/generated/ch27-figures.md`, whose charts are
//! then drawn as SVGs (`cargo xtask diagrams`).
//!
//! `--quick` (part of `cargo xtask test`) is a sanity run of a few seconds
//! per server: every measurement must give a non-zero figure with every
//! line echoed and no error. It writes nothing.

mod measure;
mod render;
mod servers;

use crate::author::machine::load_average;
use crate::checks::{bench_venv, python};
use crate::{Result, cmd};
use measure::{Plan, Round};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The file chapter 27 includes, relative to the repository root.
pub const FIGURES: &str = "src/generated/ch27-figures.md";
pub const ROUNDS: usize = 3;

/// `cargo xtask bench-net [--quick] [--rounds N]`.
pub fn run(root: &Path, quick_only: bool, rounds: usize) -> Result {
    if quick_only {
        return quick(root);
    }
    let start = Instant::now();
    let plan = Plan::full();
    servers::prepare(root, plan.release)?;
    let load_start = load_average();
    if let Some(load) = load_start {
        println!("load average {load:.2} at the start");
    }
    let measuring = Instant::now();
    let mut all = Vec::new();
    let mut busy_max: Option<f64> = None;
    for number in 1..=rounds {
        let busy = wait_for_quiet();
        println!(
            "--- round {number} of {rounds}{}",
            busy.map_or(String::new(), |b| format!(
                " (CPUs {:.1}% busy before it)",
                b * 100.0
            ))
        );
        busy_max = match (busy, busy_max) {
            (Some(b), Some(m)) => Some(b.max(m)),
            (b, m) => b.or(m),
        };
        all.push(measure::round(root, &plan, number)?);
    }
    let ctx = render::Context {
        cpu: crate::author::machine::cpu_name(),
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        os: output(Command::new("uname").arg("-srm")),
        python: output(Command::new("python3").arg("--version"))
            .trim_start_matches("Python ")
            .to_string(),
        gevent: python::GEVENT_VERSION.to_string(),
        uvloop: bench_venv::UVLOOP_VERSION.to_string(),
        curio: bench_venv::CURIO_VERSION.to_string(),
        twisted: bench_venv::TWISTED_VERSION.to_string(),
        tokio: tokio_version(root),
        date: crate::author::machine::utc_now(),
        load_start,
        load_end: load_average(),
        busy_max,
        rounds,
        seconds: measuring.elapsed().as_secs_f64(),
    };
    println!("\n{}", render::tables(&all, &plan));
    let path = root.join(FIGURES);
    fs::create_dir_all(path.parent().unwrap())?;
    fs::write(&path, render::page(&all, &plan, &ctx))?;
    println!(
        "wrote {FIGURES}; measuring took {:.0?}, {:.0?} with the build; \
         load average {} at the end. Drawing its charts:",
        measuring.elapsed(),
        start.elapsed(),
        ctx.load_end.map_or("unknown".into(), |l| format!("{l:.2}")),
    );
    // The charts are mermaid in the figures file; the book shows them as
    // SVGs drawn for the light and the dark theme (Node.js, Chromium).
    crate::site::diagrams::run(root, false)
}

/// The sanity run: one round of the quick plan; every figure there.
pub fn quick(root: &Path) -> Result {
    quick_some(root, &[])
}

/// The sanity run for some servers only (`chNN/python/echo_x.py`,
/// `chNN/echo_x`): the self-test's faults.
pub fn quick_some(root: &Path, only: &[&'static str]) -> Result {
    let plan = Plan {
        only: only.to_vec(),
        ..Plan::quick()
    };
    servers::prepare(root, plan.release)?;
    let round = measure::round(root, &plan, 0)?;
    check_quick(&round, &plan)
}

fn check_quick(round: &Round, plan: &Plan) -> Result {
    let mut problems = Vec::new();
    let wanted = servers::SERVERS
        .iter()
        .filter(|s| plan.only.is_empty() || plan.only.contains(&s.program));
    for spec in wanted {
        let Some(figures) = round.figures.get(spec.label) else {
            problems.push(format!("{}: not measured", spec.program));
            continue;
        };
        for (key, cell) in figures {
            match cell {
                // The pacer may be on time; the kernel's share is a
                // difference of machine-wide counters, which other
                // processes move too, so on a busy machine it may be
                // anything; a short debug run may use under one tick of
                // CPU: a number is all a sanity run can ask of these.
                Ok(v)
                    if *v > 0.0
                        || ["pacer", "kernel", "total", "cpu"]
                            .iter()
                            .any(|k| key.starts_with(k)) => {}
                Ok(v) => problems.push(format!(
                    "listings/{}: {key} = {v}, expected more than 0",
                    spec.program
                )),
                Err(e) => problems
                    .push(format!("listings/{}: {key}: {e}", spec.program)),
            }
        }
    }
    if problems.is_empty() {
        println!("bench-net --quick: every server echoed every line");
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// Before a round, with none of the bench's programs running: how busy
/// the CPUs are, measured over one second, waiting for it to fall under 5%,
/// as it should once the previous round's servers have exited. What is left
/// is other processes, which would compete with the round; after a minute
/// it returns what it saw, and the round runs anyway.
fn wait_for_quiet() -> Option<f64> {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let busy = crate::author::machine::cpu_busy(
            std::time::Duration::from_secs(1),
        )?;
        if busy < 0.05 || Instant::now() >= deadline {
            return Some(busy);
        }
    }
}

fn output(command: &mut Command) -> String {
    cmd::capture(command)
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// tokio's version in listings/ch27/Cargo.lock.
fn tokio_version(root: &Path) -> String {
    fs::read_to_string(root.join("listings/ch27/Cargo.lock"))
        .unwrap_or_default()
        .split("[[package]]")
        .find(|p| p.contains("name = \"tokio\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
