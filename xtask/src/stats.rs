//! `cargo xtask stats`: how many chapters, programs, exercises, questions…
//! the book has, counted from the repository by the same discovery the
//! checks use. The README names no count: a number typed into prose drifts
//! the day a listing is added, a number printed by this command cannot.

use crate::Result;
use crate::author::timelines::TIMELINES;
use crate::checks::{listing_tests, protocol, python, selftest};
use crate::site::diagrams;
use std::fs;
use std::path::Path;

/// The counts, each from the discovery of the check that owns it.
#[derive(Debug)]
pub struct Stats {
    /// `src/chNN-*.md` pages linked from `src/SUMMARY.md`.
    pub chapters: usize,
    /// Every page linked from `src/SUMMARY.md` (chapters, introduction,
    /// glossary, progress page).
    pub pages: usize,
    /// `listings/chNN` packages.
    pub listings: usize,
    /// `listings/chNN/src/bin/*.rs`, each with `output/<name>.txt`.
    pub programs: usize,
    /// `listings/chNN/python/*.py`, each with `python/output/<name>.txt`.
    pub python_programs: usize,
    /// `listings/chNN/tests/*.rs`, each with `tests/output/<name>.txt`.
    pub listing_tests: usize,
    pub exercises: usize,
    /// Questions per quiz file, `(chNN, questions)` in chapter order.
    pub quizzes: Vec<(String, usize)>,
    /// Mermaid diagrams in `src/`, each rendered to two SVGs.
    pub diagrams: usize,
    /// Timeline pictures drawn by `cargo xtask timelines`.
    pub timelines: usize,
    /// Echo servers the protocol check discovers, Rust and Python.
    pub servers: usize,
    pub selftest_faults: usize,
}

impl Stats {
    /// Counts everything; fails, naming the files, when a discovery finds
    /// the layout broken (a count over a broken layout would be wrong).
    pub fn collect(root: &Path) -> Result<Stats> {
        let mut problems = Vec::new();
        let summary = fs::read_to_string(root.join("src/SUMMARY.md"))
            .map_err(|e| format!("src/SUMMARY.md: {e}"))?;
        let pages: Vec<String> = expected_output::markdown::summary(&summary)
            .into_iter()
            .map(|link| link.path)
            .filter(|path| path.ends_with(".md"))
            .collect();
        let chapters = pages.iter().filter(|p| is_chapter(p)).count();
        let (listings, found) = crate::listings::discover(root, &[]);
        problems.extend(found);
        let (python, found) = python::discover(root, &[]);
        problems.extend(found);
        let (tests, found) = listing_tests::discover(root, &[]);
        problems.extend(found);
        let (exercises, found) = crate::exercises::discover(root);
        problems.extend(found);
        let quizzes = match expected_output::quiz::load_book(root) {
            Ok(chapters) => chapters
                .into_iter()
                .map(|(chapter, questions)| (chapter, questions.len()))
                .collect(),
            Err(errors) => {
                problems.extend(errors);
                Vec::new()
            }
        };
        let diagrams = diagrams::discover(root)?.len();
        if !problems.is_empty() {
            return Err(format!(
                "cannot count: the layout has problems (`cargo xtask test` \
                 names the same):\n{}",
                problems.join("\n")
            )
            .into());
        }
        Ok(Stats {
            chapters,
            pages: pages.len(),
            listings: listings.len(),
            programs: listings.iter().map(|l| l.programs.len()).sum(),
            python_programs: python.len(),
            listing_tests: tests.len(),
            exercises: exercises.len(),
            quizzes,
            diagrams,
            timelines: TIMELINES.len(),
            servers: protocol::discover(root, &[]).len(),
            selftest_faults: selftest::fault_count(),
        })
    }

    pub fn questions(&self) -> usize {
        self.quizzes.iter().map(|(_, n)| n).sum()
    }

