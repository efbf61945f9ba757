//! Python extension modules: a listing with a `pyproject.toml` beside its
//! `Cargo.toml` is a Rust library that its Python programs import (chapter
//! 28 on). Those programs run with the Python of a virtualenv into which
//! `maturin develop` installed the module, the command the chapter gives
//! readers.
//!
//! Two virtualenvs, for two reasons:
//! - maturin itself, pinned with hashes in `maturin-requirements.txt`,
//!   lives in the tool cache like gevent's virtualenv: installed once,
//!   shared by every checkout, never changed by a build.
//! - the modules are installed into `<target>/python-ext/venv`, this
//!   checkout's own (made offline with `python3 -m venv`). A module is a
//!   build of this checkout's sources: two checkouts sharing the tool
//!   cache must not install theirs over each other's, and `cargo clean`
//!   removes it with the library it was built from.

use crate::tools::PythonEnv;
use crate::{Result, cmd};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const MATURIN_VERSION: &str = "1.16.0";
const MATURIN_REQUIREMENTS: &str = include_str!("maturin-requirements.txt");

/// `listings/chNN` builds a Python extension module.
pub fn is_extension(listing: &Path) -> bool {
    listing.join("pyproject.toml").is_file()
}

/// `listings/chNN/python/<name>.py` imports its listing's extension module.
pub fn needs(source: &Path) -> bool {
    listing_of(source).is_some_and(is_extension)
}

fn listing_of(source: &Path) -> Option<&Path> {
    source.parent()?.parent()
}

/// The interpreter of the programs that import an extension module.
pub fn python_for(source: &Path) -> Option<PathBuf> {
    let root = listing_of(source)?.parent()?.parent()?;
    needs(source).then(|| venv_python(&modules_venv(root)))
}

fn modules_venv(root: &Path) -> PathBuf {
    cmd::target_dir(root).join("python-ext").join("venv")
}

/// `<tool cache>/python-maturin-<version>`, with the pinned maturin.
pub fn maturin_env() -> PythonEnv {
    PythonEnv {
        name: format!("python-maturin-{MATURIN_VERSION}"),
        what: format!("maturin {MATURIN_VERSION}"),
        requirements: MATURIN_REQUIREMENTS,
        source_only: &[],
        probe: "import importlib.metadata as m; print(m.version('maturin'))",
        expected: MATURIN_VERSION.to_string(),
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python3")
}

/// Creates the maturin virtualenv in the tool cache unless it already works.
pub fn install_maturin() -> Result {
    maturin_env().install()
}

/// Builds the extension module of each listing in `listings` and installs
/// it into this checkout's virtualenv, creating that first if needed.
pub fn build(root: &Path, listings: &[PathBuf]) -> Result {
    if listings.is_empty() {
        return Ok(());
    }
    install_maturin()?;
    let venv = modules_venv(root);
    if !venv_python(&venv).is_file() {
        let _ = fs::remove_dir_all(&venv);
        fs::create_dir_all(venv.parent().unwrap())?;
        cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .map_err(|e| {
                format!("{e}\ncannot create a virtualenv (python3-venv)")
            })?;
    }
    for listing in listings {
        // `--locked`: the listing's own Cargo.lock is the workspace's,
        // trimmed; a build must not quietly move a version.
        cmd::run(
            Command::new(maturin_env().dir().join("bin").join("maturin"))
                .args(["develop", "--locked", "--manifest-path"])
                .arg(listing.join("Cargo.toml"))
                .env("VIRTUAL_ENV", &venv)
                .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
                .current_dir(root),
        )
        .map_err(|e| {
            format!(
                "{e}\n{}: the extension module does not build",
                listing.strip_prefix(root).unwrap_or(listing).display()
            )
        })?;
    }
    Ok(())
}
