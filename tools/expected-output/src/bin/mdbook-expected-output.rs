//! mdBook preprocessor: shows expected-output files as a reader's terminal
//! would. It includes them itself, replacing each `{{#include …/output/
//! NAME.txt}}` by the file's text with every `{{recorded | min..max}}`
//! shown as `recorded` (see `expected_output::render_chapter`); the
//! chapter's own text, prose and inline code, is left as written. It also
//! adds each chapter's “预测输出” questions (`quizzes/chNN.txt`, see
//! `expected_output::quiz`) and the progress page (`{{#quiz-progress}}`).
//!
//! It runs before mdBook's `links` preprocessor (see book.toml), which then
//! expands the other `{{#include}}`s. mdBook calls it twice: `supports
//! <renderer>` (we support all), then with `[context, book]` as JSON on
//! stdin, expecting the book on stdout.

use expected_output::quiz::{self, ChapterProgress, Question};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-expected-output: {e}");
            ExitCode::FAILURE
        }
    }
}

const PROGRESS: &str = "{{#quiz-progress}}";

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let [context, mut book]: [Value; 2] = serde_json::from_str(&input)?;
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let questions: BTreeMap<String, Vec<Question>> = quiz::load_book(&root)
        .map_err(|errors| {
            format!(
                "{} “预测输出” question(s) break a rule or no longer make sense:\n{}",
                errors.len(),
                errors.join("\n")
            )
        })?
        .into_iter()
        .collect();
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    let mut chapters = Vec::new();
    rewrite_chapters(&mut book, &root.join(src), &questions, &mut chapters)?;
    let progress = progress(&root, &chapters, &questions);
    fill_progress(&mut book, &progress);
    io::stdout().write_all(serde_json::to_string(&book)?.as_bytes())?;
    Ok(())
}

/// Walks the book's JSON and rewrites every chapter's `content`, noting
/// (chNN, title, source path) of each numbered chapter. The walk is
/// generic so that it does not depend on the exact shape of mdBook's types.
fn rewrite_chapters(
    value: &mut Value,
    src: &Path,
    questions: &BTreeMap<String, Vec<Question>>,
    chapters: &mut Vec<(String, String, String)>,
) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                let path = chapter
                    .get("source_path")
                    .or_else(|| chapter.get("path"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let name = chapter
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                // Includes are relative to the chapter's own directory.
                let dir = src
                    .join(Path::new(&path).parent().unwrap_or(Path::new("")));
                if let Some(Value::String(content)) = chapter.get_mut("content")
                {
                    let mut read = |included: &str| {
                        let file = dir.join(included);
                        std::fs::read_to_string(&file).map_err(|e| {
                            format!("cannot include {}: {e}", file.display())
                        })
                    };
                    // Questions stand before the output they ask about;
                    // their places are lines of the chapter's file, so mark
                    // them in its text as read from disk (a preprocessor
                    // running before this one would have moved the lines:
                    // then they all go to the section at the end).
                    let ch = quiz::chapter_of(&path);
                    let mut placed: Vec<Question> = ch
                        .and_then(|c| questions.get(c))
                        .cloned()
                        .unwrap_or_default();
                    let on_disk = std::fs::read_to_string(src.join(&path))
                        .is_ok_and(|t| t == *content);
                    if !on_disk {
                        placed.iter_mut().for_each(|q| q.stands = None);
                    }
                    let marked = quiz::mark_slots(content, &placed);
                    let mut text =
                        expected_output::render_chapter(&marked, &mut read)
                            .map_err(|e| {
                                let shown = if path.is_empty() {
                                    "(draft)"
                                } else {
                                    path.as_str()
                                };
                                format!("{}: {e}", src.join(shown).display())
                            })?;
                    if let Some(ch) = ch {
                        text = quiz::fill_slots(&text, &placed);
                        let section = quiz::render_section(&placed);
                        if !section.is_empty() {
                            text = quiz::insert_section(&text, &section);
                        }
                        chapters.push((ch.to_string(), name, path));
                    }
                    *content = text;
                }
            }
            map.values_mut()
                .try_for_each(|v| rewrite_chapters(v, src, questions, chapters))
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|v| rewrite_chapters(v, src, questions, chapters)),
        _ => Ok(()),
    }
}

/// The progress page's body, for the chapters in book order.
fn progress(
    root: &Path,
    chapters: &[(String, String, String)],
    questions: &BTreeMap<String, Vec<Question>>,
) -> String {
    let entries: Vec<ChapterProgress> = chapters
        .iter()
        .map(|(ch, title, path)| ChapterProgress {
            chapter: ch.clone(),
            title: title.clone(),
            page: path.replace(".md", ".html"),
            questions: questions.get(ch).cloned().unwrap_or_default(),
            exercises: exercises(&root.join("listings").join(ch)),
        })
        .collect();
    quiz::render_progress(&entries)
}

/// (name, title, difficulty) of each exercise of a listing package.
fn exercises(listing: &Path) -> Vec<(String, String, u8)> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir(listing.join("exercises")) else {
        return out;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "meta") {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let (title, difficulty) = quiz::exercise_meta(&text);
            out.push((name, title, difficulty));
        }
    }
    out.sort();
    out
}

fn fill_progress(value: &mut Value, progress: &str) {
    match value {
        Value::String(s) if s.contains(PROGRESS) => {
            *s = s.replace(PROGRESS, progress);
        }
        Value::Object(map) => {
            map.values_mut().for_each(|v| fill_progress(v, progress))
        }
        Value::Array(items) => {
            items.iter_mut().for_each(|v| fill_progress(v, progress))
        }
        _ => {}
    }
}
