//! “预测输出” questions. Authors write, in `quizzes/chNN.txt`, which listing,
//! which lines and what to ask, and the wrong answers a reader would
//! plausibly give; the correct answer is derived here from the checked
//! expected-output file (or, for “does it compile?”, from the code block's
//! `compile_fail,EXXXX` that the code-block check verifies). Nothing in a
//! quiz file is the answer. A question whose output changed so that it no
//! longer makes sense (its anchor line is gone or ambiguous, its line lost
//! its arrival stamp, there is nothing left to order), or that breaks one of
//! the rules below, is an error naming the quiz file and line.
//!
//! The format: blocks separated by blank lines, `#` starts a comment line.
//!
//! ```text
//! next ch03/output/jumping_range.txt     # kind, then the output file under listings/
//! ask: 打印 0 2 3 2 3 之后，下一行是什么？
//! after: 3 #2                            # the 2nd line that contains “3”
//! wrong: 5                               # optional: a wrong choice
//!
//! order ch06/output/countdown.txt
//! ask: …
//! from: T-minus 2 (A)
//! to: T-minus 1 (B)
//!
//! time ch10/output/sleeping_loop.txt
//! ask: …
//! line: B starting
//! wrong: 4                               # wrong times in seconds, at least 2
//! wrong: 6
//!
//! compile
//! ask: …
//! block: fn assert_send      # text inside exactly one ```rust block of the chapter
//! because: E0373 …           # for a block that must not compile: the reason, with its code
//! wrong: …                   # wrong reasons
//!
//! unordered ch06/output/countdown.txt    # not a question: lines whose order
//! says: 不保证                            # the chapter (this text) says is
//! lines: T-minus 1 (A) | T-minus 2 (B)   # unspecified; no question may ask it
//!
//! twin ch20/python/output/cancel_finally.txt  # not a question: a Python run
//! of: ch20/output/cancel_drop.txt        # that prints this program's lines
//! except: drop worker's guard            # (reworded), except these; `of: -`
//!
//! retired                                # a question taken out: keeps its id
//! ```
//!
//! Any question on an output may say `code: chNN/python/x.py`: the listing
//! whose code the stem asks about, when it is not the output's own program.
//!
//! A line reference is text that must occur, in the line's literal parts
//! (never in a measured value, so `cargo xtask record` cannot break it), in
//! exactly one output line; ` #N` picks the N-th line that contains it.
//!
//! The rules (CONTRIBUTING.md “预测输出题”), checked for every question:
//! 1. the stem never contains the answer: measured values are shown as `…`
//!    in the question's lines and choices; a `next` stem does not quote the
//!    answer line; a `time` stem states no time equal to the answer;
//! 2. at least three distinct choices (an `order` question: three lines);
//! 3. no choice is visible where the question stands: the question is placed
//!    before the first output block of the chapter that shows any of its
//!    choices, its own output or a twin's, and no wrong choice is a line of
//!    the question's own shown lines; nor does the answer to a question
//!    above it on the same output (which reveals that output up to the line
//!    it asks) show the line it asks;
//! 4. wrong choices are instructive: written by the author (`wrong:`), or,
//!    for `next`, the lines nearest the answer that are not yet shown —
//!    never further than [`NEAR`] lines away; a `time` or `compile`
//!    question needs authored wrong choices;
//! 5. no question asks an order an `unordered` block declares unspecified;
//! 6. a question stands after its program's code: if a block that answers
//!    it comes before that code, it cannot be placed.
//!
//! Every Python output a chapter with questions shows is paired
//! (`listings/parity.txt`) or declared (`twin`), so that rule 3 knows which
//! runs answer which questions however they are worded.

use crate::markdown::{self, Heading, Markdown};
use crate::{Expected, Line, Part, parse, render_chapter};
use std::fmt::Write as _;
use std::path::Path;

/// How far from the answer (in output lines) a generated wrong choice of a
/// `next` question may come from.
pub const NEAR: usize = 5;

/// How much earlier than its ideal time a Python line's arrival band starts
/// (unless the ideal time is 0): its arrivals count from the first line,
/// which may itself be late.
const PYTHON_EARLY: f64 = 0.3;

/// A question ready to show.
#[derive(Debug, Clone)]
pub struct Question {
    /// `ch03-1`: the chapter and the question's place in its quiz file.
    pub id: String,
    pub kind: Kind,
    pub ask: String,
    /// Output lines shown with the question (what has been printed so far,
    /// the line asked about), or the code for a compile question.
    pub shown: Vec<String>,
    /// `rust` for code, `console` for output.
    pub shown_lang: &'static str,
    /// Choices in the order shown; for `order`, the lines in shuffled order.
    pub choices: Vec<String>,
    /// For a choice question, the index of the correct choice; for `order`,
    /// the correct order as indices into `choices`.
    pub answer: Vec<usize>,
    /// Said after an answer: where the truth comes from.
    pub explain: String,
    /// The listing's whole expected-output file, shown after an answer
    /// once every question on it has been answered.
    pub output: Option<String>,
    /// The output up to and including the last line this question asks
    /// about: what an answer reveals while another question on the same
    /// output is still open, so that no answer gives the next one away.
    pub partial: Option<String>,
    /// The output file under `listings/` (`ch03/output/jumping_range.txt`).
    pub source: Option<String>,
    /// Indices of the output lines the question asks about (the answer
    /// line, the timed line, the lines to order): a block showing any of
    /// them, the program's own or its twin's, answers it.
    pub asks: Vec<usize>,
    /// The number shown on the page (`第 3.1 题`): the question's place
    /// among its chapter's questions in page order. The id stays as in
    /// the quiz file, because readers' saved answers are keyed by it.
    pub number: usize,
    /// The chapter line (0-based) the question stands before, so that none
    /// of its choices is shown above it; `None`: in the section at the end.
    pub stands: Option<usize>,
    /// For a `time` question, the line and the band its time must lie in:
    /// an output block showing that line with a time in that band gives the
    /// answer away.
    pub asked: Option<Timed>,
}

/// A line's text (measured values as `…`) and a time band, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    pub text: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Order,
    Next,
    Time,
    Compile,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Order => "order",
            Kind::Next => "next",
            Kind::Time => "time",
            Kind::Compile => "compile",
        }
    }
}

