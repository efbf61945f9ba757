//! Exercises: programs readers complete themselves, checked like the
//! listings. `cargo xtask exercise` is the reader's command; `check.rs` is
//! what `cargo xtask test` runs.
//!
//! Layout (README.md and CONTRIBUTING.md explain it):
//!
//! ```text
//! listings/chNN/examples/<name>.rs           the starter the reader edits
//! listings/chNN/examples/<name>_solution.rs  the reference solution
//! listings/chNN/exercises/<name>.txt         expected output,
//!                                            `$ cargo run --example <name>`
//! listings/chNN/exercises/<name>.meta        title, difficulty, hint
//! ```
//!
//! The starter and the solution are the same file except between the
//! marker lines [`BEGIN`] and [`END`]: the starter has `todo!()` (or the
//! code to fix) there, the solution the answer. `check.rs` compares the
//! rest line by line, so the two cannot drift apart.

pub mod check;

use crate::Result;
use crate::checks::running::{self, Run};
use crate::cmd;
use expected_output::Mismatch;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The line that opens a region the reader writes (compared trimmed).
pub const BEGIN: &str = "// ---- 练习：从这里开始 ----";
/// The line that closes it.
pub const END: &str = "// ---- 练习：到这里结束 ----";

/// One exercise of a listing.
pub struct Exercise {
    pub name: String,
    /// The listing package, `chNN`.
    pub listing: String,
    /// `listings/chNN`.
    pub dir: PathBuf,
    pub starter: PathBuf,
    pub solution: PathBuf,
    pub expected: PathBuf,
    pub meta: Meta,
}

/// What `exercises/<name>.meta` says: `key: value` lines.
#[derive(Default)]
pub struct Meta {
    pub title: String,
    /// 1 to 3, shown as ★ to ★★★.
    pub difficulty: usize,
    pub hint: String,
}

impl Exercise {
    pub fn stars(&self) -> String {
        "★".repeat(self.meta.difficulty)
    }

    /// `chNN/<name>`, how reports name it.
    pub fn id(&self) -> String {
        format!("{}/{}", self.listing, self.name)
    }
}

fn parse_meta(text: &str) -> std::result::Result<Meta, String> {
    let mut meta = Meta::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or(format!("line {}: expected `key: value`", i + 1))?;
        let value = value.trim().to_string();
        match key.trim() {
            "title" => meta.title = value,
            "difficulty" => {
                meta.difficulty =
                    value.parse().ok().filter(|d| (1..=3).contains(d)).ok_or(
                        format!("line {}: difficulty is 1, 2 or 3", i + 1),
                    )?
            }
            "hint" => meta.hint = value,
            other => {
                return Err(format!("line {}: unknown key `{other}`", i + 1));
            }
        }
    }
    for (key, missing) in [
        ("title", meta.title.is_empty()),
        ("difficulty", meta.difficulty == 0),
        ("hint", meta.hint.is_empty()),
    ] {
        if missing {
            return Err(format!("no `{key}:` line"));
        }
    }
    Ok(meta)
}

