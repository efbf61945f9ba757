//! Pinned Python virtualenvs in the tool cache: one directory per set of
//! pins (`<cache>/python-gevent-26.9.0`), made with `python3 -m venv` and
//! filled by pip from a requirements file where every package is pinned by
//! hash. A probe run by the virtualenv's own Python decides whether it
//! works; one that does is used as it is, one that does not (another
//! Python, a half-removed one) is built again.
//!
//! A new one is built beside its final place and renamed, so no program
//! ever runs with a half-installed virtualenv, and two processes that
//! build at once both end up with a whole one.

use crate::{Result, cmd, tools};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PythonEnv {
    /// Its directory in the tool cache, named after its pins: a new pin
    /// is a new directory, never a change under a running program.
    pub name: String,
    /// What it holds, for messages (`gevent 26.9.0`).
    pub what: String,
    /// A pip requirements file, every package pinned with its hashes.
    pub requirements: &'static str,
    /// The packages PyPI offers only as source archives; every other one
    /// must be a wheel (nothing is compiled on the reader's machine).
    pub source_only: &'static [&'static str],
    /// Python code that imports the pinned packages and prints their
    /// versions, and what it must print.
    pub probe: &'static str,
    pub expected: String,
}

impl PythonEnv {
    /// Where it lives in the tool cache.
    pub fn dir(&self) -> PathBuf {
        self.dir_in(&tools::cache_dir())
    }

    fn dir_in(&self, cache: &Path) -> PathBuf {
        cache.join(&self.name)
    }

    /// Its interpreter.
    pub fn python(&self) -> PathBuf {
        python_in(&self.dir())
    }

    /// Runs the probe in the virtualenv at `dir`: what it printed, or why
    /// it printed nothing.
    fn probe(&self, dir: &Path) -> std::result::Result<String, String> {
        let out = Command::new(python_in(dir))
            .args(["-c", self.probe])
            .output()
            .map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() {
            Ok(stdout)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Err(stderr.lines().last().unwrap_or_default().to_string())
        }
    }

    fn works(&self, dir: &Path) -> bool {
        self.probe(dir)
            .is_ok_and(|printed| printed == self.expected)
    }

    /// Makes sure the virtualenv works, building it if it does not.
    pub fn install(&self) -> Result {
        self.install_in(&tools::cache_dir(), Path::new("python3"))
    }

    /// Installs into `cache`, making the virtualenv with `python3`.
    fn install_in(&self, cache: &Path, python3: &Path) -> Result {
        let dir = self.dir_in(cache);
        if self.works(&dir) {
            println!("installed: {} in {}", self.what, dir.display());
            return Ok(());
        }
        let building = cache.join(format!(
            "{}.building-{}",
            self.name,
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&building);
        fs::create_dir_all(cache)?;
        cmd::run(Command::new(python3).args(["-m", "venv"]).arg(&building))
            .map_err(|e| {
                format!(
                    "{e}\ncannot create a virtualenv (Debian: apt-get install \
                     python3-venv)"
                )
            })?;
        let requirements = building.join("requirements.txt");
        fs::write(&requirements, self.requirements)?;
        let mut pip = Command::new(python_in(&building));
        pip.args(["-m", "pip", "install", "--quiet", "--require-hashes"])
            .arg("--only-binary=:all:");
        if !self.source_only.is_empty() {
            pip.arg(format!("--no-binary={}", self.source_only.join(",")));
        }
        pip.args(["--no-input", "-r"]).arg(&requirements);
        if let Err(e) = cmd::run(&mut pip) {
            let _ = fs::remove_dir_all(&building);
            return Err(e);
        }
        if dir.exists() {
            // A broken or stale one (another Python, a half-removed one).
            fs::remove_dir_all(&dir)?;
        }
        if fs::rename(&building, &dir).is_err() {
            // Another process finished first; use its copy.
            let _ = fs::remove_dir_all(&building);
        }
        let probe = match self.probe(&dir) {
            Ok(printed) if printed == self.expected => return Ok(()),
            Ok(printed) => format!("printed {printed:?}"),
            Err(e) => format!("failed: {e}"),
        };
        Err(format!(
            "{}: {} does not import after installing: the probe {probe}, \
             expected {:?}",
            dir.display(),
            self.what,
            self.expected
        )
        .into())
    }
}

fn python_in(dir: &Path) -> PathBuf {
    dir.join("bin").join("python3")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// What is tested is the installer (build beside, rename, reuse,
    /// rebuild, clean up), not venv and pip, which take a minute on a
    /// loaded machine: a `python3` whose `-m venv` makes a directory with
    /// a `bin/python3` that runs the real one, and whose `-m pip` fails
    /// when the requirements say `FAIL`.
    const FAKE_PYTHON3: &str = r#"#!/bin/sh
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python3" && exit 0
fi
if [ "$1 $2" = "-m pip" ]; then
    for last; do :; done
    ! grep -q FAIL "$last"
    exit
fi
exec python3 "$@"
"#;

    fn env(requirements: &'static str, expected: &str) -> PythonEnv {
        PythonEnv {
            name: "python-test-1".to_string(),
            what: "a test virtualenv".to_string(),
            requirements,
            source_only: &[],
            probe: "import sys; print(sys.version_info[0])",
            expected: expected.to_string(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_working_env_is_reused_a_stale_one_rebuilt_a_failed_one_removed() {
        let root = std::env::temp_dir()
            .join(format!("xtask-python-env-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let cache = root.join("cache");
        fs::create_dir_all(&root).unwrap();
        let python3 = root.join("python3");
        fs::write(&python3, FAKE_PYTHON3).unwrap();
        fs::set_permissions(&python3, fs::Permissions::from_mode(0o755))
            .unwrap();

        let ok = env("# nothing pinned\n", "3");
        ok.install_in(&cache, &python3).expect("built");
        let dir = ok.dir_in(&cache);
        assert!(ok.works(&dir));
        assert_eq!(names(&cache), ["python-test-1"], "nothing else left");

        let marker = dir.join("marker");
        fs::write(&marker, "").unwrap();
        ok.install_in(&cache, &python3).expect("reused");
        assert!(marker.exists(), "a working one is not rebuilt");

        // The probe prints something else now (a new pin, another
        // Python): it is built again, and the new one must pass.
        let error = env("# nothing pinned\n", "4")
            .install_in(&cache, &python3)
            .unwrap_err()
            .to_string();
        assert!(!marker.exists(), "a stale one is rebuilt");
        assert!(
            error.contains("does not import after installing"),
            "{error}"
        );
        assert!(error.contains("printed \"3\", expected \"4\""), "{error}");

        // pip fails: the half-built one goes, the old one stays.
        fs::write(&marker, "").unwrap();
        let failed = env("FAIL\n", "4").install_in(&cache, &python3);
        assert!(failed.is_err());
        assert!(marker.exists());
        assert_eq!(names(&cache), ["python-test-1"], "nothing else left");
        fs::remove_dir_all(&root).unwrap();
    }
}
