//! Running commands, always echoing them first.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The command as a shell line, with its working directory and any
/// environment variables set on it, so it can be copied and re-run.
pub fn describe(cmd: &Command) -> String {
    let mut line = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        line.push_str(&format!("(cd {} && ", dir.display()));
    }
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            let value = value.to_string_lossy();
            // PATH is long and only ever gets our tool cache prepended.
            if key == "PATH" {
                line.push_str("PATH=<tool cache>:$PATH ");
            } else {
                line.push_str(&format!("{}={} ", key.to_string_lossy(), value));
            }
        }
    }
    line.push_str(&cmd.get_program().to_string_lossy());
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(char::is_whitespace) {
            line.push_str(&format!(" '{arg}'"));
        } else {
            line.push(' ');
            line.push_str(&arg);
        }
    }
    if cmd.get_current_dir().is_some() {
        line.push(')');
    }
    line
}

pub fn echo(cmd: &Command) {
    println!("$ {}", describe(cmd));
}

/// Runs a command with inherited output; fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result {
    echo(cmd);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)).into())
    }
}

/// Runs a command and captures stdout and stderr (not checked for success).
pub fn capture(cmd: &mut Command) -> Result<Output> {
    echo(cmd);
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)).into())
}

/// `cargo`, as chosen by the cargo that runs the xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Where cargo puts the binaries: `$CARGO_TARGET_DIR` or `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}