/// Every exercise under `root/listings`, and the layout problems found.
pub fn discover(root: &Path) -> (Vec<Exercise>, Vec<String>) {
    let mut exercises = Vec::new();
    let mut problems = Vec::new();
    let rel =
        |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let listing = dir.file_name().unwrap().to_string_lossy().to_string();
        let names =
            crate::walk::files_with_extension(&dir.join("exercises"), "txt");
        let mut known = Vec::new();
        for expected in names {
            let name =
                expected.file_stem().unwrap().to_string_lossy().to_string();
            let starter = dir.join("examples").join(format!("{name}.rs"));
            let solution =
                dir.join("examples").join(format!("{name}_solution.rs"));
            let meta_file = dir.join("exercises").join(format!("{name}.meta"));
            known.push(starter.clone());
            known.push(solution.clone());
            let mut missing = false;
            for file in [&starter, &solution, &meta_file] {
                if !file.is_file() {
                    problems.push(format!(
                        "{}: exercise without {}",
                        rel(&expected),
                        rel(file)
                    ));
                    missing = true;
                }
            }
            if missing {
                continue;
            }
            let meta = match fs::read_to_string(&meta_file)
                .map_err(|e| e.to_string())
                .and_then(|t| parse_meta(&t))
            {
                Ok(meta) => meta,
                Err(e) => {
                    problems.push(format!("{}: {e}", rel(&meta_file)));
                    continue;
                }
            };
            exercises.push(Exercise {
                name,
                listing: listing.clone(),
                dir: dir.clone(),
                starter,
                solution,
                expected,
                meta,
            });
        }
        for example in
            crate::walk::files_with_extension(&dir.join("examples"), "rs")
        {
            if !known.contains(&example) {
                problems.push(format!(
                    "{}: an example that belongs to no exercise (examples/ \
                     holds only exercises: <name>.rs and <name>_solution.rs \
                     beside exercises/<name>.txt)",
                    rel(&example)
                ));
            }
        }
    }
    // Example names share one namespace when the listings are built
    // together, and `cargo xtask exercise NAME` finds an exercise by name.
    for (i, e) in exercises.iter().enumerate() {
        if let Some(first) = exercises[..i].iter().find(|f| f.name == e.name) {
            problems.push(format!(
                "{}: the exercise name `{}` is taken by {}",
                rel(&e.expected),
                e.name,
                rel(&first.expected)
            ));
        }
    }
    (exercises, problems)
}

/// The page of the book that shows an exercise: the first chapter that
/// includes its starter.
pub fn page(root: &Path, exercise: &Exercise) -> Option<String> {
    let needle = format!(
        "listings/{}/examples/{}.rs",
        exercise.listing, exercise.name
    );
    crate::walk::files_with_extension(&root.join("src"), "md")
        .into_iter()
        .find(|page| {
            fs::read_to_string(page).is_ok_and(|t| t.contains(&needle))
        })
        .map(|p| p.strip_prefix(root).unwrap_or(&p).display().to_string())
}

/// How a run of an exercise program went.
pub enum Outcome {
    Passed(Duration),
    /// A `todo!()` was reached: the function it is in, and where.
    Todo {
        function: String,
        at: String,
    },
    TimedOut(Duration),
    Crashed {
        status: String,
        stderr_tail: String,
    },
    Differs(Vec<Mismatch>),
}

/// Compares a finished run with the exercise's expected output.
pub fn judge(
    exercise: &Exercise,
    source: &Path,
    run: &Run,
    limit: Duration,
) -> Result<Outcome> {
    let text = fs::read_to_string(&exercise.expected)?;
    let expected = expected_output::parse(&text).map_err(|e| {
        format!("{}:{}: {}", exercise.expected.display(), e.line, e.message)
    })?;
    if !expected.example || expected.bin != exercise.name {
        return Err(format!(
            "{}:1: the command must be `$ cargo run --example {}`",
            exercise.expected.display(),
            exercise.name
        )
        .into());
    }
    if let Some(todo) = find_todo(&run.stderr, source) {
        return Ok(todo);
    }
    if run.timed_out {
        return Ok(Outcome::TimedOut(limit));
    }
    if !run.status_ok {
        let lines: Vec<&str> = run.stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(12)..].join("\n");
        return Ok(Outcome::Crashed {
            status: run.status.clone(),
            stderr_tail: tail,
        });
    }
    let mismatches = expected_output::check(&expected, &run.stdout);
    if mismatches.is_empty() {
        Ok(Outcome::Passed(run.elapsed))
    } else {
        Ok(Outcome::Differs(mismatches))
    }
}

