//! “预测输出” questions. Authors write, in `quizzes/chNN.txt`, which listing,
//! which lines and what to ask; every choice and every correct answer is
//! derived here from the checked expected-output file (or, for “does it
//! compile?”, from the code block's `compile_fail,EXXXX` that the
//! code-block check verifies). Nothing in a quiz file is an answer. A
//! question whose output changed so that it no longer makes sense (its
//! anchor line is gone or ambiguous, its line lost its arrival stamp, there
//! is nothing left to order) is an error naming the quiz file and line.
//!
//! The format: blocks separated by blank lines, `#` starts a comment line.
//!
//! ```text
//! next ch03/output/jumping_range.txt     # kind, then the output file under listings/
//! ask: 打印 0 2 3 2 3 之后，下一行是什么？
//! after: 3 #2                            # the 2nd line that contains “3”
//!
//! order ch06/output/countdown.txt
//! ask: …
//! from: T-minus 2 (A)
//! to: T-minus 1 (B)
//!
//! time ch10/output/sleeping_loop.txt
//! ask: …
//! line: B starting
//!
//! compile
//! ask: …
//! block: fn assert_send      # text inside exactly one ```rust block of the chapter
//! ```
//!
//! A line reference is text that must occur, in the line's literal parts
//! (never in a measured value, so `cargo xtask record` cannot break it), in
//! exactly one output line; ` #N` picks the N-th line that contains it.

use crate::{Expected, Line, Part, parse, render, render_chapter};
use std::fmt::Write as _;
use std::path::Path;

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
    /// The listing's whole expected-output file, shown after an answer.
    pub output: Option<String>,
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
/// questions), and `listings` the directory holding `chNN/output/…`.
pub fn load(
    quiz: &str,
    text: &str,
    chapter: &str,
    chapter_text: &str,
    listings: &Path,
) -> Result<Vec<Question>, Vec<String>> {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    for (line, block) in blocks(text) {
        let id = format!("{chapter}-{}", questions.len() + errors.len() + 1);
        match question(&id, &block, chapter_text, listings) {
            Ok(q) => questions.push(q),
            Err(e) => errors.push(format!("{quiz}:{line}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(errors)
    }
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

fn question(
    id: &str,
    block: &Block,
    chapter_text: &str,
    listings: &Path,
) -> Result<Question, String> {
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
                "unknown kind `{other}` (order, next, time or compile)"
            ));
        }
    };
    for (_, l) in &block[1..] {
        let key = l.split(':').next().unwrap_or("");
        let known: &[&str] = match kind {
            Kind::Order => &["ask", "from", "to"],
            Kind::Next => &["ask", "after"],
            Kind::Time => &["ask", "line"],
            Kind::Compile => &["ask", "block"],
        };
        if !known.contains(&key) {
            return Err(format!(
                "unknown key in `{l}` (a `{}` question takes {})",
                kind.name(),
                known.join(", ")
            ));
        }
    }
    if kind == Kind::Compile {
        return compile_question(id, ask, field(block, "block")?, chapter_text);
    }
    let source = source.ok_or("missing the output file after the kind")?;
    let path = listings.join(source);
    let file = format!("listings/{source}");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {file}: {e}"))?;
    let expected = parse(&text).map_err(|e| {
        format!("{file}:{}: not an expected output: {}", e.line, e.message)
    })?;
    let output = Some(text);
    let mut q = match kind {
        Kind::Order => order(id, &expected, &file, block)?,
        Kind::Next => next(id, &expected, &file, block)?,
        Kind::Time => time(id, &expected, &file, block)?,
        Kind::Compile => unreachable!(),
    };
    q.ask = ask;
    q.output = output;
    Ok(q)
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

fn order(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
) -> Result<Question, String> {
    let from = find(expected, file, field(block, "from")?)?;
    let to = find(expected, file, field(block, "to")?)?;
    if to < from + 2 {
        return Err(format!(
            "`from` ({}) to `to` ({}) must span at least 3 lines",
            at(expected, file, from),
            at(expected, file, to)
        ));
    }
    let lines: Vec<String> =
        expected.lines[from..=to].iter().map(render).collect();
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
    // Shown shuffled; never in the right order already.
    let mut shown: Vec<usize> = (0..lines.len()).collect();
    shown.sort_by_key(|&i| hash(&format!("{id}/{i}")));
    if shown.iter().enumerate().all(|(k, &i)| lines[k] == lines[i]) {
        shown.rotate_left(1);
    }
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
    })
}

const CHECKED: &str = "`cargo xtask test` 每次运行程序时";

