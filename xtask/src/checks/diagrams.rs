//! Every mermaid diagram in `src/` has its rendered SVGs (light and dark)
//! in `src/generated/diagrams/`, under the key of its current source, and
//! no SVG is left over. A diagram added or edited without
//! `cargo xtask diagrams` fails here, named by chapter and line (the book
//! would still show it, drawn in the browser by mermaid's 2.6 MB script).

use crate::Result;
use crate::site::diagrams::{DIR, discover, is_rendered, orphans};
use std::path::Path;

pub fn check(root: &Path) -> Result {
    let dir = root.join(DIR);
    let found = discover(root)?;
    let mut problems = Vec::new();
    for d in &found {
        if !is_rendered(&dir, &d.key) {
            problems.push(format!(
                "{}: this mermaid diagram has no rendered SVG in {DIR}/ \
                 (new, or edited since it was rendered: key {})",
                d.place, d.key
            ));
        } else {
            for name in expected_output::diagrams::file_names(&d.key) {
                let text = std::fs::read_to_string(dir.join(&name))
                    .unwrap_or_default();
                if !text.trim_start().starts_with("<svg") {
                    problems.push(format!(
                        "{}: {DIR}/{name} is not an SVG",
                        d.place
                    ));
                }
            }
        }
    }
    for orphan in orphans(&dir, &found) {
        let rel = orphan.strip_prefix(root).unwrap_or(&orphan);
        problems.push(format!(
            "{}: no diagram in src/ has this key any more (changed or removed)",
            rel.display()
        ));
    }
    if problems.is_empty() {
        println!("{} diagram(s), each with light and dark SVGs", found.len());
        Ok(())
    } else {
        Err(format!(
            "{}\nrun `cargo xtask diagrams` (needs Node.js 20+ and Chromium, \
             as the browser tests do) and commit {DIR}/",
            problems.join("\n")
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_diagram_without_svgs_and_a_leftover_svg_are_named() {
        let root = std::env::temp_dir()
            .join(format!("xtask-diagrams-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join(DIR)).unwrap();
        fs::write(
            root.join("src/ch99.md"),
            "# T\n\n```mermaid\ngraph TD\n```\n",
        )
        .unwrap();
        fs::write(root.join(DIR).join("0000000000000000-light.svg"), "<svg/>")
            .unwrap();
        let err = check(&root).unwrap_err().to_string();
        assert!(err.contains("src/ch99.md:3: this mermaid diagram"), "{err}");
        assert!(
            err.contains("0000000000000000-light.svg: no diagram"),
            "{err}"
        );
        assert!(err.contains("run `cargo xtask diagrams`"), "{err}");

        let key = expected_output::diagrams::key("graph TD");
        for name in expected_output::diagrams::file_names(&key) {
            fs::write(root.join(DIR).join(name), "<svg></svg>").unwrap();
        }
        fs::remove_file(root.join(DIR).join("0000000000000000-light.svg"))
            .unwrap();
        check(&root).unwrap();
        fs::remove_dir_all(&root).unwrap();
    }
}
