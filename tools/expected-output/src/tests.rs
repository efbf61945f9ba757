use super::*;
use std::time::Duration;

fn expected(text: &str) -> Expected {
    parse(text).unwrap_or_else(|e| panic!("line {}: {}", e.line, e.message))
}

#[test]
fn command_line_gives_bin_and_args() {
    let e = expected("$ cargo run --bin bench -- --quick 10\nok\n");
    assert_eq!(e.bin, "bench");
    assert!(!e.example);
    assert_eq!(e.args, ["--quick", "10"]);
    assert_eq!(e.lines.len(), 1);
    assert_eq!(e.lines[0].number, 2);
}

#[test]
fn an_exercise_runs_an_example() {
    let e = expected("$ cargo run --example step_range\n0\n");
    assert_eq!(e.bin, "step_range");
    assert!(e.example);
    assert!(parse("$ cargo run --example\n").is_err());
}

#[test]
fn missing_command_line_is_an_error_on_line_1() {
    let err = parse("0\n2\n").unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.message.contains("cargo run --bin"), "{}", err.message);
}

#[test]
fn plain_lines_must_match_exactly() {
    let e = expected("$ cargo run --bin a\n0\n2\n3\n");
    assert!(check(&e, "0\n2\n3\n").is_empty());
    let m = check(&e, "0\n3\n3\n");
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].line, m[0].actual.as_str()), (3, "3"));
    assert_eq!(m[0].expected, "2");
}

#[test]
fn missing_and_extra_lines_are_reported() {
    let e = expected("$ cargo run --bin a\n1\n2\n");
    let short = check(&e, "1\n");
    assert_eq!(short[0].line, 3);
    assert_eq!(short[0].actual, "(no more output)");
    let long = check(&e, "1\n2\n3\n4\n");
    assert_eq!(long.len(), 1);
    assert_eq!(long[0].actual, "3");
    assert!(long[0].why.as_deref().unwrap().contains("2 more"));
}

#[test]
fn durations_are_compared_as_numbers_in_their_band() {
    let e = expected("$ cargo run --bin a\nTotal {{5.002s | 5s..6s}} end\n");
    assert!(check(&e, "Total 5.9s end").is_empty());
    assert!(check(&e, "Total 5000.2ms end").is_empty());
    let early = check(&e, "Total 4.999s end");
    assert!(
        early[0]
            .why
            .as_deref()
            .unwrap()
            .contains("earlier than the ideal")
    );
    let late = check(&e, "Total 6.01s end");
    assert!(late[0].why.as_deref().unwrap().contains("above"));
    // The text around the value still has to match.
    assert_eq!(check(&e, "Total 5.5s fin").len(), 1);
    // A value of another kind is rejected.
    assert!(check(&e, "Total 5.5KiB end")[0].why.is_some());
}

#[test]
fn small_units_parse() {
    let (q, rest) = parse_quantity("12.5µs later").unwrap();
    assert!((q.value - 12.5e-6).abs() < 1e-12);
    assert_eq!(rest, " later");
    assert_eq!(parse_quantity("3ms").unwrap().0.value, 0.003);
    assert_eq!(parse_quantity("2KiB").unwrap().0.value, 2048.0);
    assert!(parse_quantity("ms").is_none());
    assert!(parse_quantity("5m").is_none());
}

#[test]
fn malformed_bands_are_errors_with_line_numbers() {
    for bad in [
        "{{5s}}",
        "{{5s | 6s}}",
        "{{5s | 6s..4s}}",
        "{{5s | 1KiB..2KiB}}",
        "{{7s | 5s..6s}}",
        "{{5s | 5..6}}",
        "{{5s | 5s..6s",
    ] {
        let err =
            parse(&format!("$ cargo run --bin a\nok\n{bad}\n")).expect_err(bad);
        assert_eq!(err.line, 3, "{bad}");
    }
}

