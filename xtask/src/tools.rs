//! The pinned mdBook tools, installed into a per-user cache outside the
//! clone so that every clone (and CI) on the machine reuses one build; the
//! pinned Python virtualenvs live there too ([`PythonEnv`]).
//!
//! Each tool lives in `<cache>/<name>-<version>/bin/<name>`, installed with
//! `cargo install --locked --root`. `~/.cargo/bin` is never touched, and
//! whatever mdBook happens to be on PATH is never used: the cache comes
//! first on the PATH of every command that needs the tools.

mod python_env;

pub use python_env::PythonEnv;

use crate::{Result, cmd};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// The tools the book needs, at the versions it is tested with.
pub const TOOLS: &[Tool] = &[Tool {
    name: "mdbook",
    version: "0.5.4",
}];

/// `$ASYNC_BOOK_TOOLS`, else `$XDG_CACHE_HOME/async-book-tools`, else
/// `~/.cache/async-book-tools`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ASYNC_BOOK_TOOLS") {
        return dir.into();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("async-book-tools")
}

impl Tool {
    fn root(&self) -> PathBuf {
        cache_dir().join(format!("{}-{}", self.name, self.version))
    }

    fn bin_dir(&self) -> PathBuf {
        self.root().join("bin")
    }

    /// Installed at the pinned version: `<tool> --version` must say so.
    fn is_installed(&self) -> bool {
        let bin = self.bin_dir().join(self.name);
        Command::new(&bin)
            .arg("--version")
            .output()
            .is_ok_and(|out| {
                String::from_utf8_lossy(&out.stdout).contains(self.version)
            })
    }
}

/// Installs every missing tool; prints what is already there.
pub fn install() -> Result {
    for tool in TOOLS {
        if tool.is_installed() {
            println!(
                "{} {} is installed in {}",
                tool.name,
                tool.version,
                tool.root().display()
            );
            continue;
        }
        cmd::run(cmd::cargo().args([
            "install",
            "--locked",
            tool.name,
            "--version",
            &format!("={}", tool.version),
            "--root",
            &tool.root().to_string_lossy(),
        ]))?;
    }
    Ok(())
}

/// PATH with the tool cache first.
pub fn path() -> OsString {
    let mut dirs: Vec<PathBuf> = TOOLS.iter().map(Tool::bin_dir).collect();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("tool cache paths contain no separator")
}

/// `mdbook` from the tool cache (installing the tools first if needed).
pub fn mdbook() -> Result<Command> {
    install()?;
    let mut command = Command::new(TOOLS[0].bin_dir().join("mdbook"));
    command.env("PATH", path());
    Ok(command)
}
