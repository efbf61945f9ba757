//! The browser tests (tests/, Playwright with Debian's Chromium) against the
//! built book: served by our own static server on a free local port, and
//! once more under `mdbook serve` for the search test that needs it.

use crate::report::Report;
use crate::site::serve_static::Server;
use crate::{Result, cmd, tools};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's Chromium unless `$CHROMIUM` names another.
pub fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// `cargo xtask browser-tests`: build the book, then run only these tests.
pub fn run_alone(root: &Path) -> Result {
    let mut report = Report::default();
    let built = crate::site::book::build(root);
    let ok = built.is_ok();
    report.record("book build", built);
    report.merge(check(root, ok));
    report.finish()
}

/// One check, "browser tests", which fails if any Playwright test fails.
pub fn check(root: &Path, book_built: bool) -> Report {
    let mut report = Report::default();
    let result = if book_built {
        run(root)
    } else {
        Err("not run: the book did not build".into())
    };
    report.record("browser tests", result);
    report
}

fn run(root: &Path) -> Result {
    let tests = root.join("tests");
    let browser = chromium();
    if !browser.is_file() {
        return Err(format!(
            "{} not found: install Debian's chromium and fonts-noto-cjk \
             (.ci/run does), or set CHROMIUM",
            browser.display()
        )
        .into());
    }
    prepare(&tests)?;

    let server = Server::start(&root.join("book"))?;
    println!(
        "serving {} at {}",
        root.join("book").display(),
        server.url()
    );
    let serve = MdbookServe::start(root)?;

    let mut playwright =
        Command::new(tests.join("node_modules/.bin/playwright"));
    playwright
        .current_dir(&tests)
        .arg("test")
        .env("BOOK_URL", server.url())
        .env("BOOK_DIR", root.join("book"))
        .env("SERVE_URL", &serve.url)
        .env("CHROMIUM", &browser)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let started = Instant::now();
    let result = cmd::run(&mut playwright);
    println!(
        "browser tests took {:.1} s (screenshots in tests/test-results/screenshots/)",
        started.elapsed().as_secs_f64()
    );
    drop(serve);
    drop(server);
    result
}

/// Node.js checked and tests/node_modules installed from the lock file.
pub fn prepare(tests: &Path) -> Result {
    check_node()?;
    npm_ci_if_stale(tests)
}

/// Playwright 1.65 needs Node.js 20 or newer (Debian 12's own is 18).
fn check_node() -> Result {
    let out = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run node ({e}): install Node.js 20+"))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "node {version} is too old: Playwright needs Node.js 20 or newer"
        )
        .into());
    }
    Ok(())
}

/// `npm ci` when tests/node_modules is missing or was installed from
/// another package-lock.json (a copy of the lock file is kept inside).
fn npm_ci_if_stale(tests: &Path) -> Result {
    let lock = tests.join("package-lock.json");
    let stamp = tests.join("node_modules/.xtask-package-lock.json");
    let wanted = std::fs::read(&lock)
        .map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    if std::fs::read(&stamp).ok().as_ref() == Some(&wanted) {
        return Ok(());
    }
    cmd::run(
        Command::new("npm")
            .current_dir(tests)
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
    .map_err(|e| format!("{e} (is Node.js installed? .ci/run installs it)"))?;
    std::fs::write(&stamp, &wanted)?;
    Ok(())
}

/// `mdbook serve` on a free local port, building into target/ so that the
/// static book/ stays as built; killed when dropped.
struct MdbookServe {
    child: Child,
    url: String,
}

impl MdbookServe {
    fn start(root: &Path) -> Result<MdbookServe> {
        // Ask the system for a free port, then hand it to mdbook.
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let dest = crate::cmd::target_dir(root).join("serve-book");
        let mut mdbook = tools::mdbook()?;
        mdbook.current_dir(root).args([
            "serve",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--dest-dir",
            &dest.to_string_lossy(),
        ]);
        cmd::echo(&mdbook);
        let child = mdbook
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start mdbook serve: {e}"))?;
        let mut serve = MdbookServe {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        };
        // It builds the book before it listens.
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = serve.child.try_wait()? {
                return Err(
                    format!("mdbook serve exited early ({status})").into()
                );
            }
            if Instant::now() > deadline {
                return Err(
                    "mdbook serve did not start listening within 120 s".into(),
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        println!("mdbook serve is up at {}", serve.url);
        Ok(serve)
    }
}

impl Drop for MdbookServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds the book in `root` (a temporary copy, in the self-test) and runs
/// the axe checks of one page (`a11y.spec.js`, light and navy). The copy
/// has no `tests/node_modules`, so it uses this repository's.
pub fn check_accessibility_of(root: &Path, page: &str) -> Result {
    crate::site::book::build(root)?;
    let tests = root.join("tests");
    let modules = tests.join("node_modules");
    if !modules.exists() {
        let real = crate::repo_root().join("tests/node_modules");
        prepare(&crate::repo_root().join("tests"))?;
        std::os::unix::fs::symlink(&real, &modules)?;
    }
    let server = Server::start(&root.join("book"))?;
    let mut playwright = Command::new(modules.join(".bin/playwright"));
    playwright
        .current_dir(&tests)
        .args(["test", "a11y.spec.js", "-g", &format!("{page}（")])
        .env("BOOK_URL", server.url())
        .env("BOOK_DIR", root.join("book"))
        .env("CHROMIUM", chromium())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let out = cmd::capture(&mut playwright)?;
    drop(server);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        return Ok(());
    }
    // The axe rules named in the failure, e.g. `button-name`.
    let mut rules: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| AXE_RULES.contains(w))
        .collect();
    rules.sort();
    rules.dedup();
    Err(format!(
        "book/{page}: axe finds critical or serious violations ({}):\n{}",
        rules.join(", "),
        text.lines()
            .filter(|l| l.contains("✘") || l.contains("Error"))
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    )
    .into())
}

/// Rules an accessibility regression in a chapter most likely breaks.
const AXE_RULES: &[&str] = &[
    "button-name",
    "image-alt",
    "link-name",
    "color-contrast",
    "aria-allowed-attr",
    "scrollable-region-focusable",
];
