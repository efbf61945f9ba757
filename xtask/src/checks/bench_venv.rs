//! The virtualenv of chapter 27's Python servers that need more than the
//! standard library and gevent: uvloop, curio and Twisted, pinned with
//! hashes in `bench-requirements.txt`.
//!
//! It is a second virtualenv, not more packages in the gevent one: the
//! Part 2 programs keep running with exactly the packages their chapters
//! describe, and a new pin here (Twisted alone brings nine packages) never
//! rebuilds or changes theirs.

use crate::Result;
use crate::tools::PythonEnv;

const REQUIREMENTS: &str = include_str!("bench-requirements.txt");
pub const UVLOOP_VERSION: &str = "0.23.0";
pub const CURIO_VERSION: &str = "1.6";
pub const TWISTED_VERSION: &str = "26.10.0";

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

/// `<tool cache>/python-bench-net-<uvloop>-<curio>-<twisted>`. Every
/// file is checked against its hash; all are wheels but curio 1.6, which
/// PyPI offers only as a source archive (pure Python): pip builds it, with
/// a setuptools it fetches for that build alone.
pub fn env() -> PythonEnv {
    PythonEnv {
        name: format!(
            "python-bench-net-{UVLOOP_VERSION}-{CURIO_VERSION}-{TWISTED_VERSION}"
        ),
        what: format!(
            "uvloop {UVLOOP_VERSION}, curio {CURIO_VERSION} and Twisted \
             {TWISTED_VERSION}"
        ),
        requirements: REQUIREMENTS,
        source_only: &["curio"],
        probe: "import uvloop, curio, twisted; \
                print(uvloop.__version__, curio.__version__, \
                twisted.__version__)",
        expected: format!("{UVLOOP_VERSION} {CURIO_VERSION} {TWISTED_VERSION}"),
    }
}

/// Creates the virtualenv in the tool cache unless it already works.
pub fn install() -> Result {
    super::python::check_python()?;
    env().install()
}
