//! Checks the Rust code written directly in chapters (listings are checked
//! by running them):
//!
//! * a ```` ```rust,compile_fail ```` block must name the error code it
//!   shows (```` compile_fail,E0373 ````) and fail to compile with that
//!   code: it shows readers an error, so that error must be real. An error
//!   that rustc prints without a code ("future cannot be sent between
//!   threads safely") is marked `compile_fail,no-error-code` instead, and
//!   the check fails if rustc ever gives it a code;
//! * any other inline ```` ```rust ```` block gets a Run button, so it must
//!   compile as a std-only program. Fragments that are not meant to compile
//!   are marked `ignore`; code using other crates belongs in a listing.
//!
//! Blocks pulled in with `{{#include}}` / `{{#rustdoc_include}}` are the
//! listings themselves and are skipped here.

use crate::{Result, walk};
use expected_output::markdown::Markdown;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Compiles `code` as a 2024-edition binary (type and borrow checking only);
/// returns whether it compiled and the compiler's messages.
fn compile(code: &str, dir: &Path, name: &str) -> Result<(bool, String)> {
    let file = dir.join(format!("{name}.rs"));
    fs::write(&file, code)?;
    let out = Command::new("rustc")
        .args(["--edition", "2024", "--crate-type", "bin"])
        .args(["--emit", "metadata", "--crate-name", "block", "-o"])
        .arg(dir.join(format!("{name}.rmeta")))
        .arg(&file)
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// Checks every chapter under `root/src`.
pub fn check(root: &Path) -> Result {
    let dir = std::env::temp_dir()
        .join(format!("async-book-code-blocks-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let mut problems = Vec::new();
    let mut checked = 0;
    for chapter in walk::files_with_extension(&root.join("src"), "md") {
        let text = fs::read_to_string(&chapter)?;
        let shown = chapter.strip_prefix(root).unwrap_or(&chapter).display();
        for block in Markdown::parse(&text).rust_blocks() {
            let flags = block.flags();
            let code = block.rust_program();
            if code.contains("{{#") || flags.contains(&"ignore") {
                continue;
            }
            checked += 1;
            let name = format!("block{checked}");
            let (compiled, messages) = compile(&code, &dir, &name)?;
            let at = format!("{shown}:{}", block.line);
            if flags.contains(&"compile_fail") {
                let code = flags.iter().find(|f| f.starts_with('E'));
                if compiled {
                    problems.push(format!(
                        "{at}: a compile_fail block that compiles"
                    ));
                } else if flags.contains(&NO_CODE) {
                    // Some errors have no code (rustc's "future cannot be
                    // sent between threads safely"): the block says so, and
                    // the check holds it to that.
                    if let Some(found) = error_code(&messages) {
                        problems.push(format!(
                            "{at}: marked {NO_CODE}, but rustc fails with \
                             {found}: name it instead"
                        ));
                    } else if !messages
                        .lines()
                        .any(|l| l.starts_with("error: "))
                    {
                        problems.push(format!(
                            "{at}: marked {NO_CODE}, but rustc printed no \
                             error line"
                        ));
                    }
                } else if code.is_none() {
                    problems.push(format!(
                        "{at}: a compile_fail block without an error code; \
                         name the one it fails with: \
                         ```{},{}``` (or `{NO_CODE}` for an error that \
                         has none)",
                        block.info,
                        error_code(&messages).unwrap_or("E....")
                    ));
                } else if let Some(code) = code
                    && !messages.contains(&format!("error[{code}]"))
                {
                    problems.push(format!(
                        "{at}: fails to compile, but not with {code}:\n{}",
                        first_error(&messages)
                    ));
                }
            } else if !compiled {
                problems.push(format!(
                    "{at}: does not compile as a std-only program (move it \
                     into a listing, or mark it `ignore` if it is a \
                     fragment):\n{}",
                    first_error(&messages)
                ));
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
    if problems.is_empty() {
        println!("    compiled {checked} inline Rust block(s)");
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// The info-string flag of a `compile_fail` block whose error has no code.
const NO_CODE: &str = "no-error-code";

/// The code of rustc's first coded error, `E0277` in `error[E0277]: ...`.
fn error_code(messages: &str) -> Option<&str> {
    messages.lines().find_map(|l| {
        let code = l.strip_prefix("error[")?.split(']').next()?;
        Some(code)
    })
}

fn first_error(messages: &str) -> String {
    messages
        .lines()
        .filter(|l| l.starts_with("error"))
        .take(3)
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_is_the_first_coded_error() {
        let messages = "error: aborting\nerror[E0382]: borrow of moved value\n\
                        error[E0505]: x\n";
        assert_eq!(error_code(messages), Some("E0382"));
        assert_eq!(error_code("error: no code\n"), None);
    }
}