#[test]
fn book_shows_recorded_values_only() {
    let e = expected(
        "$ cargo run --bin a\nA {{1.0s | 1s..2s}} B {{2x | 1x..3x}}\n",
    );
    assert_eq!(render(&e.lines[0]), "A 1.0s B 2x");
    assert_eq!(
        strip_bands("x {{1.0s | 1s..2s}} {{not a band}} {{#include f}}"),
        "x 1.0s {{not a band}} {{#include f}}"
    );
}

#[test]
fn python_command_line_gives_script_and_args() {
    let e = expected("$ python3 -u jumping_range.py 3\n0\n");
    assert_eq!(e.runner, Runner::Python);
    assert_eq!(e.bin, "jumping_range");
    assert_eq!(e.args, ["3"]);
    assert!(parse("$ python3 -u jumping_range\n").is_err());
    assert!(parse("$ python jumping_range.py\n").is_err());
}

#[test]
fn an_error_line_must_end_the_file_and_match_stderr() {
    let e = expected(
        "$ python3 -u a.py\nout\n{{error: SyntaxError: Missing parentheses}}\n",
    );
    assert_eq!(e.lines.len(), 1);
    let error = e.error.as_ref().unwrap();
    assert_eq!(
        (error.number, error.text.as_str()),
        (3, "SyntaxError: Missing parentheses")
    );
    let tb = "Traceback (most recent call last):\n  File x\nSyntaxError: Missing parentheses\n";
    assert_eq!(check_exit(&e, false, tb), None);
    let worked = check_exit(&e, true, "").unwrap();
    assert!(worked.why.unwrap().contains("expected to fail"));
    let other = check_exit(&e, false, "ValueError: no\n").unwrap();
    assert_eq!((other.line, other.actual.as_str()), (3, "ValueError: no"));
    let plain = expected("$ python3 -u a.py\nout\n");
    assert!(check_exit(&plain, true, "").is_none());
    assert!(check_exit(&plain, false, "boom\n").is_some());
    let err = parse("$ python3 -u a.py\n{{error: X}}\nmore\n").unwrap_err();
    assert_eq!(err.line, 3);
    assert_eq!(strip_bands("a\n{{error: X: y}}\n"), "a\nX: y\n");
}

#[test]
fn python_timedeltas_are_times() {
    let e = expected(
        "$ python3 -u a.py\nwaited {{0:00:01.000174 | 1s..2s}}\n\
         total {{0:00:05.001 | 5s..6s}}\n",
    );
    assert!(check(&e, "waited 0:00:01.5\ntotal 0:00:04.9").len() == 1);
    assert!(check(&e, "waited 0:00:01.5\ntotal 0:00:05.9").is_empty());
    assert!(!check(&e, "waited 0:00:02.000001\ntotal 0:00:05.9").is_empty());
    let (q, rest) = parse_quantity("1:02:03.5 left").unwrap();
    assert_eq!((q.value, rest), (3723.5, " left"));
    assert!(parse_quantity("12:5").is_none());
    assert_eq!(strip_bands("{{0:00:05.001 | 5s..6s}}"), "0:00:05.001");
}

#[test]
fn measured_values_are_masked_when_in_band() {
    let rust = expected("$ cargo run --bin a\nA\nTotal {{5.002s | 5s..7s}}\n");
    let py = expected("$ python3 -u a.py\nA\nTotal {{0:00:05.1 | 5s..7s}}\n");
    let r = mask_measured(&rust, "A\nTotal 5.2s\n");
    let p = mask_measured(&py, "A\nTotal 0:00:05.300000\n");
    assert_eq!(r, ["A", "Total {{measured}}"]);
    assert_eq!(r, p);
    assert_eq!(
        mask_measured(&rust, "A\nTotal 9s\nB\n"),
        ["A", "Total 9s", "B"]
    );
}