fn next(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
) -> Result<Question, String> {
    let after = find(expected, file, field(block, "after")?)?;
    let Some(next_line) = expected.lines.get(after + 1) else {
        return Err(format!(
            "{} is the last line: nothing comes next",
            at(expected, file, after)
        ));
    };
    let correct = render(next_line);
    // The other choices: the distinct lines of the same output nearest to
    // the answer.
    let mut others: Vec<(usize, String)> = Vec::new();
    for (i, line) in expected.lines.iter().enumerate() {
        let text = render(line);
        if text != correct && !others.iter().any(|(_, t)| *t == text) {
            others.push((i.abs_diff(after + 1), text));
        }
    }
    if others.is_empty() {
        return Err(format!(
            "every line of {file} reads “{correct}”: no wrong choice to offer"
        ));
    }
    others.sort();
    let mut choices: Vec<String> =
        others.into_iter().take(3).map(|(_, t)| t).collect();
    choices.push(correct.clone());
    choices.sort_by_key(|c| hash(&format!("{id}/{c}")));
    let answer = vec![choices.iter().position(|c| *c == correct).unwrap()];
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Next,
        ask: String::new(),
        shown: expected.lines[..=after].iter().map(render).collect(),
        shown_lang: "console",
        choices,
        answer,
        explain: format!(
            "{file} 第 {} 行就是它，{CHECKED}逐行比对。",
            next_line.number
        ),
        output: None,
    })
}

fn time(
    id: &str,
    expected: &Expected,
    file: &str,
    block: &Block,
) -> Result<Question, String> {
    let i = find(expected, file, field(block, "line")?)?;
    let line = &expected.lines[i];
    let Some(band) = &line.arrival else {
        return Err(format!(
            "{} has no arrival stamp `⟨@recorded | ideal..upper⟩`: there is \
             no time to ask about",
            at(expected, file, i)
        ));
    };
    let ideal = band.min.value;
    let width = band.max.value - ideal;
    // Choices spaced wider than the line's band, so that exactly one of them
    // is a time the check accepts.
    let Some(step) = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|&s| s > width)
    else {
        return Err(format!(
            "{}: the band is {width} s wide, too wide to ask about",
            at(expected, file, i)
        ));
    };
    let mut below = (hash(id) % 4) as usize;
    while ideal - below as f64 * step < -1e-9 {
        below -= 1;
    }
    let times: Vec<f64> = (0..4)
        .map(|k| ideal + (k as f64 - below as f64) * step)
        .collect();
    let choices = times
        .iter()
        .map(|&t| format!("约 {} 秒", secs(t)))
        .collect();
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Time,
        ask: String::new(),
        shown: vec![render(line)],
        shown_lang: "console",
        choices,
        answer: vec![below],
        explain: format!(
            "理想时刻是 {} 秒；录制时它在 t = {} 出现，{CHECKED}要求它在 \
             {}–{} 之间到达（{file} 第 {} 行）。",
            secs(ideal),
            band.recorded.text,
            band.min.text,
            band.max.text,
            line.number
        ),
        output: None,
    })
}

