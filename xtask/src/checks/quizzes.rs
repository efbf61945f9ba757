//! The “预测输出” questions (`quizzes/chNN.txt`): each one must obey the
//! rules (no answer in the stem, three choices, none already shown, wrong
//! choices that teach, no unspecified order) and still make
//! sense against the expected output or code block it is generated from
//! (`expected_output::quiz`). The book build fails the same way; this
//! check names every broken question at once and counts them per chapter.

use crate::Result;
use std::path::Path;

pub fn check(root: &Path) -> Result {
    match expected_output::quiz::load_book(root) {
        Ok(chapters) => {
            let total: usize = chapters.iter().map(|(_, q)| q.len()).sum();
            let per: Vec<String> = chapters
                .iter()
                .map(|(ch, q)| format!("{ch} {}", q.len()))
                .collect();
            println!("quizzes: {total} questions ({})", per.join(", "));
            // Where each one stands: before that line of its chapter, or
            // in the section at the end.
            for (ch, qs) in &chapters {
                let at: Vec<String> = qs
                    .iter()
                    .map(|q| match q.stands {
                        Some(n) => format!("{} before line {}", q.id, n + 1),
                        None => format!("{} at the end", q.id),
                    })
                    .collect();
                println!("  {ch}: {}", at.join(", "));
            }
            Ok(())
        }
        Err(errors) => Err(format!(
            "{} question(s) break a quiz rule or no longer make sense \
             (rules: CONTRIBUTING.md “预测输出题”):\n{}",
            errors.len(),
            errors.join("\n")
        )
        .into()),
    }
}