const TIMED: &str = "$ cargo run --bin countdown
⟨recorded 2026-11-26 01:50 UTC, test machine⟩
T-minus 2 (A)  ⟨@0.001s | 0s..0.3s⟩
T-minus 1 (A)  ⟨@1.002s | 1s..1.4s⟩
took {{1.003s | 1s..2s}}  ⟨@1.003s | 1s..1.4s⟩
";

fn stamped(lines: &[(f64, &str)]) -> Vec<(Duration, String)> {
    lines
        .iter()
        .map(|&(t, l)| (Duration::from_secs_f64(t), l.to_string()))
        .collect()
}

#[test]
fn arrival_stamps_and_header_are_parsed() {
    let e = expected(TIMED);
    assert!(e.is_timed());
    assert_eq!(
        e.recorded.as_deref(),
        Some("2026-11-26 01:50 UTC, test machine")
    );
    assert_eq!(e.lines.len(), 3);
    assert_eq!(e.lines[0].number, 3);
    let band = e.lines[1].arrival.as_ref().unwrap();
    assert_eq!((band.min.value, band.max.value), (1.0, 1.4));
    assert_eq!(render(&e.lines[2]), "took 1.003s");
    assert_eq!(
        render_with_bands(&e.lines[2]),
        "took {{1.003s | 1s..2s}}  ⟨@1.003s | 1s..1.4s⟩"
    );
}

#[test]
fn a_timed_file_needs_a_stamp_on_every_line() {
    let err = parse("$ cargo run --bin a\nx  ⟨@0s | 0s..1s⟩\ny\n").unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.contains("no"), "{}", err.message);
    let bad = parse("$ cargo run --bin a\nx ⟨@0s | 0s..1s⟩\n").unwrap_err();
    assert_eq!(bad.line, 2);
    let late_header =
        parse("$ cargo run --bin a\nx\n⟨recorded now⟩\n").unwrap_err();
    assert_eq!(late_header.line, 3);
}

#[test]
fn lines_on_time_pass() {
    let e = expected(TIMED);
    let run = stamped(&[
        (0.01, "T-minus 2 (A)"),
        (1.1, "T-minus 1 (A)"),
        (1.2, "took 1.101s"),
    ]);
    assert_eq!(check_timed(&e, &run), vec![]);
}

#[test]
fn everything_at_the_end_fails_though_the_text_matches() {
    let e = expected(TIMED);
    let run = stamped(&[
        (1.1, "T-minus 2 (A)"),
        (1.1, "T-minus 1 (A)"),
        (1.1, "took 1.101s"),
    ]);
    assert!(
        check(&e, "T-minus 2 (A)\nT-minus 1 (A)\ntook 1.101s\n").is_empty()
    );
    let m = check_timed(&e, &run);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].line, 3);
    let why = m[0].why.as_deref().unwrap();
    assert!(why.contains("arrived at 1.100s"), "{why}");
    assert!(why.contains("above the band's maximum 0.3s"), "{why}");
}

#[test]
fn an_early_line_fails() {
    let e = expected(TIMED);
    let run = stamped(&[
        (0.0, "T-minus 2 (A)"),
        (0.5, "T-minus 1 (A)"),
        (1.1, "took 1.001s"),
    ]);
    let m = check_timed(&e, &run);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].line, 4);
    assert!(
        m[0].why
            .as_deref()
            .unwrap()
            .contains("earlier than the ideal")
    );
}