/// A `todo!()` panic in `stderr`, mapped to the function around it:
///
/// ```text
/// thread 'main' panicked at listings/ch02/examples/step_range.rs:20:9:
/// not yet implemented: ...
/// ```
fn find_todo(stderr: &str, source: &Path) -> Option<Outcome> {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines.iter().position(|l| {
        l.starts_with("not yet implemented")
            || l.contains("not yet implemented")
    })?;
    let file_name = source.file_name()?.to_str()?;
    let location = lines[..at]
        .iter()
        .rev()
        .find_map(|l| l.split_once(" panicked at ").map(|(_, loc)| loc))?
        .trim_end_matches(':');
    let mut parts = location.rsplitn(3, ':');
    let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
    let line: usize = line.parse().ok()?;
    let function = if file.ends_with(file_name) {
        enclosing_fn(&fs::read_to_string(source).ok()?, line)
    } else {
        None
    };
    Some(Outcome::Todo {
        function: function.unwrap_or_else(|| "?".to_string()),
        at: format!("{}:{line}", source.display()),
    })
}

/// The function around 1-based `line`: `name`, or `Type::name` inside an
/// `impl` block (`impl Future for Join2<A, B>` gives `Join2::poll`).
pub fn enclosing_fn(source: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let upto = line.min(lines.len());
    let (index, name) =
        lines[..upto].iter().enumerate().rev().find_map(|(i, l)| {
            let (_, after) = l.split_once("fn ")?;
            let before = &l[..l.len() - after.len() - 3];
            let keywords = before.split_whitespace().all(|w| {
                matches!(w, "pub" | "async" | "const" | "unsafe" | "pub(crate)")
            });
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (keywords && !name.is_empty()).then_some((i, name))
        })?;
    if !lines[index].starts_with(char::is_whitespace) {
        return Some(name);
    }
    let owner = lines[..index]
        .iter()
        .rev()
        .find(|l| l.starts_with("impl"))
        .and_then(|l| {
            let l = l.trim_end_matches('{').trim();
            let ty = l.rsplit_once(" for ").map_or_else(
                || l.strip_prefix("impl").unwrap_or(l),
                |(_, ty)| ty,
            );
            let ty = ty.trim();
            // `impl<T> Name<T>`: drop the impl's own generics.
            let ty = if ty.starts_with('<') {
                ty.split_once("> ").map_or(ty, |(_, t)| t)
            } else {
                ty
            };
            Some(ty.split('<').next()?.trim().to_string())
        });
    Some(match owner {
        Some(ty) if !ty.is_empty() => format!("{ty}::{name}"),
        _ => name,
    })
}

/// Builds one example in `dir` (the listing, or a copy of it) and returns
/// the path of the executable. Compiler messages go to the terminal.
pub fn build_example(dir: &Path, name: &str) -> Result<PathBuf> {
    let mut build = cmd::cargo();
    build.current_dir(dir).args([
        "build",
        "--example",
        name,
        "--message-format=json-render-diagnostics",
    ]);
    cmd::echo(&build);
    let out = build
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            format!("cannot start `{}`: {e}", cmd::describe(&build))
        })?;
    if !out.status.success() {
        return Err(format!(
            "编译失败：先修好上面的编译错误（`{}`）",
            cmd::describe(&build)
        )
        .into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    executable(&stdout, name).ok_or_else(|| {
        format!("cargo built `{name}` but did not say where it put it").into()
    })
}

/// The `"executable"` of the compiler-artifact message for example `name`
/// in cargo's JSON messages.
pub fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter(|l| l.contains("\"compiler-artifact\""))
        .filter(|l| l.contains(&format!("\"name\":\"{name}\"")))
        .find_map(|l| {
            let (_, rest) = l.split_once("\"executable\":\"")?;
            let mut path = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(PathBuf::from(path)),
                    '\\' => path.push(chars.next()?),
                    c => path.push(c),
                }
            }
            None
        })
}

/// How long an exercise may run. `XTASK_LISTING_TIMEOUT` (seconds)
/// overrides it, as for the listings.
pub fn timeout() -> Duration {
    if std::env::var_os("XTASK_LISTING_TIMEOUT").is_some() {
        running::timeout()
    } else {
        Duration::from_secs(30)
    }
}

