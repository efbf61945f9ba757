//! The virtualenv of chapter 27's Python servers that need more than the
//! standard library and gevent: uvloop, curio and Twisted, pinned with
//! hashes in `bench-requirements.txt`.
//!
//! It is a second virtualenv, not more packages in the gevent one: the
//! Part 2 programs keep running with exactly the packages their chapters
//! describe, and a new pin here (Twisted alone brings nine packages) never
//! rebuilds or changes theirs.

use crate::{Result, cmd, tools};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const REQUIREMENTS: &str = include_str!("bench-requirements.txt");
pub const UVLOOP_VERSION: &str = "0.23.0";
pub const CURIO_VERSION: &str = "1.6";
pub const TWISTED_VERSION: &str = "26.10.0";
/// What the installed virtualenv must print for [`PROBE`].
const EXPECTED: &str = "0.23.0 1.6 26.10.0";
const PROBE: &str = "import uvloop, curio, twisted; \
                     print(uvloop.__version__, curio.__version__, \
                     twisted.__version__)";

/// A program that imports one of these packages at the top level runs
/// with this virtualenv's Python.
pub fn needs(source: &str) -> bool {
    source.lines().any(|line| {
        ["uvloop", "curio", "twisted"].iter().any(|p| {
            line.starts_with(&format!("import {p}"))
                || line.starts_with(&format!("from {p} "))
                || line.starts_with(&format!("from {p}."))
        })
    })
}

/// `<tool cache>/python-bench-net-<uvloop>-<curio>-<twisted>`.
pub fn venv() -> PathBuf {
    tools::cache_dir().join(format!(
        "python-bench-net-{UVLOOP_VERSION}-{CURIO_VERSION}-{TWISTED_VERSION}"
    ))
}

pub fn python() -> PathBuf {
    venv().join("bin").join("python3")
}

fn works(venv: &Path) -> bool {
    Command::new(venv.join("bin").join("python3"))
        .args(["-c", PROBE])
        .output()
        .is_ok_and(|out| {
            out.status.success()
                && String::from_utf8_lossy(&out.stdout).trim() == EXPECTED
        })
}

/// Creates the virtualenv unless it already works, beside its final place
/// and then renamed (as `python::install_gevent` does). Every file is
/// checked against its hash; all are wheels but curio 1.6, which PyPI
/// offers only as a source archive (pure Python): pip builds it, with a
/// setuptools it fetches for that build alone.
pub fn install() -> Result {
    super::python::check_python()?;
    let venv = venv();
    if works(&venv) {
        println!("uvloop, curio and Twisted are in {}", venv.display());
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
    fs::write(&requirements, REQUIREMENTS)?;
    cmd::run(
        Command::new(building.join("bin").join("python3"))
            .args(["-m", "pip", "install", "--quiet", "--require-hashes"])
            .args(["--only-binary=:all:", "--no-binary=curio"])
            .args(["--no-input", "-r"])
            .arg(&requirements),
    )?;
    if venv.exists() {
        fs::remove_dir_all(&venv)?;
    }
    if fs::rename(&building, &venv).is_err() {
        let _ = fs::remove_dir_all(&building);
    }
    if works(&venv) {
        Ok(())
    } else {
        Err(format!(
            "{}: uvloop/curio/Twisted do not import after installing \
             (expected versions {EXPECTED})",
            venv.display()
        )
        .into())
    }
}