#[test]
fn rerecord_keeps_text_and_bands_and_replaces_recorded_values() {
    let e = expected(TIMED);
    let run = stamped(&[
        (0.0004, "T-minus 2 (A)"),
        (1.05, "T-minus 1 (A)"),
        (1.06, "took 1.055s"),
    ]);
    let new = rerecord(&e, &run, "today, here").unwrap();
    let digest = run_digest(&expected(&new).lines, None);
    assert_eq!(digest.len(), 16);
    assert_eq!(
        new,
        format!(
            "$ cargo run --bin countdown
⟨recorded today, here; run {digest}⟩
T-minus 2 (A)  ⟨@0.000s | 0s..0.3s⟩
T-minus 1 (A)  ⟨@1.050s | 1s..1.4s⟩
took {{{{1.055s | 1s..2s}}}}  ⟨@1.060s | 1s..1.4s⟩
"
        )
    );
    // A Python header's first-line time is part of the digest.
    let python = rerecord(&e, &run, "here; first line at 0.2s").unwrap();
    let digest = run_digest(&expected(&python).lines, Some("0.2s"));
    assert!(python.contains(&format!("first line at 0.2s; run {digest}⟩")));
    assert_ne!(digest, run_digest(&expected(&python).lines, Some("0.3s")));
    let late = stamped(&[
        (0.0, "T-minus 2 (A)"),
        (2.0, "T-minus 1 (A)"),
        (2.0, "took 2.0s"),
    ]);
    assert!(rerecord(&e, &late, "x").is_err());
}

/// Renders a chapter whose includes of `out/NAME.txt` read `files`.
fn render_with(chapter: &str, files: &[(&str, &str)]) -> String {
    let mut read = |path: &str| {
        files
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.to_string())
            .ok_or(format!("no file {path}"))
    };
    render_chapter(chapter, &mut read).unwrap()
}

#[test]
fn the_book_shows_a_clean_transcript_and_the_replay_data() {
    let chapter = "text\n\n```console\n{{#include a/output/t.txt}}\n```\n\n\
                   after {{#include a/output/u.txt}}\n";
    let page = render_with(
        chapter,
        &[
            ("a/output/t.txt", TIMED),
            ("a/output/u.txt", "{{1s | 0s..2s}}\n"),
        ],
    );
    assert!(!page.contains('⟨'), "{page}");
    assert!(page.contains(
        "```console\n$ cargo run --bin countdown\nT-minus 2 (A)\n\
         T-minus 1 (A)\ntook 1.003s\n```\n"
    ));
    assert!(page.contains("after 1s"));
    let start = page.find("class=\"timed-output\">").unwrap() + 21;
    let end = page.find("</script>").unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(data["command"], "$ cargo run --bin countdown");
    assert_eq!(data["recorded"], "2026-11-26 01:50 UTC, test machine");
    assert_eq!(data["lines"][1]["t"], 1.002);
    assert_eq!(data["lines"][2]["text"], "took 1.003s");
    // A Python output is replayed from its process start, like the
    // timelines, and its note says so in Chinese; the digest is not shown.
    let python = TIMED
        .replace("cargo run --bin countdown", "python3 -u countdown.py")
        .replace("machine⟩", "machine; first line at 0.156s; run 0123⟩");
    let page = render_with(
        chapter,
        &[
            ("a/output/t.txt", &python),
            ("a/output/u.txt", "{{1s | 0s..2s}}\n"),
        ],
    );
    let start = page.find("class=\"timed-output\">").unwrap() + 21;
    let end = page.find("</script>").unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(
        data["recorded"],
        "2026-11-26 01:50 UTC, test machine；从进程启动算起，第一行在 0.156 秒出现"
    );
    assert_eq!(data["lines"][0]["t"], 0.157);
    assert_eq!(data["lines"][1]["t"], 1.158);
    let untimed = "```console\n{{#include output/x.txt}}\n```\n";
    assert_eq!(
        render_with(untimed, &[("output/x.txt", "$ x\n{{1s | 0s..2s}}\n")]),
        "```console\n$ x\n1s\n```\n"
    );
}

#[test]
fn what_a_chapter_writes_itself_is_never_rewritten() {
    // Prose, inline code and a block the chapter writes: all kept as
    // written, bands and stamps included; other includes are left to
    // mdBook.
    let chapter = "写成 `{{5.002s | 5s..6s}}`，{{1s | 0s..2s}}\n\n\
                   ```console\n$ x\nT  ⟨@0s | 0s..1s⟩\n{{2s | 1s..3s}}\n```\n\
                   {{#include ../src/main.rs}} \\{{#include output/a.txt}}\n";
    assert_eq!(render_with(chapter, &[]), chapter);
    let mut read = |_: &str| Ok(String::new());
    let anchored = render_chapter("{{#include output/a.txt:2:3}}\n", &mut read);
    assert!(anchored.unwrap_err().starts_with("line 1: "));
}