/// Runs a built exercise program in `dir`.
pub fn run_program(program: &Path, dir: &Path) -> Result<Run> {
    let mut command = Command::new(program);
    command.current_dir(dir);
    running::run_with_timeout(&mut command, timeout())
}

/// What `cargo xtask exercise` was asked to do (declared in cli.rs).
pub enum Action {
    /// `--list`.
    List,
    /// `--status`.
    Status,
    /// `--check`.
    Check,
    /// `NAME [--solution | --path DIR]`.
    One {
        name: String,
        solution: bool,
        path: Option<PathBuf>,
    },
}

/// `cargo xtask exercise ...`.
pub fn run(root: &Path, action: Action) -> Result {
    let (exercises, problems) = discover(root);
    for problem in &problems {
        eprintln!("warning: {problem}");
    }
    match action {
        Action::List => {
            list(root, &exercises);
            Ok(())
        }
        Action::Status => status(root, &exercises),
        Action::Check => check::run_alone(root),
        Action::One {
            name,
            solution,
            path,
        } => {
            let exercise =
                exercises.iter().find(|e| e.name == name).ok_or_else(|| {
                    format!(
                        "没有叫 `{name}` 的练习；`cargo xtask exercise --list` \
                         列出全部"
                    )
                })?;
            one(root, exercise, solution, path)
        }
    }
}

fn list(root: &Path, exercises: &[Exercise]) {
    println!(
        "{} 个练习（cargo xtask exercise NAME 检查你的答案）：",
        exercises.len()
    );
    for e in exercises {
        let page = page(root, e).unwrap_or_else(|| "（书中没有）".to_string());
        println!(
            "  {:<5} {:<4} {:<18} {}  [{}]",
            e.listing,
            format!("{:<3}", e.stars()),
            e.name,
            e.meta.title,
            page
        );
    }
}

/// Checks one exercise and tells the reader, in Chinese, how it went.
fn one(
    root: &Path,
    exercise: &Exercise,
    solution: bool,
    path: Option<PathBuf>,
) -> Result {
    let dir = path.clone().unwrap_or_else(|| exercise.dir.clone());
    let target = if solution {
        format!("{}_solution", exercise.name)
    } else {
        exercise.name.clone()
    };
    let source = dir.join("examples").join(format!("{target}.rs"));
    if !source.is_file() {
        return Err(format!("{} 不存在", source.display()).into());
    }
    let shown = source.strip_prefix(root).unwrap_or(&source).to_path_buf();
    println!(
        "练习 {}（{}，{}）：检查 {}",
        exercise.name,
        exercise.listing,
        exercise.stars(),
        shown.display()
    );
    let program = build_example(&dir, &target)?;
    let run = run_program(&program, &dir)?;
    let outcome = judge(exercise, &shown, &run, timeout())?;
    let expected = exercise
        .expected
        .strip_prefix(root)
        .unwrap_or(&exercise.expected)
        .display()
        .to_string();
    match outcome {
        Outcome::Passed(took) => {
            println!(
                "通过 ✓ {}：输出与 {expected} 一致（用时 {took:.2?}）",
                exercise.name
            );
            return Ok(());
        }
        Outcome::Todo { function, at } => {
            println!("还没完成：`{function}` 里还有 `todo!()`（{at}）");
            println!("把 `{BEGIN}` 和 `{END}` 之间的 `todo!()` 换成你的代码。");
        }
        Outcome::TimedOut(limit) => {
            println!("没通过：程序运行超过 {limit:?} 被终止，它卡住了吗？");
        }
        Outcome::Crashed {
            status,
            stderr_tail,
        } => {
            println!("没通过：程序异常退出（{status}）。标准错误的最后几行：");
            for line in stderr_tail.lines() {
                println!("    {line}");
            }
        }
        Outcome::Differs(mismatches) => {
            let first = &mismatches[0];
            println!(
                "没通过：输出与 {expected} 不同，第一处不同在 {expected}:{}",
                first.line
            );
            println!("    期望：{}", first.expected);
            println!("    实际：{}", first.actual);
            if let Some(why) = &first.why {
                println!("    原因：{why}");
            }
            if mismatches.len() > 1 {
                println!("    （另外还有 {} 处不同）", mismatches.len() - 1);
            }
        }
    }
    println!("提示：{}", exercise.meta.hint);
    Err(format!("练习 {} 没通过", exercise.name).into())
}