/// Loads the questions of one chapter from its quiz file's text. `quiz` is
/// the quiz file's path as shown in errors (`quizzes/ch03.txt`), `chapter`
/// the chapter's `chNN`, `chapter_text` its Markdown (for compile
/// questions and where each question stands), and `listings` the directory
/// holding `chNN/output/…`.
pub fn load(
    quiz: &str,
    text: &str,
    chapter: &str,
    chapter_text: &str,
    listings: &Path,
) -> Result<Vec<Question>, Vec<String>> {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let all = blocks(text);
    let mut unordered = Vec::new();
    let mut twins = match parity_twins(listings) {
        Ok(t) => t,
        Err(e) => return Err(vec![e]),
    };
    for (line, block) in &all {
        if block[0].1.starts_with("unordered") {
            match unordered_group(block, chapter_text, listings) {
                Ok(g) => unordered.push(g),
                Err(e) => errors.push(format!("{quiz}:{line}: {e}")),
            }
        } else if block[0].1.starts_with("twin") {
            match declared_twin(block, listings) {
                Ok(t) => twins.push(t),
                Err(e) => errors.push(format!("{quiz}:{line}: {e}")),
            }
        }
    }
    let page = Page::new(chapter_text, listings);
    let is_question = |b: &Block| {
        !b[0].1.starts_with("unordered") && !b[0].1.starts_with("twin")
    };
    let mut number = 0;
    let mut line_of = Vec::new();
    for (line, block) in &all {
        if !is_question(block) {
            continue;
        }
        number += 1;
        // A question taken out keeps its number, so that the ones after
        // it keep theirs (readers' saved answers are keyed by them).
        if block[0].1 == "retired" {
            if block.len() > 1 {
                errors.push(format!(
                    "{quiz}:{line}: a `retired` block takes no keys: it only \
                     keeps the number of a question taken out"
                ));
            }
            continue;
        }
        let id = format!("{chapter}-{number}");
        let context = Context {
            chapter_text,
            listings,
            unordered: &unordered,
            twins: &twins,
            page: &page,
        };
        match question(&id, block, &context) {
            Ok(q) => {
                questions.push(q);
                line_of.push(*line);
            }
            Err(e) => errors.push(format!("{quiz}:{line}: {e}")),
        }
    }
    // A Python output the chapter shows must be known to be a program's
    // twin, or declared to be none: otherwise the check could not tell
    // that it answers a question above which it stands.
    let asks_outputs = questions.iter().any(|q| q.source.is_some());
    for (start, files, _) in &page.blocks {
        for f in files {
            let rel = f.trim_start_matches("listings/");
            if asks_outputs
                && rel.contains("/python/output/")
                && !twins.iter().any(|t| t.python == rel)
            {
                errors.push(format!(
                    "{quiz}:1: the chapter shows the Python output {f} (chapter \
                     line {}) without saying whose twin it is: add a `twin \
                     {rel}` block with `of:` the program's output whose lines \
                     it prints, or `of: -`, or pair it in listings/parity.txt",
                    start + 1
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Page order: by place, then (at one place) the question asking the
    // earlier line first, so that its reveal cannot answer the other.
    let mut order: Vec<usize> = (0..questions.len()).collect();
    order.sort_by_key(|&k| {
        let q = &questions[k];
        (
            q.stands.unwrap_or(usize::MAX),
            q.asks.iter().max().copied().unwrap_or(0),
            k,
        )
    });
    let mut placed: Vec<(Question, usize)> = order
        .into_iter()
        .map(|k| (questions[k].clone(), line_of[k]))
        .collect();
    for (n, (q, _)) in placed.iter_mut().enumerate() {
        q.number = n + 1;
    }
    // An answer reveals its output up to the line it asks about; a later
    // question on the same output must not ask any of those lines.
    for (b, (later, line)) in placed.iter().enumerate() {
        for (earlier, _) in &placed[..b] {
            let (Some(s), Some(upto)) =
                (&earlier.source, earlier.asks.iter().max())
            else {
                continue;
            };
            if later.source.as_ref() == Some(s)
                && later.asks.iter().any(|i| i <= upto)
            {
                errors.push(format!(
                    "{quiz}:{line}: rule 3: answering {} (above it on the page) \
                     reveals listings/{s} up to the line this question asks \
                     about: ask a later line, or about another output",
                    earlier.id
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(placed.into_iter().map(|(q, _)| q).collect())
    } else {
        Err(errors)
    }
}

/// What a question is checked against besides its own block.
struct Context<'a> {
    chapter_text: &'a str,
    listings: &'a Path,
    unordered: &'a [Unordered],
    twins: &'a [Twin],
    page: &'a Page,
}

/// A Python program whose output prints the lines of a Rust program's
/// output (in its own words, perhaps): shown above a question on the Rust
/// program, it answers the question, unless the question asks only lines
/// listed as the twin's exceptions.
#[derive(Debug)]
pub struct Twin {
    /// The twin's output file under `listings/`.
    python: String,
    /// The program's output file; `None`: declared to be no program's twin.
    program: Option<String>,
    /// Indices of the program's output lines the twin does not print.
    except: Vec<usize>,
}

/// The output file of a program's source: `ch03/src/bin/x.rs` or
/// `ch03/x` prints `ch03/output/x.txt`, `ch03/python/x.py` prints
/// `ch03/python/output/x.txt`.
fn output_of(program: &str) -> String {
    let (dir, name) = program.split_once('/').unwrap_or(("", program));
    if let Some(py) = name.strip_prefix("python/") {
        let stem = py.trim_end_matches(".py");
        return format!("{dir}/python/output/{stem}.txt");
    }
    let stem = name.trim_start_matches("src/bin/").trim_end_matches(".rs");
    format!("{dir}/output/{stem}.txt")
}

/// The source file of an output: the inverse of [`output_of`].
fn program_of(output: &str) -> String {
    match output.split_once("/python/output/") {
        Some((dir, file)) => {
            format!("{dir}/python/{}.py", file.trim_end_matches(".txt"))
        }
        None => {
            output
                .replacen("/output/", "/src/bin/", 1)
                .trim_end_matches(".txt")
                .to_string()
                + ".rs"
        }
    }
}

/// The twins `listings/parity.txt` pairs: `cargo xtask test` proves they
/// print the same lines (in the range given for the Rust side).
fn parity_twins(listings: &Path) -> Result<Vec<Twin>, String> {
    let Ok(text) = std::fs::read_to_string(listings.join("parity.txt")) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((python, rest)) = line.split_once(" = ") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let Some(rust) = words.first() else { continue };
        let program = output_of(rust);
        let mut except = Vec::new();
        if let Some(k) = words.iter().position(|w| *w == "rust")
            && let Some((a, b)) =
                words.get(k + 1).and_then(|r| r.split_once('-'))
            && let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>())
            && let Ok((_, expected, _)) = read_output(listings, &program)
        {
            except = (0..expected.lines.len())
                .filter(|i| *i + 1 < a || *i + 1 > b)
                .collect();
        }
        out.push(Twin {
            python: output_of(python.trim()),
            program: Some(program),
            except,
        });
    }
    Ok(out)
}

/// A `twin` block: `twin <python output>`, `of: <program output>` or
/// `of: -`, and optionally `except:` the program's lines (references,
/// separated by ` | `) that the twin does not print.
fn declared_twin(block: &Block, listings: &Path) -> Result<Twin, String> {
    let python = block[0]
        .1
        .strip_prefix("twin")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or("missing the Python output file after `twin`")?;
    for (_, l) in &block[1..] {
        let key = l.split(':').next().unwrap_or("");
        if !["of", "except"].contains(&key) {
            return Err(format!(
                "unknown key in `{l}` (a `twin` block takes of, except)"
            ));
        }
    }
    read_output(listings, python)?;
    let of = field(block, "of")?;
    if of == "-" {
        return Ok(Twin {
            python: python.to_string(),
            program: None,
            except: Vec::new(),
        });
    }
    let (file, expected, _) = read_output(listings, of)?;
    let except = match field(block, "except") {
        Ok(refs) => refs
            .split(" | ")
            .map(|r| find(&expected, &file, r.trim()))
            .collect::<Result<Vec<_>, _>>()?,
        Err(_) => Vec::new(),
    };
    Ok(Twin {
        python: python.to_string(),
        program: Some(of.to_string()),
        except,
    })
}

/// (line number of the block's first line, its lines with their numbers).
type Block = Vec<(usize, String)>;

fn blocks(text: &str) -> Vec<(usize, Block)> {
    let mut out: Vec<(usize, Block)> = Vec::new();
    let mut current: Block = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim_start().starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                out.push((current[0].0, std::mem::take(&mut current)));
            }
        } else {
            current.push((i + 1, line.to_string()));
        }
    }
    if !current.is_empty() {
        out.push((current[0].0, current));
    }
    out
}

fn field<'a>(block: &'a Block, key: &str) -> Result<&'a str, String> {
    block
        .iter()
        .find_map(|(_, l)| l.strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("missing `{key}:`"))
}

/// Every value of a repeatable key (`wrong:`).
fn fields(block: &Block, key: &str) -> Vec<String> {
    block
        .iter()
        .filter_map(|(_, l)| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Lines of one output whose relative order the chapter says is not
/// specified (`unordered` block).
struct Unordered {
    /// The output file, as in a question's first line.
    source: String,
    /// Indices into the output's lines.
    lines: Vec<usize>,
    says: String,
}

fn unordered_group(
    block: &Block,
    chapter_text: &str,
    listings: &Path,
) -> Result<Unordered, String> {
    let source = block[0]
        .1
        .strip_prefix("unordered")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or("missing the output file after `unordered`")?;
    for (_, l) in &block[1..] {
        let key = l.split(':').next().unwrap_or("");
        if !["says", "lines"].contains(&key) {
            return Err(format!(
                "unknown key in `{l}` (an `unordered` block takes says, lines)"
            ));
        }
    }
    let says = field(block, "says")?.to_string();
    if !chapter_text.contains(&says) {
        return Err(format!(
            "the chapter does not say “{says}”: an `unordered` block quotes \
             the chapter's words that the order is not specified"
        ));
    }
    let (file, expected, _) = read_output(listings, source)?;
    let lines = field(block, "lines")?
        .split(" | ")
        .map(|r| find(&expected, &file, r.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.len() < 2 {
        return Err(
            "`lines:` names at least two lines, separated by ` | `".to_string()
        );
    }
    Ok(Unordered {
        source: source.to_string(),
        lines,
        says,
    })
}

fn read_output(
    listings: &Path,
    source: &str,
) -> Result<(String, Expected, String), String> {
    let path = listings.join(source);
    let file = format!("listings/{source}");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {file}: {e}"))?;
    let expected = parse(&text).map_err(|e| {
        format!("{file}:{}: not an expected output: {}", e.line, e.message)
    })?;
    Ok((file, expected, text))
}

fn question(id: &str, block: &Block, cx: &Context) -> Result<Question, String> {
    let Context {
        chapter_text,
        listings,
        unordered,
        twins,
        page,
    } = *cx;
    let head = &block[0].1;
    let (kind, source) = match head.split_once(' ') {
        Some((k, s)) => (k, Some(s.trim())),
        None => (head.as_str(), None),
    };
    let ask = field(block, "ask")?.to_string();
    let kind = match kind {
        "order" => Kind::Order,
        "next" => Kind::Next,
        "time" => Kind::Time,
        "compile" => Kind::Compile,
        other => {
            return Err(format!(
                "unknown kind `{other}` (order, next, time, compile or \
                 unordered)"
            ));
        }
    };
    for (_, l) in &block[1..] {
        let key = l.split(':').next().unwrap_or("");
        let known: &[&str] = match kind {
            Kind::Order => &["ask", "from", "to", "code"],
            Kind::Next => &["ask", "after", "wrong", "code"],
            Kind::Time => &["ask", "line", "wrong", "code"],
            Kind::Compile => &["ask", "block", "because", "wrong"],
        };
        if !known.contains(&key) {
            return Err(format!(
                "unknown key in `{l}` (a `{}` question takes {})",
                kind.name(),
                known.join(", ")
            ));
        }
    }
    let wrong = fields(block, "wrong");
    let mut q = if kind == Kind::Compile {
        compile_question(id, &ask, block, &wrong, chapter_text)?
    } else {
        let source = source.ok_or("missing the output file after the kind")?;
        let (file, expected, text) = read_output(listings, source)?;
        let groups: Vec<&Unordered> =
            unordered.iter().filter(|g| g.source == source).collect();
        let mut q = match kind {
            Kind::Order => order(id, &expected, &file, block, &groups)?,
            Kind::Next => next(id, &expected, &file, block, &wrong, &groups)?,
            Kind::Time => time(id, &expected, &file, block, &ask, &wrong)?,
            Kind::Compile => unreachable!(),
        };
        let upto = q.asks.iter().max().copied().unwrap_or(0);
        let last = expected.lines[upto].number;
        if upto + 1 < expected.lines.len() {
            let lines: Vec<&str> = text.lines().take(last).collect();
            q.partial = Some(lines.join("\n") + "\n");
        }
        q.output = Some(text);
        q.source = Some(source.to_string());
        q.stands = place(&q, source, field(block, "code").ok(), twins, page)?;
        q
    };
    q.ask = ask;
    rules(&q, page)?;
    Ok(q)
}

/// Where a question on an output stands: after the code of its program
/// (or of the listing `code:` names, when the stem asks about that one) and
/// before the first block that answers it: an output block showing the
/// program's output or a twin's (unless it asks only lines the twin does
/// not print), a line equal to a choice or, for a `time` question, its line
/// at a time in its band, or a code comment stating a choice. When such a
/// block comes before the program's code, the question cannot be placed
/// (rule 6).
fn place(
    q: &Question,
    source: &str,
    code: Option<&str>,
    twins: &[Twin],
    page: &Page,
) -> Result<Option<usize>, String> {
    let own = format!("listings/{source}");
    let mut answering: Vec<String> = vec![own.clone()];
    for t in twins {
        if t.program.as_deref() == Some(source) {
            if !q.asks.iter().all(|i| t.except.contains(i)) {
                answering.push(format!("listings/{}", t.python));
            }
        } else if t.python == source
            && let Some(p) = &t.program
        {
            answering.push(format!("listings/{p}"));
        }
    }
    // `code:` names the listing the stem asks about instead: the Python
    // twin's, or one whose code the program repeats (the stem then says
    // what it changes).
    let program = code.map_or_else(|| program_of(source), str::to_string);
    // The program's code: the last block showing it before its own output.
    let own_block = page
        .blocks
        .iter()
        .find(|(_, files, _)| files.contains(&own))
        .map(|(start, _, _)| *start)
        .unwrap_or(usize::MAX);
    let Some(code_end) = page
        .code
        .iter()
        .filter(|(start, _, files)| {
            *start < own_block && files.contains(&program)
        })
        .map(|(_, end, _)| *end)
        .next_back()
    else {
        return Err(format!(
            "rule 6: the chapter shows no code of listings/{program} before its \
             output: a reader cannot predict the output of a program not yet \
             shown"
        ));
    };
    let output = page
        .blocks
        .iter()
        .find(|(_, files, body)| {
            files.iter().any(|f| answering.contains(f))
                || revealing(q)
                    .any(|c| body.iter().any(|l| l.trim() == c.trim()))
        })
        .map(|(start, _, _)| *start);
    let timed = q.asked.as_ref().and_then(|a| page.times(a, page.end));
    let output = output.into_iter().chain(timed).min();
    let end = output.unwrap_or(page.end);
    let comment = q.choices.iter().filter_map(|c| page.says(c, end)).min();
    let Some(limit) = comment.or(output) else {
        return Ok(None);
    };
    if limit <= code_end {
        let what = if comment.is_some() {
            "a code comment"
        } else {
            "the output block"
        };
        return Err(format!(
            "rule 6: {what} at chapter line {} answers the question but comes \
             before the code of listings/{program} (up to line {}): ask about \
             something it does not show",
            limit + 1,
            code_end + 1
        ));
    }
    Ok(page
        .stand_before(limit)
        .map(|n| if n <= code_end { limit } else { n }))
}

/// A line as the reader may see it before answering: measured values are
/// `…`, so no question shows a time, a size or a count it asks about (and
/// timestamps cannot give an order away).
pub fn masked(line: &Line) -> String {
    line.parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            Part::Measured(_) => "…",
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Literal text of a line, measured values replaced by a character no
/// reference can contain.
fn literal(line: &Line) -> String {
    line.parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            Part::Measured(_) => "\u{1}",
        })
        .collect()
}

/// The index (into `expected.lines`) of the line a reference names.
fn find(
    expected: &Expected,
    file: &str,
    reference: &str,
) -> Result<usize, String> {
    let (text, nth) = match reference.rsplit_once(" #") {
        Some((t, n)) if n.parse::<usize>().is_ok_and(|n| n > 0) => {
            (t, Some(n.parse::<usize>().unwrap()))
        }
        _ => (reference, None),
    };
    let hits: Vec<usize> = (0..expected.lines.len())
        .filter(|&i| literal(&expected.lines[i]).contains(text))
        .collect();
    let numbers = || {
        hits.iter()
            .map(|&i| expected.lines[i].number.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (nth, hits.len()) {
        (_, 0) => Err(format!(
            "no line of {file} contains “{text}”: the output changed, so \
             this question no longer makes sense"
        )),
        (None, 1) => Ok(hits[0]),
        (None, _) => Err(format!(
            "“{text}” occurs in lines {} of {file}: add ` #N` to say which",
            numbers()
        )),
        (Some(n), len) if n <= len => Ok(hits[n - 1]),
        (Some(n), _) => Err(format!(
            "“{text}” occurs only in lines {} of {file}, not {n} times: the \
             output changed, so this question no longer makes sense",
            numbers()
        )),
    }
}

fn at(expected: &Expected, file: &str, i: usize) -> String {
    format!("{file}:{}", expected.lines[i].number)
}

fn unspecified(
    groups: &[&Unordered],
    expected: &Expected,
    file: &str,
    a: usize,
    b: usize,
) -> Result<(), String> {
    for g in groups {
        if g.lines.contains(&a) && g.lines.contains(&b) {
            return Err(format!(
                "rule 5: asks the order of {} and {}, which the chapter \
                 says is not specified (“{}”, `unordered` block)",
                at(expected, file, a),
                at(expected, file, b),
                g.says
            ));
        }
    }
    Ok(())
}

fn order(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
    groups: &[&Unordered],
) -> Result<Question, String> {
    let from = find(expected, file, field(block, "from")?)?;
    let to = find(expected, file, field(block, "to")?)?;
    if to < from + 2 {
        return Err(format!(
            "rule 2: `from` ({}) to `to` ({}) must span at least 3 lines",
            at(expected, file, from),
            at(expected, file, to)
        ));
    }
    for a in from..=to {
        for b in a + 1..=to {
            unspecified(groups, expected, file, a, b)?;
        }
    }
    let lines: Vec<String> =
        expected.lines[from..=to].iter().map(masked).collect();
    let mut distinct = lines.clone();
    distinct.sort();
    distinct.dedup();
    if distinct.len() < 2 {
        return Err(format!(
            "lines {}..{} are all the same: nothing to order",
            at(expected, file, from),
            at(expected, file, to)
        ));
    }
    let shown = shuffle(id, &lines);
    let choices = shown.iter().map(|&i| lines[i].clone()).collect();
    let answer = (0..lines.len())
        .map(|k| shown.iter().position(|&i| i == k).unwrap())
        .collect();
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Order,
        ask: String::new(),
        shown: Vec::new(),
        shown_lang: "console",
        choices,
        answer,
        explain: format!(
            "这是 {file} 第 {}–{} 行，{}检查的就是这个顺序。",
            expected.lines[from].number, expected.lines[to].number, CHECKED
        ),
        output: None,
        partial: None,
        source: None,
        asks: (from..=to).collect(),
        number: 0,
        stands: None,
        asked: None,
    })
}

const CHECKED: &str = "`cargo xtask test` 每次运行程序时";

fn next(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
    wrong: &[String],
    groups: &[&Unordered],
) -> Result<Question, String> {
    let after = find(expected, file, field(block, "after")?)?;
    let Some(next_line) = expected.lines.get(after + 1) else {
        return Err(format!(
            "{} is the last line: nothing comes next",
            at(expected, file, after)
        ));
    };
    for later in after + 2..expected.lines.len() {
        unspecified(groups, expected, file, after + 1, later)?;
    }
    // Choices are compared and shown without their indentation, which
    // would otherwise tell the answer's kind of line from the others.
    let correct = masked(next_line).trim_start().to_string();
    let shown: Vec<String> =
        expected.lines[..=after].iter().map(masked).collect();
    let seen: Vec<String> =
        shown.iter().map(|l| l.trim_start().to_string()).collect();
    let mut choices: Vec<String> = Vec::new();
    for w in wrong {
        if *w == correct {
            return Err(format!(
                "`wrong: {w}` is the right answer ({file} line {}): the \
                 output changed, so this question no longer makes sense",
                next_line.number
            ));
        }
        choices.push(w.clone());
    }
    // Then the distinct lines nearest to the answer (by their nearest
    // occurrence) that the reader has not seen yet, up to three wrong
    // choices in all.
    let mut others: Vec<(usize, String)> = Vec::new();
    for (i, line) in expected.lines.iter().enumerate().skip(after + 2) {
        let text = masked(line).trim_start().to_string();
        let distance = i - (after + 1);
        if distance > NEAR
            || text == correct
            || seen.contains(&text)
            || choices.contains(&text)
        {
            continue;
        }
        if !others.iter().any(|(_, t)| *t == text) {
            others.push((distance, text));
        }
    }
    others.sort();
    let room = 3usize.saturating_sub(choices.len());
    choices.extend(others.into_iter().take(room).map(|(_, t)| t));
    if choices.len() < 2 {
        return Err(format!(
            "rule 2/4: only {} wrong choice(s): no unseen line within {NEAR} \
             lines of the answer ({file} line {}) differs from it; add \
             `wrong:` lines a reader would plausibly expect",
            choices.len(),
            next_line.number
        ));
    }
    choices.push(correct.clone());
    choices.sort_by_key(|c| hash(&format!("{id}/{c}")));
    let answer = vec![choices.iter().position(|c| *c == correct).unwrap()];
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Next,
        ask: String::new(),
        shown,
        shown_lang: "console",
        choices,
        answer,
        explain: format!(
            "{file} 第 {} 行就是它，{CHECKED}逐行比对。",
            next_line.number
        ),
        output: None,
        partial: None,
        source: None,
        asks: vec![after + 1],
        number: 0,
        stands: None,
        asked: None,
    })
}

/// Times (in seconds) a stem states outside `code` spans: `2 秒`, `0.5 s`,
/// `300 毫秒`, `300ms`.
fn stated_times(ask: &str) -> Vec<f64> {
    // The stem with each code span replaced by a space.
    let md = Markdown::parse(ask);
    let mut prose = String::new();
    let mut at = 0;
    for span in &md.code_spans {
        prose.push_str(&ask[at..span.range.start]);
        prose.push(' ');
        at = span.range.end;
    }
    prose.push_str(&ask[at..]);
    prose.push(' ');
    let chars: Vec<char> = prose.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            && (i == 0
                || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
        {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.')
            {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            let rest: String = chars[i..]
                .iter()
                .collect::<String>()
                .trim_start()
                .to_string();
            let scale = if rest.starts_with("毫秒") || rest.starts_with("ms")
            {
                Some(1e-3)
            } else if rest.starts_with('秒') || rest.starts_with('s') {
                Some(1.0)
            } else {
                None
            };
            if let (Ok(n), Some(s)) = (number.parse::<f64>(), scale) {
                out.push(n * s);
            }
        } else {
            i += 1;
        }
    }
    out
}

fn time(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
    ask: &str,
    wrong: &[String],
) -> Result<Question, String> {
    let i = find(expected, file, field(block, "line")?)?;
    let line = &expected.lines[i];
    // When the line arrives, or else how long its first measured time is.
    let measured = line.parts.iter().find_map(|p| match p {
        Part::Measured(b) if b.min.kind == crate::Kind::Time => Some(b),
        _ => None,
    });
    let (band, arrives) = match (&line.arrival, measured) {
        (Some(b), _) => (b, true),
        (None, Some(b)) => (b, false),
        (None, None) => {
            return Err(format!(
                "{} has neither an arrival stamp `⟨@recorded | ideal..upper⟩` \
                 nor a measured time: there is no time to ask about",
                at(expected, file, i)
            ));
        }
    };
    let (min, max) = (band.min.value, band.max.value);
    // A Python run's arrivals count from its first line, so its bands start
    // earlier than the ideal time (README.md, “带时刻的输出”).
    let ideal = if arrives && file.contains("/python/output/") && min > 0.0 {
        min + PYTHON_EARLY
    } else {
        min
    };
    for t in stated_times(ask) {
        if t >= min - 1e-9 && t <= max + 1e-9 {
            return Err(format!(
                "rule 1: the stem states {} s, which is the answer (the \
                 line arrives at {}–{}, {})",
                secs(t),
                band.min.text,
                band.max.text,
                at(expected, file, i)
            ));
        }
    }
    if wrong.len() < 2 {
        return Err(format!(
            "rule 2/4: a `time` question needs at least two `wrong:` times \
             (in seconds) a reader would plausibly expect, has {}",
            wrong.len()
        ));
    }
    let mut times = vec![ideal];
    for w in wrong {
        let t: f64 = w
            .parse()
            .map_err(|_| format!("`wrong: {w}` is not a number of seconds"))?;
        // Outside the band by a margin: exactly one choice is a time the
        // check accepts.
        if t > min - 0.05 && t < max + 0.05 {
            return Err(format!(
                "`wrong: {w}` lies in the line's band {}..{} ({}): it would \
                 be right, or the output changed under the question",
                band.min.text,
                band.max.text,
                at(expected, file, i)
            ));
        }
        if times.iter().any(|&u| secs(u) == secs(t)) {
            return Err(format!("`wrong: {w}` repeats another choice"));
        }
        times.push(t);
    }
    times.sort_by(f64::total_cmp);
    let answer = vec![times.iter().position(|&t| t == ideal).unwrap()];
    let choices = times
        .iter()
        .map(|&t| format!("约 {} 秒", secs(t)))
        .collect();
    let asked = Some(Timed {
        text: masked(line).trim().to_string(),
        min,
        max,
    });
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Time,
        ask: String::new(),
        shown: vec![masked(line)],
        shown_lang: "console",
        choices,
        answer,
        explain: if arrives {
            format!(
                "理想时刻是 {} 秒；录制时它在 t = {} 出现{}，{CHECKED}要求它在 \
                 {}–{} 之间到达（{file} 第 {} 行）。",
                secs(ideal),
                band.recorded.text,
                if file.contains("/python/output/") {
                    "（从第一行到达算起）"
                } else {
                    ""
                },
                band.min.text,
                band.max.text,
                line.number
            )
        } else {
            format!(
                "理想值是 {} 秒；录制时测得 {}，{CHECKED}要求它在 {}–{} 之间\
                 （{file} 第 {} 行）。",
                secs(ideal),
                band.recorded.text,
                band.min.text,
                band.max.text,
                line.number
            )
        },
        output: None,
        partial: None,
        source: None,
        asks: vec![i],
        number: 0,
        stands: None,
        asked,
    })
}

fn secs(t: f64) -> String {
    let s = format!("{:.2}", (t * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The rules every question obeys (module doc); the error names the rule.
fn rules(q: &Question, page: &Page) -> Result<(), String> {
    let mut distinct = q.choices.clone();
    distinct.sort();
    distinct.dedup();
    if q.kind != Kind::Order && distinct.len() != q.choices.len() {
        return Err("rule 2: two choices read the same".to_string());
    }
    if q.choices.len() < 3 {
        return Err(format!(
            "rule 2: {} choices; a question offers at least three",
            q.choices.len()
        ));
    }
    let stem = q.ask.as_str();
    if q.kind == Kind::Next {
        let correct = &q.choices[q.answer[0]];
        let quoted = Markdown::parse(stem)
            .code_spans
            .iter()
            .any(|span| span.code == *correct);
        if quoted
            || (correct.chars().count() >= 4 && stem.contains(correct.as_str()))
        {
            return Err(format!(
                "rule 1: the stem quotes the answer “{correct}”"
            ));
        }
        for (i, c) in q.choices.iter().enumerate() {
            if i != q.answer[0] && q.shown.iter().any(|l| l.trim() == c.trim())
            {
                return Err(format!(
                    "rule 3: the wrong choice “{c}” is already shown above \
                     the question"
                ));
            }
        }
    }
    if q.kind != Kind::Compile {
        let before = q.stands.unwrap_or(page.end);
        if let Some(asked) = &q.asked
            && let Some(line) = page.times(asked, before)
        {
            return Err(format!(
                "rule 3: the output block at chapter line {} above the \
                 question already shows when “{}” arrives",
                line + 1,
                asked.text
            ));
        }
        for c in revealing(q) {
            if let Some(line) = page.shows(c, before) {
                return Err(format!(
                    "rule 3: the choice “{c}” is already shown by the output \
                     block at chapter line {} above the question",
                    line + 1
                ));
            }
            if let Some(line) = page.says(c, before) {
                return Err(format!(
                    "rule 3: the choice “{c}” is already stated by a comment \
                     in the code block at chapter line {} above the question",
                    line + 1
                ));
            }
        }
    }
    Ok(())
}

/// The lines that give a question away when the page shows them above it:
/// its choices, and for a `time` question the line it asks about (an
/// output block shows when it arrives, or its measured time).
fn revealing(q: &Question) -> impl Iterator<Item = &String> {
    q.choices.iter()
}

/// An output line's times: its arrival's band and its first measured
/// time's.
fn timings(line: &Line) -> Vec<Timed> {
    let text = masked(line).trim().to_string();
    let measured = line.parts.iter().find_map(|p| match p {
        Part::Measured(b) if b.min.kind == crate::Kind::Time => Some(b),
        _ => None,
    });
    line.arrival
        .iter()
        .chain(measured)
        .map(|b| Timed {
            text: text.clone(),
            min: b.min.value,
            max: b.max.value,
        })
        .collect()
}

/// Whether a shown line gives a time question away: the same line, with a
/// band that overlaps the asked one (a Python twin's line at the same time).
fn reveals(shown: &Timed, asked: &Timed) -> bool {
    shown.text == asked.text && shown.min <= asked.max && asked.min <= shown.max
}

/// What a chapter shows: its output blocks (```console, ```text or bare
/// fences, with `{{#include …/output/…}}` files read and masked), and where
/// the quiz section at the end goes.
pub struct Page {
    /// (line of the opening fence, the files it includes, its lines).
    blocks: Vec<(usize, Vec<String>, Vec<String>)>,
    /// (line of the opening fence, timed lines) of every output block.
    timed: Vec<(usize, Vec<Timed>)>,
    /// (line of the opening fence, code) of every ```rust block.
    rust: Vec<(usize, String)>,
    /// (line of the opening fence, line of the closing fence, the listing
    /// files it includes, as `chNN/src/bin/x.rs`) of every code block that
    /// is not output.
    code: Vec<(usize, usize, Vec<String>)>,
    /// (line of the opening fence, comments) of every other code block,
    /// included files read: the originals' `print(x)  # 2` says what a
    /// line prints as plainly as an output block.
    comments: Vec<(usize, Vec<String>)>,
    /// The line the end section stands before.
    end: usize,
    /// The (0-based) line of every code block's closing fence.
    closing: Vec<usize>,
    /// The chapter's lines.
    lines: Vec<String>,
}

impl Page {
    pub fn new(chapter_text: &str, listings: &Path) -> Page {
        let md = Markdown::parse(chapter_text);
        let lines: Vec<String> =
            chapter_text.lines().map(str::to_string).collect();
        let mut blocks = Vec::new();
        let mut rust = Vec::new();
        let mut comments = Vec::new();
        let end = exercises_heading(&md).map_or(lines.len(), |h| h.line - 1);
        let mut timed_blocks = Vec::new();
        let mut code = Vec::new();
        let mut closing = Vec::new();
        for block in md.blocks.iter().filter(|b| b.fenced) {
            // 0-based lines of the opening and the closing fence.
            let start = block.line - 1;
            let close = md.line(block.range.end.saturating_sub(1)) - 1;
            closing.push(close);
            let info = block.info.as_str();
            let mut files = Vec::new();
            let mut body = Vec::new();
            let mut sources = Vec::new();
            let mut timed: Vec<Timed> = Vec::new();
            for (k, line) in block.body.lines().enumerate() {
                let t = line.trim();
                // A line that is one include of a listing's file.
                let include = md
                    .live_directives()
                    .filter(|d| d.line == block.first_body_line + k)
                    .find(|d| {
                        matches!(d.kind.as_str(), "include" | "rustdoc_include")
                            && md.text(&d.range) == t
                    })
                    .and_then(|d| d.args.split("listings/").nth(1));
                match include {
                    Some(rel) if !rel.contains("/output/") => {
                        body.extend(included_code(listings, rel));
                        let file = rel.split(':').next().unwrap_or(rel);
                        sources.push(file.to_string());
                    }
                    Some(rel) => {
                        files.push(format!("listings/{rel}"));
                        if let Ok(text) =
                            std::fs::read_to_string(listings.join(rel))
                            && let Ok(e) = parse(&text)
                        {
                            for line in &e.lines {
                                body.push(masked(line));
                                timed.extend(timings(line));
                            }
                        }
                    }
                    None => body.push(t.to_string()),
                }
            }
            let output = info.is_empty()
                || info.starts_with("console")
                || info.starts_with("text");
            if output {
                blocks.push((start, files, body));
                timed_blocks.push((start, timed));
            } else {
                code.push((start, close, sources));
                if info.starts_with("rust") {
                    rust.push((start, body.join("\n")));
                }
                let said = body.iter().filter_map(|l| comment(l));
                comments.push((start, said.collect()));
            }
        }
        Page {
            blocks,
            timed: timed_blocks,
            code,
            rust,
            comments,
            end,
            closing,
            lines,
        }
    }

    /// The line of the first code block above `before` whose comments
    /// state `text` (as a word of its own: `# 2`, `// Prints '84'`).
    fn says(&self, text: &str, before: usize) -> Option<usize> {
        self.comments
            .iter()
            .take_while(|(start, _)| *start < before)
            .find(|(_, said)| said.iter().any(|c| states(c, text)))
            .map(|(start, _)| *start)
    }

    /// The line of the first output block above `before` that shows `text`
    /// as one of its lines.
    fn shows(&self, text: &str, before: usize) -> Option<usize> {
        self.blocks
            .iter()
            .take_while(|(start, _, _)| *start < before)
            .find(|(_, _, body)| body.iter().any(|l| l.trim() == text.trim()))
            .map(|(start, _, _)| *start)
    }

    /// The line of the first output block above `before` that shows the
    /// line a time question asks about, at a time in its band.
    fn times(&self, asked: &Timed, before: usize) -> Option<usize> {
        self.timed
            .iter()
            .take_while(|(start, _)| *start < before)
            .find(|(_, lines)| lines.iter().any(|l| reveals(l, asked)))
            .map(|(start, _)| *start)
    }

    fn stand_before(&self, fence: usize) -> Option<usize> {
        if fence >= self.end || self.lines[fence].starts_with([' ', '\t', '>'])
        {
            return None;
        }
        let mut n = fence;
        while n > 0 && self.lines[n - 1].trim().is_empty() {
            n -= 1;
        }
        let lead = n
            .checked_sub(1)
            .map(|p| self.lines[p].trim_end())
            .is_some_and(|l| l.ends_with('：') || l.ends_with(':'));
        if !lead {
            return Some(fence);
        }
        let mut p = n - 1;
        while p > 0 {
            let above = self.lines[p - 1].trim();
            if above.is_empty()
                || above.starts_with('#')
                || self.closing.contains(&(p - 1))
            {
                break;
            }
            p -= 1;
        }
        if self.lines[p].starts_with([' ', '\t', '>', '-', '*']) {
            return Some(fence);
        }
        Some(p)
    }
}

/// The comment of a code line: after `//`, or after `#` at the start or
/// after a space (Python), never inside a string in the common cases.
fn comment(line: &str) -> Option<String> {
    if let Some(i) = line.find("//") {
        return Some(line[i + 2..].trim().to_string());
    }
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix('#') {
        return (!rest.starts_with('[') && !rest.starts_with('!'))
            .then(|| rest.trim().to_string());
    }
    line.find("  # ").map(|i| line[i + 4..].trim().to_string())
}

/// Whether a comment states `text` as a word of its own.
fn states(comment: &str, text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let word = |c: Option<char>| {
        c.is_some_and(|c| {
            c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
        })
    };
    comment.match_indices(text).any(|(i, _)| {
        !word(comment[..i].chars().next_back())
            && !word(comment[i + text.len()..].chars().next())
    })
}

/// The lines an include shows: `file`, `file:anchor` or `file:from:to`.
fn included_code(listings: &Path, rel: &str) -> Vec<String> {
    let mut parts = rel.split(':');
    let file = parts.next().unwrap_or("");
    let Ok(text) = std::fs::read_to_string(listings.join(file)) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let pick: Vec<&str> = match (parts.next(), parts.next()) {
        (None, _) => lines,
        (Some(a), b) if a.parse::<usize>().is_ok() || a.is_empty() => {
            let from = a.parse::<usize>().unwrap_or(1).max(1);
            let to = b
                .and_then(|b| b.parse::<usize>().ok())
                .unwrap_or(lines.len());
            lines
                .get(from - 1..to.min(lines.len()))
                .unwrap_or_default()
                .to_vec()
        }
        (Some(name), _) => {
            let open = format!("ANCHOR: {name}");
            let close = format!("ANCHOR_END: {name}");
            lines
                .iter()
                .skip_while(|l| !l.contains(&open))
                .take_while(|l| !l.contains(&close))
                .copied()
                .collect()
        }
    };
    pick.into_iter().map(str::to_string).collect()
}

fn compile_question(
    id: &str,
    ask: &str,
    block: &Block,
    wrong: &[String],
    chapter_text: &str,
) -> Result<Question, String> {
    let snippet = field(block, "block")?;
    let blocks = rust_blocks(chapter_text);
    let hits: Vec<&(String, String)> = blocks
        .iter()
        .filter(|(_, code)| code.contains(snippet))
        .collect();
    let [(info, code)] = hits.as_slice() else {
        return Err(format!(
            "“{snippet}” must occur in exactly one ```rust block of the \
             chapter, found {}",
            hits.len()
        ));
    };
    let flags: Vec<&str> = info.split(',').map(str::trim).collect();
    if flags.contains(&"ignore") {
        return Err(format!(
            "the block with “{snippet}” is `ignore`: nothing checks whether \
             it compiles"
        ));
    }
    let fails = flags.contains(&"compile_fail");
    let code_flag = flags.iter().find(|f| f.starts_with('E')).copied();
    let because = field(block, "because").ok();
    let verdict = match (fails, because) {
        (false, None) => "能编译".to_string(),
        (false, Some(_)) => {
            return Err(format!(
                "`because:` gives a reason it does not compile, but the block \
                 is `{info}`: it compiles"
            ));
        }
        (true, None) => {
            return Err(format!(
                "the block is `{info}`: say why it does not compile with \
                 `because: {} …`",
                code_flag.unwrap_or("")
            ));
        }
        (true, Some(b)) => {
            let (code, reason) = b.split_once(' ').unwrap_or((b, ""));
            let code_ok = match code_flag {
                Some(c) => code == c,
                None => code == "-",
            };
            if !code_ok || reason.trim().is_empty() {
                return Err(format!(
                    "`because:` starts with the block's error code ({}), then \
                     the reason; the block is `{info}`",
                    code_flag.unwrap_or("`-` when rustc gives none")
                ));
            }
            format!("不能编译：{}", reason.trim())
        }
    };
    let mut choices = vec!["能编译".to_string()];
    if verdict != choices[0] {
        choices.push(verdict.clone());
    }
    for w in wrong {
        choices.push(format!("不能编译：{w}"));
    }
    choices.sort_by_key(|c| hash(&format!("{id}/{c}")));
    let answer = vec![choices.iter().position(|c| *c == verdict).unwrap()];
    let shown = code
        .lines()
        .filter(|l| !(l.trim_start().starts_with("# ") || l.trim() == "#"))
        .map(str::to_string)
        .collect();
    let page = Page::new(chapter_text, Path::new(""));
    let stands = page
        .rust
        .iter()
        .find(|(_, c)| c.contains(snippet))
        .and_then(|(start, _)| page.stand_before(*start));
    let _ = ask;
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Compile,
        ask: String::new(),
        shown,
        shown_lang: "rust",
        choices,
        answer,
        explain: format!(
            "代码块标的是 `{info}`，`cargo xtask test` 真的编译它，确认{}。",
            if fails {
                format!(
                    "它不能编译（{}）",
                    code_flag.unwrap_or("rustc 不给错误码")
                )
            } else {
                "它能编译".to_string()
            }
        ),
        output: None,
        partial: None,
        source: None,
        asks: Vec::new(),
        number: 0,
        stands,
        asked: None,
    })
}

/// (info string, code) of every fenced ```rust block.
fn rust_blocks(text: &str) -> Vec<(String, String)> {
    Markdown::parse(text)
        .blocks
        .into_iter()
        .filter(|b| b.fenced && b.info.starts_with("rust"))
        .map(|b| (b.info, b.body))
        .collect()
}

/// The order an `order` question shows its lines in: a Fisher–Yates
/// shuffle seeded by the question's id and its lines (stable between
/// builds), drawn again while the result has a pattern a reader could undo
/// without reading the program: the right order itself, reversed, or
/// rotated (and, from four lines on, a rotation read backwards). Three
/// lines have no other orders, so there only the right order and its
/// reversal are refused.
fn shuffle(id: &str, lines: &[String]) -> Vec<usize> {
    let n = lines.len();
    let mut state = hash(&format!("{id}\n{}", lines.join("\n")));
    // splitmix64: FNV-1a alone maps keys differing in their last byte to
    // orders differing by an xor, which is how every shown order came out
    // reversed, block-swapped or rotated.
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..1000 {
        order = (0..n).collect();
        for i in (1..n).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        if !patterned(&order, lines) {
            return order;
        }
    }
    order
}

/// Whether lines shown in `order` read as the right order, rotated or
/// reversed (compared by text, so repeated lines count as the same).
pub fn patterned(order: &[usize], lines: &[String]) -> bool {
    let n = order.len();
    let shown = |k: usize| &lines[order[k]];
    let forward = |r: usize| (0..n).all(|k| *shown(k) == lines[(k + r) % n]);
    let backward =
        |r: usize| (0..n).all(|k| *shown(k) == lines[(r + n - k) % n]);
    if n <= 3 {
        return forward(0) || backward(n - 1);
    }
    (0..n).any(|r| forward(r) || backward(r))
}

/// 64-bit FNV-1a: a stable seed that does not change between builds.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Escapes text and turns its code spans (as CommonMark reads them) into
/// `<code>`.
pub fn inline(s: &str) -> String {
    let md = Markdown::parse(s);
    let mut out = String::new();
    let mut at = 0;
    for span in &md.code_spans {
        out.push_str(&markdown::escape_html(&s[at..span.range.start]));
        write!(out, "<code>{}</code>", markdown::escape_html(&span.code))
            .unwrap();
        at = span.range.end;
    }
    out.push_str(&markdown::escape_html(&s[at..]));
    out
}

/// The Markdown for a chapter's questions that stand at the end: a
/// `## 预测输出` section, each question as HTML that theme/quiz.js makes
/// interactive. The section sits between `<!-- quiz -->` and
/// `<!-- /quiz -->` so the EPUB can leave it out (an e-book has no
/// scripts). Empty when every question stands inside the chapter.
pub fn render_section(questions: &[Question]) -> String {
    let at_end: Vec<&Question> =
        questions.iter().filter(|q| q.stands.is_none()).collect();
    if at_end.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n<!-- quiz -->\n\n## 预测输出\n\n<p class=\"quiz-intro\">先想好程序会打印什么、\
         何时打印，再作答。题目和答案都由 <code>cargo xtask test</code> 检查过的预期输出\
         生成；答过之后显示真实输出。答题记录只存在这台设备的浏览器里，见\
         <a href=\"progress.html\">自测进度</a>。</p>\n\n",
    );
    for q in at_end {
        out.push_str(&render_question(q));
    }
    out.push_str("<!-- /quiz -->\n\n");
    out
}

const SLOT: &str = "<!-- quiz-slot ";

/// Marks, in a chapter's Markdown before it is rendered, where each question
/// that stands inside the chapter goes: before the output it asks about.
pub fn mark_slots(chapter: &str, questions: &[Question]) -> String {
    let mut out = String::with_capacity(chapter.len());
    for (n, line) in chapter.split_inclusive('\n').enumerate() {
        for q in questions.iter().filter(|q| q.stands == Some(n)) {
            writeln!(out, "{SLOT}{} -->\n", q.id).unwrap();
        }
        out.push_str(line);
    }
    out
}

/// Replaces the marks of [`mark_slots`] in the rendered chapter with the
/// questions, each between `<!-- quiz -->` and `<!-- /quiz -->`.
pub fn fill_slots(chapter: &str, questions: &[Question]) -> String {
    let mut out = chapter.to_string();
    for q in questions.iter().filter(|q| q.stands.is_some()) {
        let mark = format!("{SLOT}{} -->\n", q.id);
        let html =
            format!("<!-- quiz -->\n\n{}<!-- /quiz -->\n", render_question(q));
        out = out.replacen(&mark, &html, 1);
    }
    out
}

fn render_question(q: &Question) -> String {
    let id = &q.id;
    let chapter = id.trim_start_matches("ch").split('-').next().unwrap_or("");
    let number = format!("{}.{}", chapter.trim_start_matches('0'), q.number);
    let mut h = String::new();
    let answer: Vec<String> = q.answer.iter().map(|a| a.to_string()).collect();
    write!(
        h,
        "<section class=\"quiz\" id=\"quiz-{id}\" data-quiz=\"{id}\" \
         data-kind=\"{}\" data-answer=\"{}\"{} aria-labelledby=\"quiz-{id}-h\">\n\
         <h3 id=\"quiz-{id}-h\">{}第 {number} 题</h3>\n\
         <p class=\"quiz-ask\">{}</p>\n",
        q.kind.name(),
        answer.join(","),
        q.source
            .as_ref()
            .map(|s| format!(" data-output=\"{}\"", markdown::escape_html(s)))
            .unwrap_or_default(),
        if q.stands.is_some() {
            "预测输出："
        } else {
            ""
        },
        inline(&q.ask)
    )
    .unwrap();
    if !q.shown.is_empty() {
        let lang = q.shown_lang;
        writeln!(
            h,
            "<pre class=\"quiz-shown\"><code class=\"language-{lang}\">{}</code></pre>",
            // One physical line: a blank line would end the HTML block.
            q.shown
                .iter()
                .map(|l| markdown::escape_html(l))
                .collect::<Vec<_>>()
                .join("&#10;")
        )
        .unwrap();
    }
    match q.kind {
        Kind::Order => {
            write!(
                h,
                "<p id=\"quiz-{id}-pool\">按你认为的先后依次选择下面各行（{} 行）：</p>\n\
                 <div class=\"quiz-pool\" role=\"group\" aria-labelledby=\"quiz-{id}-pool\">\n",
                q.choices.len()
            )
            .unwrap();
            for (i, c) in q.choices.iter().enumerate() {
                writeln!(
                    h,
                    "<button type=\"button\" class=\"quiz-item\" data-index=\"{i}\"><code>{}</code></button>",
                    markdown::escape_html(c)
                )
                .unwrap();
            }
            write!(
                h,
                "</div>\n<p id=\"quiz-{id}-picked\">你排的顺序：</p>\n\
                 <ol class=\"quiz-picked\" aria-labelledby=\"quiz-{id}-picked\"></ol>\n\
                 <button type=\"button\" class=\"quiz-undo\">撤销最后一行</button>\n"
            )
            .unwrap();
        }
        _ => {
            h.push_str(
                "<fieldset class=\"quiz-choices\"><legend>选一项</legend>\n",
            );
            for (i, c) in q.choices.iter().enumerate() {
                let text = if q.kind == Kind::Next {
                    format!("<code>{}</code>", markdown::escape_html(c))
                } else {
                    markdown::escape_html(c)
                };
                writeln!(
                    h,
                    "<label><input type=\"radio\" name=\"quiz-{id}\" value=\"{i}\"> {text}</label>"
                )
                .unwrap();
            }
            h.push_str("</fieldset>\n");
        }
    }
    write!(
        h,
        "<button type=\"button\" class=\"quiz-submit\">提交答案</button>\n\
         <p class=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></p>\n\
         <div class=\"quiz-reveal\" hidden>\n<p>{}</p>\n",
        inline(&q.explain)
    )
    .unwrap();
    h.push_str("</div>\n");
    // The real output, rendered by the same code as the chapters'; a timed
    // one carries its replay data under another class, so the replay
    // appears only once the question is answered. Given as an included
    // expected-output file, so that its bands and stamps are rendered
    // exactly as in the chapter. theme/quiz.js shows the whole output only
    // once every question on it is answered, before that the part up to
    // the line this question asks about.
    let render = |output: &str| {
        let fenced = "```console\n{{#include quiz/output/shown.txt}}\n```\n";
        let mut read = |_: &str| Ok(output.trim_end().to_string());
        render_chapter(fenced, &mut read)
            .expect("an output already parsed renders")
            .replace("class=\"timed-output\"", "class=\"quiz-timed-output\"")
    };
    if let Some(partial) = &q.partial {
        write!(
            h,
            "<div class=\"quiz-output-partial\" hidden>\n\n<p>真实输出（到这道题问的那一行为止；\
             这份输出上的题都答过之后显示全部）：</p>\n\n{}\n</div>\n",
            render(partial)
        )
        .unwrap();
    }
    if let Some(output) = &q.output {
        write!(
            h,
            "<div class=\"quiz-output\" hidden>\n\n<p>真实输出：</p>\n\n{}\n</div>\n",
            render(output)
        )
        .unwrap();
    }
    h.push_str("</section>\n\n");
    h
}

/// A chapter's `chNN` from its source path (`ch03-send.md`).
pub fn chapter_of(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let nn = name.strip_prefix("ch")?.get(..2)?;
    (nn.bytes().all(|b| b.is_ascii_digit()) && name[4..].starts_with('-'))
        .then(|| &name[..4])
}

/// Inserts the quiz section before the chapter's `## 练习` or `## 动手试试`
/// section, whichever comes first, else at the end.
pub fn insert_section(chapter: &str, section: &str) -> String {
    let md = Markdown::parse(chapter);
    match exercises_heading(&md) {
        Some(heading) => {
            let at = md.line_start(heading.line);
            format!("{}{section}{}", &chapter[..at], &chapter[at..])
        }
        None => format!("{chapter}\n{section}"),
    }
}

/// The chapter's `## 练习` or `## 动手试试` heading, whichever comes first.
fn exercises_heading<'m>(md: &'m Markdown) -> Option<&'m Heading> {
    md.headings.iter().find(|h| {
        h.level == 2
            && (h.text == "练习" || h.text == "动手试试")
            && md.text(&(md.line_start(h.line)..h.range.end)).trim_end()
                == format!("## {}", h.text)
    })
}