#[test]
fn replay_data_cannot_close_its_script_element() {
    let page = render_with(
        "```\n{{#include output/a.txt}}\n```\n",
        &[(
            "output/a.txt",
            "$ cargo run --bin a\n</script>  ⟨@0s | 0s..1s⟩\n",
        )],
    );
    let data = &page[page.find("timed-output").unwrap()..];
    assert_eq!(data.matches("</script>").count(), 1, "{page}");
}

#[test]
fn rebasing_on_the_first_line_ignores_start_up_but_not_bunching() {
    let e = expected(TIMED);
    let mut slow_start = stamped(&[
        (3.0, "T-minus 2 (A)"),
        (4.1, "T-minus 1 (A)"),
        (4.1, "took 1.101s"),
    ]);
    assert!(!check_timed(&e, &slow_start).is_empty());
    rebase_on_first_line(&mut slow_start);
    assert_eq!(check_timed(&e, &slow_start), vec![]);
    let mut bunched = stamped(&[
        (3.0, "T-minus 2 (A)"),
        (3.0, "T-minus 1 (A)"),
        (3.0, "took 1.101s"),
    ]);
    rebase_on_first_line(&mut bunched);
    let m = check_timed(&e, &bunched);
    assert_eq!(m.len(), 2);
    assert!(
        m[0].why
            .as_deref()
            .unwrap()
            .contains("earlier than the ideal")
    );
}

#[test]
fn a_program_too_long_for_the_playground_is_marked() {
    let chapter = "```rust\n{{#rustdoc_include ../l/src/bin/slow.rs:main}}\n```\n\
                   ```rust,editable\n{{#include ../l/src/bin/quick.rs}}\n```\n";
    let slow = "$ cargo run --bin slow\n⟨recorded x⟩\na  ⟨@0.002s | 0s..1s⟩\n\
                b  ⟨@8.003s | 8s..9s⟩\n";
    let quick = "$ cargo run --bin quick\ntook {{1.2s | 1s..2s}}\n";
    let page = render_with(
        chapter,
        &[
            ("../l/output/slow.txt", slow),
            ("../l/output/quick.txt", quick),
        ],
    );
    assert!(
        page.starts_with("```rust,long-run-8\n{{#rustdoc_include"),
        "{page}"
    );
    assert!(page.contains("```rust,editable\n{{#include"), "{page}");
    assert_eq!(recorded_seconds(quick), 1.2);
}

#[test]
fn the_run_digest_covers_values_and_arrivals_not_text_or_bands() {
    let e = expected(TIMED);
    let run = stamped(&[
        (0.0004, "T-minus 2 (A)"),
        (1.05, "T-minus 1 (A)"),
        (1.06, "took 1.055s"),
    ]);
    let new = rerecord(&e, &run, "x").unwrap();
    let of = |t: &str| run_digest(&expected(t).lines, None);
    let base = of(&new);
    for same in [
        new.replace("took {{", "took in all {{"),
        new.replace("1s..2s", "0.9s..3s"),
        new.replace("1s..1.4s⟩\nt", "0.9s..1.5s⟩\nt"),
    ] {
        assert_ne!(same, new);
        assert_eq!(of(&same), base, "{same}");
    }
    for changed in [
        new.replace("{{1.055s", "{{1.056s"),
        new.replace("@1.050s", "@1.049s"),
        new.replace("@0.000s", "@0.001s"),
    ] {
        assert_ne!(changed, new);
        assert_ne!(of(&changed), base, "{changed}");
    }
}
