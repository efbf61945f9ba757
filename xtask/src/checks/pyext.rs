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

use crate::{Result, cmd, tools};
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

/// `<tool cache>/python-maturin-<version>`.
fn maturin_venv() -> PathBuf {
    tools::cache_dir().join(format!("python-maturin-{MATURIN_VERSION}"))
}

fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python3")
}

/// `maturin --version` prints the pinned version.
fn maturin_works(venv: &Path) -> bool {
    Command::new(venv.join("bin").join("maturin"))
        .arg("--version")
        .output()
        .is_ok_and(|out| {
            out.status.success()
                && String::from_utf8_lossy(&out.stdout).trim()
                    == format!("maturin {MATURIN_VERSION}")
        })
}

/// Creates maturin's virtualenv in the tool cache unless it already works,
/// beside its final place and then renamed (as `python::install_gevent`
/// does), every file checked against its hash.
pub fn install_maturin() -> Result {
    super::python::check_python()?;
    let venv = maturin_venv();
    if maturin_works(&venv) {
        println!(
            "maturin {MATURIN_VERSION} is installed in {}",
            venv.display()
        );
        return Ok(());
    }
    let name = venv.file_name().unwrap().to_string_lossy().into_owned();
    let building = tools::cache_dir()
        .join(format!("{name}.building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    fs::create_dir_all(tools::cache_dir())?;
    cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&building))
        .map_err(|e| {
            format!("{e}\ncannot create a virtualenv (python3-venv)")
        })?;
    let requirements = building.join("requirements.txt");
    fs::write(&requirements, MATURIN_REQUIREMENTS)?;
    cmd::run(
        Command::new(venv_python(&building))
            .args(["-m", "pip", "install", "--quiet", "--require-hashes"])
            .args(["--only-binary=:all:", "--no-input", "-r"])
            .arg(&requirements),
    )?;
    if venv.exists() {
        fs::remove_dir_all(&venv)?;
    }
    if fs::rename(&building, &venv).is_err() {
        let _ = fs::remove_dir_all(&building);
    }
    if maturin_works(&venv) {
        Ok(())
    } else {
        Err(format!(
            "{}: `maturin --version` is not maturin {MATURIN_VERSION} \
             after installing",
            venv.display()
        )
        .into())
    }
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
            Command::new(maturin_venv().join("bin").join("maturin"))
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
