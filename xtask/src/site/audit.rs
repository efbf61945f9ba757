//! `cargo xtask audit`: Lighthouse 12.2.3 on the introduction, ch10 and the
//! heaviest chapter, for this book and for a stock mdBook 0.5.4 build of
//! the same `src/` (no theme, no preprocessors of ours, default
//! `[output.html]`), printing scores, bytes and requests per page. Slow
//! and dependent on the machine's load, so not part of `cargo xtask test`.
//! Lighthouse is installed with `npm i -E` into the tool cache.

use crate::site::serve_static::Server;
use crate::{Result, cmd, tools};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const LIGHTHOUSE: &str = "12.2.3";

fn lighthouse() -> Result<PathBuf> {
    let dir = tools::cache_dir().join(format!("lighthouse-{LIGHTHOUSE}"));
    let cli = dir.join("node_modules/lighthouse/cli/index.js");
    if !cli.is_file() {
        fs::create_dir_all(&dir)?;
        if !dir.join("package.json").is_file() {
            fs::write(dir.join("package.json"), "{\"private\":true}\n")?;
        }
        cmd::run(Command::new("npm").current_dir(&dir).args([
            "i",
            "-E",
            &format!("lighthouse@{LIGHTHOUSE}"),
            "--no-audit",
            "--no-fund",
        ]))?;
    }
    Ok(cli)
}

/// The chapter page with the most bytes of HTML (diagrams are inline).
fn heaviest(book: &Path) -> Result<String> {
    let mut best = (0, String::new());
    for page in crate::walk::files_with_extension(book, "html") {
        let name = page.file_name().unwrap_or_default().to_string_lossy();
        if !name.starts_with("ch") || page.parent() != Some(book) {
            continue;
        }
        let len = fs::metadata(&page)?.len();
        if len > best.0 {
            best = (len, name.into_owned());
        }
    }
    if best.1.is_empty() {
        return Err("no chapter pages in book/".into());
    }
    Ok(best.1)
}

/// A stock mdBook build of the same sources into target/audit/stock.
fn stock_build(root: &Path, out: &Path) -> Result {
    let dir = cmd::target_dir(root).join("audit/stock-src");
    fs::create_dir_all(&dir)?;
    fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"从 Python 协程到 Rust async/await\"\n\
             language = \"zh-CN\"\nsrc = \"{}\"\n\n[rust]\nedition = \"2024\"\n",
            root.join("src").display()
        ),
    )?;
    let mut mdbook = tools::mdbook()?;
    cmd::run(mdbook.current_dir(&dir).args([
        "build",
        "--dest-dir",
        &out.to_string_lossy(),
    ]))
}

pub fn run(root: &Path) -> Result {
    let cli = lighthouse()?;
    crate::site::book::build(root)?;
    let book = root.join("book");
    let stock = cmd::target_dir(root).join("audit/stock");
    stock_build(root, &stock)?;
    let pages = [
        "introduction.html".to_string(),
        "ch10-example.html".to_string(),
        heaviest(&book)?,
    ];
    let ours = Server::start(&book)?;
    let theirs = Server::start(&stock)?;
    let out = cmd::target_dir(root).join("audit/reports");
    fs::create_dir_all(&out)?;
    let mut node = Command::new("node");
    node.current_dir(root.join("tests"))
        .arg("tools/audit.js")
        .arg(&cli)
        .arg(&out)
        .env("CHROME_PATH", crate::site::browser::chromium());
    for page in &pages {
        node.arg(format!("ours  {page}={}{page}", ours.url()));
        node.arg(format!("stock {page}={}{page}", theirs.url()));
    }
    cmd::run(&mut node)
}
