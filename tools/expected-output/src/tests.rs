use super::*;

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