/// One chapter's line on the progress page.
pub struct ChapterProgress {
    /// `ch03`.
    pub chapter: String,
    pub title: String,
    /// The chapter's page, `ch03-send.html`.
    pub page: String,
    pub questions: Vec<Question>,
    /// (name, title, difficulty 1–3) of each exercise.
    pub exercises: Vec<(String, String, u8)>,
}

/// The progress page's body: every question and exercise by chapter; what
/// the reader has done is filled in by theme/quiz.js from localStorage.
pub fn render_progress(chapters: &[ChapterProgress]) -> String {
    let questions: usize = chapters.iter().map(|c| c.questions.len()).sum();
    let exercises: usize = chapters.iter().map(|c| c.exercises.len()).sum();
    let mut h = format!(
        "<div class=\"quiz-progress\" data-questions=\"{questions}\" data-exercises=\"{exercises}\">\n\
         <p class=\"quiz-progress-summary\" role=\"status\" aria-live=\"polite\">共 {questions} 道题、{exercises} 个练习。</p>\n\
         <p><button type=\"button\" class=\"quiz-reset\">清空我的答题记录和练习勾选</button></p>\n"
    );
    for c in chapters {
        if c.questions.is_empty() && c.exercises.is_empty() {
            continue;
        }
        write!(
            h,
            "<section class=\"quiz-progress-chapter\" aria-labelledby=\"progress-{ch}\">\n\
             <h2 id=\"progress-{ch}\"><a href=\"{page}\">{title}</a></h2>\n",
            ch = c.chapter,
            page = markdown::escape_html(&c.page),
            title = markdown::escape_html(&c.title)
        )
        .unwrap();
        if !c.questions.is_empty() {
            h.push_str("<ul class=\"quiz-progress-questions\">\n");
            for q in &c.questions {
                writeln!(
                    h,
                    "<li data-quiz=\"{id}\"><a href=\"{page}#quiz-{id}\">{ask}</a> \
                     <span class=\"quiz-status\">未答</span></li>",
                    id = q.id,
                    page = markdown::escape_html(&c.page),
                    ask = inline(&q.ask)
                )
                .unwrap();
            }
            h.push_str("</ul>\n");
        }
        if !c.exercises.is_empty() {
            h.push_str("<ul class=\"quiz-progress-exercises\">\n");
            for (name, title, difficulty) in &c.exercises {
                let stars = "★".repeat(usize::from(*difficulty));
                writeln!(
                    h,
                    "<li><label><input type=\"checkbox\" data-exercise=\"{name}\"> \
                     练习 <code>{name}</code>：{} <span class=\"quiz-stars\" \
                     aria-label=\"难度 {difficulty}\">{stars}</span></label></li>",
                    inline(title)
                )
                .unwrap();
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str("</div>\n");
    h
}

/// Reads an exercise's `.meta` (title, difficulty).
pub fn exercise_meta(text: &str) -> (String, u8) {
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    };
    let title = value("title").unwrap_or_default();
    let difficulty = value("difficulty")
        .and_then(|d| d.parse().ok())
        .unwrap_or(1);
    (title, difficulty)
}

/// Loads every quiz file under `root/quizzes/` against its chapter under
/// `root/src/`: (chNN, questions) in chapter order, or every error with its
/// file and line. Used by `cargo xtask test` and by the preprocessor.
pub fn load_book(
    root: &Path,
) -> Result<Vec<(String, Vec<Question>)>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let Ok(dir) = std::fs::read_dir(root.join("quizzes")) else {
        return Ok(out);
    };
    let mut files: Vec<String> = dir
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    files.sort();
    let chapters: Vec<String> = std::fs::read_dir(root.join("src"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    for name in files {
        let quiz = format!("quizzes/{name}");
        let ch = name.trim_end_matches(".txt");
        let Some(page) = chapters
            .iter()
            .find(|p| chapter_of(p) == Some(ch) && p.ends_with(".md"))
        else {
            errors.push(format!("{quiz}:1: no chapter src/{ch}-*.md for it"));
            continue;
        };
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        let text = read(&root.join(&quiz));
        let chapter_text = read(&root.join("src").join(page));
        match load(&quiz, &text, ch, &chapter_text, &root.join("listings")) {
            Ok(q) => out.push((ch.to_string(), q)),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "$ cargo run --bin countdown\n\
        ⟨recorded 2026-11-26 01:58 UTC, test⟩\n\
        T-minus 2 (A)  ⟨@0.029s | 0s..0.7s⟩\n\
        T-minus 3 (B)  ⟨@0.029s | 0s..0.7s⟩\n\
        T-minus 1 (A)  ⟨@1.029s | 1s..1.7s⟩\n\
        T-minus 2 (B)  ⟨@1.029s | 1s..1.7s⟩\n\
        T-minus 1 (B)  ⟨@2.035s | 2s..2.7s⟩\n";

    fn listings() -> std::path::PathBuf {
        // One directory per call: the tests run in parallel, and one
        // writing the file while another reads it would make both flaky.
        static NEXT: std::sync::atomic::AtomicUsize =
            std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir()
            .join(format!("quiz-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(dir.join("ch06/output")).unwrap();
        std::fs::write(dir.join("ch06/output/countdown.txt"), OUT).unwrap();
        dir
    }

    /// A chapter that shows the program's code, and nothing else.
    const CODE: &str =
        "```rust\n{{#include ../listings/ch06/src/bin/countdown.rs}}\n```\n";

    fn one(quiz: &str) -> Result<Question, Vec<String>> {
        load("quizzes/ch06.txt", quiz, "ch06", CODE, &listings())
            .map(|mut q| q.remove(0))
    }

    #[test]
    fn answers_come_from_the_output() {
        let q = one("next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n")
            .unwrap();
        assert_eq!(q.choices[q.answer[0]], "T-minus 1 (A)");
        assert_eq!(q.shown, ["T-minus 2 (A)", "T-minus 3 (B)"]);

        let q = one(
            "order ch06/output/countdown.txt\nask: ?\nfrom: 2 (A)\nto: 1 (B)\n",
        )
        .unwrap();
        let ordered: Vec<&str> =
            q.answer.iter().map(|&i| q.choices[i].as_str()).collect();
        assert_eq!(ordered[0], "T-minus 2 (A)");
        assert_eq!(ordered[4], "T-minus 1 (B)");
        assert_ne!(q.choices[0], "T-minus 2 (A)", "shown shuffled");
    }

    #[test]
    fn time_choices_are_the_answer_and_the_authored_wrong_times() {
        let q = one("time ch06/output/countdown.txt\nask: ?\nline: 1 (B)\n\
             wrong: 3\nwrong: 1\n")
        .unwrap();
        assert_eq!(q.choices, ["约 1 秒", "约 2 秒", "约 3 秒"]);
        assert_eq!(q.choices[q.answer[0]], "约 2 秒");
        assert_eq!(q.shown, ["T-minus 1 (B)"]);
        // A wrong time inside the line's band would be a second answer.
        let e = one("time ch06/output/countdown.txt\nask: ?\nline: 1 (B)\n\
             wrong: 2.5\nwrong: 1\n")
        .unwrap_err();
        assert!(e[0].contains("lies in the line's band"), "{e:?}");
    }

    #[test]
    fn each_rule_names_its_question() {
        // 1: the stem states the answer.
        let e = one("time ch06/output/countdown.txt\nask: B 睡 2 秒后？\n\
             line: 1 (B)\nwrong: 3\nwrong: 1\n")
        .unwrap_err();
        assert!(e[0].starts_with("quizzes/ch06.txt:1: rule 1"), "{e:?}");
        let e = one(
            "next ch06/output/countdown.txt\nask: 是 `T-minus 1 (A)` 吗？\n\
             after: 3 (B)\n",
        )
        .unwrap_err();
        assert!(e[0].contains("rule 1"), "{e:?}");
        // 2: fewer than three choices.
        let e = one(
            "time ch06/output/countdown.txt\nask: ?\nline: 1 (B)\nwrong: 3\n",
        )
        .unwrap_err();
        assert!(e[0].contains("rule 2"), "{e:?}");
        // 3: a wrong choice the question already shows.
        let e = one("next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n\
             wrong: T-minus 2 (A)\n")
        .unwrap_err();
        assert!(e[0].contains("rule 3"), "{e:?}");
        // 5: an order the chapter says is not specified.
        let unordered = "unordered ch06/output/countdown.txt\nsays: 不承诺\n\
                         lines: 1 (A) | 2 (B)\n\n";
        let load6 = |quiz: &str| {
            load(
                "quizzes/ch06.txt",
                quiz,
                "ch06",
                &format!("{CODE}\ntokio 不承诺这个顺序\n"),
                &listings(),
            )
        };
        let e = load6(&format!(
            "{unordered}order ch06/output/countdown.txt\nask: ?\n\
             from: 2 (A)\nto: 1 (B)\n"
        ))
        .unwrap_err();
        assert!(e[0].starts_with("quizzes/ch06.txt:5: rule 5"), "{e:?}");
        let e = load6(&format!(
            "{unordered}next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n"
        ))
        .unwrap_err();
        assert!(e[0].contains("rule 5"), "{e:?}");
        // After the first of the pair, the next line is certain.
        let q = load6(&format!(
            "{unordered}next ch06/output/countdown.txt\nask: ?\nafter: 1 (A)\n\
             wrong: T-minus 0 (A)\n"
        ))
        .unwrap();
        assert_eq!(q[0].choices[q[0].answer[0]], "T-minus 2 (B)");
        // The declaration must quote the chapter.
        let e = load("quizzes/ch06.txt", unordered, "ch06", CODE, &listings())
            .unwrap_err();
        assert!(e[0].contains("the chapter does not say"), "{e:?}");
    }

    #[test]
    fn a_question_stands_before_the_output_that_answers_it() {
        let chapter = "# 第 6 章\n\n程序：\n\n```rust\n\
                       {{#include ../listings/ch06/src/bin/countdown.rs}}\n```\n\n\
                       运行结果：\n\n```console\n\
                       {{#include ../listings/ch06/output/countdown.txt}}\n```\n\n## 练习\n";
        let q = load(
            "quizzes/ch06.txt",
            "next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n",
            "ch06",
            chapter,
            &listings(),
        )
        .unwrap();
        // Before the lead-in “运行结果：”, line 9 of the chapter.
        assert_eq!(q[0].stands, Some(8));
        let marked = mark_slots(chapter, &q);
        assert!(marked.contains("<!-- quiz-slot ch06-1 -->\n\n运行结果："));
        let filled = fill_slots(&marked, &q);
        assert!(filled.contains(
            "<!-- quiz -->\n\n<section class=\"quiz\" id=\"quiz-ch06-1\""
        ));
        assert!(render_section(&q).is_empty());
    }

    #[test]
    fn a_question_that_no_longer_makes_sense_names_its_line() {
        let e = one("next ch06/output/countdown.txt\nask: ?\nafter: (C)\n")
            .unwrap_err();
        assert!(e[0].starts_with("quizzes/ch06.txt:1: no line of"), "{e:?}");
        let e = one("next ch06/output/countdown.txt\nask: ?\nafter: 1 (B)\n")
            .unwrap_err();
        assert!(e[0].contains("nothing comes next"), "{e:?}");
        let e = one("next ch06/output/countdown.txt\nask: ?\nafter: T-minus\n")
            .unwrap_err();
        assert!(e[0].contains("add ` #N`"), "{e:?}");
    }

    /// The Python twin of countdown, worded differently, and a chapter
    /// that shows the Python program and its run before the Rust program.
    fn with_twin() -> (std::path::PathBuf, &'static str) {
        let dir = listings();
        std::fs::create_dir_all(dir.join("ch06/python/output")).unwrap();
        std::fs::write(
            dir.join("ch06/python/output/countdown.txt"),
            "$ python3 -u countdown.py\nA: 2\nB: 3\nA: 1\nB: 2\nB: 1\n",
        )
        .unwrap();
        let chapter = "# 第 6 章\n\n```python\n\
            {{#include ../listings/ch06/python/countdown.py}}\n```\n\n\
            ```console\n{{#include ../listings/ch06/python/output/countdown.txt}}\n```\n\n\
            译文：\n\n```rust\n{{#include ../listings/ch06/src/bin/countdown.rs}}\n```\n\n\
            结果：\n\n```console\n{{#include ../listings/ch06/output/countdown.txt}}\n```\n";
        (dir, chapter)
    }

    #[test]
    fn a_question_stands_after_its_program_and_before_its_twin() {
        let (dir, chapter) = with_twin();
        let ask = "next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n";
        let twin = "twin ch06/python/output/countdown.txt\n\
                    of: ch06/output/countdown.txt\n";
        let load6 =
            |quiz: &str| load("quizzes/ch06.txt", quiz, "ch06", chapter, &dir);
        // Undeclared, the twin's run could answer it unnoticed.
        let e = load6(ask).unwrap_err();
        assert!(e[0].contains("whose twin"), "{e:?}");
        // Declared: its run, before the Rust code, answers it.
        let e = load6(&format!("{twin}\n{ask}")).unwrap_err();
        assert!(e[0].starts_with("quizzes/ch06.txt:4: rule 6"), "{e:?}");
        assert!(e[0].contains("chapter line 7"), "{e:?}");
        // Declared to not print the asked line: after the Rust code,
        // before the lead-in of the Rust output (line 15).
        let q =
            load6(&format!("{twin}except: T-minus 1 (A)\n\n{ask}")).unwrap();
        assert_eq!(q[0].stands, Some(16));
        // Asked about the twin itself: after its code, before its run.
        let q = load6(&format!(
            "{twin}\nnext ch06/python/output/countdown.txt\nask: ?\nafter: B: 3\n"
        ))
        .unwrap();
        assert_eq!(q[0].stands, Some(6));
        // A program whose code the chapter never shows.
        let e =
            load("quizzes/ch06.txt", ask, "ch06", "", &listings()).unwrap_err();
        assert!(
            e[0].contains("rule 6") && e[0].contains("shows no code"),
            "{e:?}"
        );
    }

    #[test]
    fn an_answer_reveals_its_output_only_up_to_the_asked_line() {
        // Filed first, but asks a later line: it stands second and is
        // numbered 2 on the page; its id stays ch06-1.
        let q = load(
            "quizzes/ch06.txt",
            "next ch06/output/countdown.txt\nask: ?\nafter: 1 (A)\n\
             wrong: T-minus 0 (A)\n\n\
             next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n",
            "ch06",
            CODE,
            &listings(),
        )
        .unwrap();
        let ids: Vec<(&str, usize)> =
            q.iter().map(|q| (q.id.as_str(), q.number)).collect();
        assert_eq!(ids, [("ch06-2", 1), ("ch06-1", 2)]);
        let partial = q[0].partial.as_deref().unwrap();
        assert!(partial.ends_with("T-minus 1 (A)  ⟨@1.029s | 1s..1.7s⟩\n"));
        assert!(!partial.contains("T-minus 2 (B)"));
        assert!(
            render_question(&q[0])
                .contains("data-output=\"ch06/output/countdown.txt\"")
        );
        assert!(render_question(&q[0]).contains("第 6.1 题"));
        // A question on a line the one above it reveals.
        let e = load(
            "quizzes/ch06.txt",
            "next ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n\n\
             time ch06/output/countdown.txt\nask: ?\nline: 1 (A)\n\
             wrong: 3\nwrong: 2\n",
            "ch06",
            CODE,
            &listings(),
        )
        .unwrap_err();
        assert!(
            e[0].starts_with("quizzes/ch06.txt:5: rule 3: answering ch06-1"),
            "{e:?}"
        );
        // A retired question keeps its number for the ones after it.
        let q = load(
            "quizzes/ch06.txt",
            "retired\n\nnext ch06/output/countdown.txt\nask: ?\nafter: 3 (B)\n",
            "ch06",
            CODE,
            &listings(),
        )
        .unwrap();
        assert_eq!((q[0].id.as_str(), q[0].number), ("ch06-2", 1));
    }

    #[test]
    fn order_questions_are_never_shown_reversed_or_rotated() {
        let lines: Vec<String> = (0..8).map(|i| format!("line {i}")).collect();
        for n in 3..=8 {
            for id in ["ch02-1", "ch05-1", "ch10-4", "ch13-2", "ch25-1", "x"] {
                let order = shuffle(id, &lines[..n]);
                assert!(!patterned(&order, &lines[..n]), "{id} {n}: {order:?}");
                let mut sorted = order.clone();
                sorted.sort();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            }
        }
        let four = &lines[..4];
        assert!(patterned(&[0, 1, 2, 3], four));
        assert!(patterned(&[3, 2, 1, 0], four));
        assert!(patterned(&[1, 2, 3, 0], four));
        assert!(patterned(&[2, 3, 0, 1], four));
        assert!(patterned(&[1, 0, 3, 2], four));
        assert!(!patterned(&[1, 3, 0, 2], four));
        assert!(patterned(&[2, 1, 0], &lines[..3]));
        assert!(!patterned(&[1, 2, 0], &lines[..3]));
    }
}