    /// One count a line, with where it comes from.
    pub fn render(&self) -> String {
        let quizzes: Vec<String> = self
            .quizzes
            .iter()
            .map(|(chapter, n)| format!("{chapter} {n}"))
            .collect();
        let rows = [
            (self.chapters, "chapters (src/chNN-*.md in src/SUMMARY.md)"),
            (self.pages, "pages in src/SUMMARY.md"),
            (self.listings, "listing packages (listings/chNN)"),
            (
                self.programs,
                "Rust programs, each with its expected output \
                 (listings/chNN/src/bin, output/)",
            ),
            (
                self.python_programs,
                "Python programs, each with its expected output \
                 (listings/chNN/python, python/output/)",
            ),
            (
                self.listing_tests,
                "listing test files, each with its expected output \
                 (listings/chNN/tests)",
            ),
            (self.exercises, "exercises (listings/chNN/exercises)"),
            (self.quizzes.len(), "quiz files (quizzes/chNN.txt)"),
            (self.questions(), "quiz questions"),
            (self.diagrams, "mermaid diagrams (src/generated/diagrams)"),
            (self.timelines, "timelines (src/generated/timelines)"),
            (self.servers, "echo servers under the protocol check"),
            (self.selftest_faults, "self-test faults"),
        ];
        let mut out = String::new();
        for (n, what) in rows {
            out.push_str(&format!("{n:>5}  {what}\n"));
        }
        out.push_str(&format!(
            "questions per chapter: {}\n",
            quizzes.join(", ")
        ));
        out
    }
}

/// `chNN-<topic>.md`.
fn is_chapter(page: &str) -> bool {
    let b = page.as_bytes();
    b.len() > 5
        && b.starts_with(b"ch")
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4] == b'-'
}

pub fn print(root: &Path) -> Result {
    print!("{}", Stats::collect(root)?.render());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files under `listings/*/<sub>` with extension `ext`, counted by a
    /// plain directory walk: what each discovery must agree with.
    fn files(root: &Path, sub: &str, ext: &str) -> usize {
        fs::read_dir(root.join("listings"))
            .unwrap()
            .flatten()
            .map(|listing| {
                crate::walk::files_with_extension(
                    &listing.path().join(sub),
                    ext,
                )
                .into_iter()
                .filter(|f| f.parent() == Some(&listing.path().join(sub)))
                .count()
            })
            .sum()
    }

    #[test]
    fn every_count_is_found_and_agrees_with_the_files() {
        let root = crate::repo_root();
        let stats = Stats::collect(&root).unwrap();
        let src_chapters = fs::read_dir(root.join("src"))
            .unwrap()
            .flatten()
            .filter(|e| is_chapter(&e.file_name().to_string_lossy()))
            .count();
        assert_eq!(stats.chapters, src_chapters, "{stats:?}");
        assert!(stats.pages > stats.chapters, "{stats:?}");
        assert_eq!(stats.programs, files(&root, "src/bin", "rs"));
        assert_eq!(stats.programs, files(&root, "output", "txt"));
        assert_eq!(stats.python_programs, files(&root, "python", "py"));
        assert_eq!(stats.listing_tests, files(&root, "tests", "rs"));
        assert_eq!(stats.exercises, files(&root, "exercises", "meta"));
        let drawn = crate::walk::files_with_extension(
            &root.join("src/generated/timelines"),
            "svg",
        );
        assert_eq!(stats.timelines, drawn.len());
        let quiz_files = fs::read_dir(root.join("quizzes")).unwrap().count();
        assert_eq!(stats.quizzes.len(), quiz_files);
        // A file may hold only retired questions (ids stay stable for the
        // answers readers saved), so one chapter may count 0; the book not.
        assert!(stats.quizzes.iter().any(|(_, n)| *n > 0), "{stats:?}");
        for n in [
            stats.listings,
            stats.diagrams,
            stats.servers,
            stats.selftest_faults,
        ] {
            assert!(n > 0, "{stats:?}");
        }
        let shown = stats.render();
        assert!(
            shown.contains(&format!(
                "{:>5}  quiz questions\n",
                stats.questions()
            )),
            "{shown}"
        );
    }

    #[test]
    fn chapters_are_the_numbered_pages() {
        assert!(is_chapter("ch03-send.md"));
        assert!(!is_chapter("introduction.md"));
        assert!(!is_chapter("chapter.md"));
        assert!(!is_chapter("ch3-x.md"));
    }
}