fn secs(t: f64) -> String {
    let s = format!("{:.2}", (t * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Error codes offered as wrong choices; the book's own compile errors.
const CODES: &[&str] = &["E0277", "E0599", "E0373", "E0597", "E0382"];

fn compile_question(
    id: &str,
    ask: String,
    snippet: &str,
    chapter_text: &str,
) -> Result<Question, String> {
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
    let verdict = if flags.contains(&"compile_fail") {
        match flags.iter().find(|f| f.starts_with('E')) {
            Some(code) => format!("不能编译：{code}"),
            None => "不能编译，rustc 不给错误码".to_string(),
        }
    } else {
        "能编译".to_string()
    };
    let mut choices = vec!["能编译".to_string()];
    choices.extend(
        CODES
            .iter()
            .map(|c| format!("不能编译：{c}"))
            .filter(|c| *c != verdict)
            .take(2),
    );
    if !choices.contains(&verdict) {
        choices.push(verdict.clone());
    } else {
        choices.push(format!("不能编译：{}", CODES[3]));
    }
    choices.sort_by_key(|c| hash(&format!("{id}/{c}")));
    let answer = vec![choices.iter().position(|c| *c == verdict).unwrap()];
    let shown = code
        .lines()
        .filter(|l| !(l.trim_start().starts_with("# ") || l.trim() == "#"))
        .map(str::to_string)
        .collect();
    Ok(Question {
        id: id.to_string(),
        kind: Kind::Compile,
        ask,
        shown,
        shown_lang: "rust",
        choices,
        answer,
        explain: format!(
            "代码块标的是 `{info}`，`cargo xtask test` 真的编译它，确认{verdict}。"
        ),
        output: None,
    })
}

/// (info string, code) of every fenced ```rust block.
fn rust_blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let t = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = t.strip_prefix("```")
                    && info.starts_with("rust")
                {
                    current = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((_, code)) => {
                if t.starts_with("```") {
                    out.push(current.take().unwrap());
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    out
}

/// 64-bit FNV-1a: a stable shuffle that does not change between builds.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text and turns `code` spans into `<code>`.
pub fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, piece) in s.split('`').enumerate() {
        if i % 2 == 1 {
            write!(out, "<code>{}</code>", escape(piece)).unwrap();
        } else {
            out.push_str(&escape(piece));
        }
    }
    out
}

/// The Markdown for a chapter's questions: a `## 预测输出` section, each
/// question as HTML that theme/quiz.js makes interactive. The section sits
/// between `<!-- quiz -->` and `<!-- /quiz -->` so the EPUB can leave it
/// out (an e-book has no scripts).
pub fn render_section(questions: &[Question]) -> String {
    let mut out = String::from(
        "\n<!-- quiz -->\n\n## 预测输出\n\n<p class=\"quiz-intro\">先想好程序会打印什么、\
         何时打印，再作答。题目和答案都由 <code>cargo xtask test</code> 检查过的预期输出\
         生成；答过之后显示真实输出。答题记录只存在这台设备的浏览器里，见\
         <a href=\"progress.html\">自测进度</a>。</p>\n\n",
    );
    for q in questions {
        out.push_str(&render_question(q));
    }
    out.push_str("<!-- /quiz -->\n\n");
    out
}

fn render_question(q: &Question) -> String {
    let id = &q.id;
    let number = id.trim_start_matches("ch").replacen('-', ".", 1);
    let number = number.trim_start_matches('0');
    let mut h = String::new();
    let answer: Vec<String> = q.answer.iter().map(|a| a.to_string()).collect();
    write!(
        h,
        "<section class=\"quiz\" id=\"quiz-{id}\" data-quiz=\"{id}\" \
         data-kind=\"{}\" data-answer=\"{}\" aria-labelledby=\"quiz-{id}-h\">\n\
         <h3 id=\"quiz-{id}-h\">第 {number} 题</h3>\n\
         <p class=\"quiz-ask\">{}</p>\n",
        q.kind.name(),
        answer.join(","),
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
                .map(|l| escape(l))
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
                    escape(c)
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
                    format!("<code>{}</code>", escape(c))
                } else {
                    escape(c)
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
    if let Some(output) = &q.output {
        // The real output, rendered by the same code as the chapters'; a
        // timed one carries its replay data under another class, so the
        // replay appears only once the question is answered.
        // Given as an included expected-output file, so that its bands
        // and stamps are rendered exactly as in the chapter.
        let fenced = "```console\n{{#include quiz/output/shown.txt}}\n```\n";
        let mut read = |_: &str| Ok(output.trim_end().to_string());
        let shown = render_chapter(fenced, &mut read)
            .expect("an output already parsed renders")
            .replace("class=\"timed-output\"", "class=\"quiz-timed-output\"");
        write!(
            h,
            "<div class=\"quiz-output\" hidden>\n\n<p>真实输出：</p>\n\n{shown}\n</div>\n"
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
    let mut offset = 0;
    let mut in_fence = false;
    for line in chapter.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let t = line.trim_end();
        if !in_fence && (t == "## 练习" || t == "## 动手试试") {
            return format!(
                "{}{section}{}",
                &chapter[..offset],
                &chapter[offset..]
            );
        }
        offset += line.len();
    }
    format!("{chapter}\n{section}")
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
            page = escape(&c.page),
            title = escape(&c.title)
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
                    page = escape(&c.page),
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

    fn one(quiz: &str) -> Result<Question, Vec<String>> {
        load("quizzes/ch06.txt", quiz, "ch06", "", &listings())
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
    fn time_choices_are_spaced_wider_than_the_band() {
        let q = one("time ch06/output/countdown.txt\nask: ?\nline: 1 (B)\n")
            .unwrap();
        assert_eq!(q.choices[q.answer[0]], "约 2 秒");
        let secs: Vec<f64> = q
            .choices
            .iter()
            .map(|c| c.trim_start_matches("约 ").trim_end_matches(" 秒"))
            .map(|c| c.parse().unwrap())
            .collect();
        for pair in secs.windows(2) {
            assert!(pair[1] - pair[0] > 0.7, "{secs:?}");
        }
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
}