/// `--status`: which exercises pass on this machine, as they are now.
fn status(root: &Path, exercises: &[Exercise]) -> Result {
    let listings: Vec<&str> = {
        let mut l: Vec<&str> =
            exercises.iter().map(|e| e.listing.as_str()).collect();
        l.dedup();
        l
    };
    let programs = check::build_all(root, &listings)?;
    let runs = check::run_all(
        exercises.iter().map(|e| (e, e.starter.clone())).collect(),
        &programs,
    );
    let mut passed = 0;
    for (exercise, outcome) in exercises.iter().zip(runs) {
        let state = match outcome {
            Ok(Outcome::Passed(_)) => {
                passed += 1;
                "通过".to_string()
            }
            Ok(Outcome::Todo { function, .. }) => {
                format!("还没完成（`{function}` 里还有 `todo!()`）")
            }
            Ok(_) => "没通过".to_string(),
            Err(e) => format!("没法运行：{e}"),
        };
        println!(
            "  {:<5} {:<4} {:<18} {state}",
            exercise.listing,
            format!("{:<3}", exercise.stars()),
            exercise.name
        );
    }
    println!("{passed}/{} 个练习通过", exercises.len());
    let _ = root;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
fn free() {
    todo!()
}

impl<A, B> Future for Join2<A, B>
where
    A: Future,
{
    fn poll(self: Pin<&mut Self>) -> Poll<()> {
        let x = 1;
        todo!()
    }
}

async fn later(co: &Gen) -> i64 {
    todo!()
}
";

    #[test]
    fn todo_lines_map_to_their_function() {
        assert_eq!(enclosing_fn(SOURCE, 2).as_deref(), Some("free"));
        assert_eq!(enclosing_fn(SOURCE, 11).as_deref(), Some("Join2::poll"));
        assert_eq!(enclosing_fn(SOURCE, 16).as_deref(), Some("later"));
    }

    #[test]
    fn a_todo_panic_names_the_function() {
        let dir = std::env::temp_dir()
            .join(format!("xtask-exercise-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let source = dir.join("demo.rs");
        fs::write(&source, SOURCE).unwrap();
        let stderr = "\nthread 'main' (42) panicked at \
                      listings/ch07/examples/demo.rs:11:9:\n\
                      not yet implemented\nnote: run with RUST_BACKTRACE=1\n";
        let found = find_todo(stderr, &source);
        fs::remove_dir_all(&dir).unwrap();
        match found {
            Some(Outcome::Todo { function, at }) => {
                assert_eq!(function, "Join2::poll");
                assert!(at.ends_with("demo.rs:11"), "{at}");
            }
            _ => panic!("no todo found"),
        }
        assert!(
            find_todo("thread 'main' panicked at a.rs:1:1:\nboom\n", &source)
                .is_none()
        );
    }

    #[test]
    fn the_executable_comes_from_the_artifact_message() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"other"},"executable":"/t/other"}
{"reason":"compiler-artifact","target":{"kind":["example"],"name":"step_range"},"executable":"/t/debug/examples/step_range"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable(messages, "step_range"),
            Some(PathBuf::from("/t/debug/examples/step_range"))
        );
        assert_eq!(executable(messages, "missing"), None);
    }

    #[test]
    fn meta_needs_every_key() {
        let meta = parse_meta("title: T\ndifficulty: 2\nhint: H\n").unwrap();
        assert_eq!((meta.title.as_str(), meta.difficulty), ("T", 2));
        assert!(parse_meta("title: T\ndifficulty: 4\nhint: H\n").is_err());
        assert!(parse_meta("title: T\ndifficulty: 1\n").is_err());
    }
}
