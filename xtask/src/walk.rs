//! Finding files in a directory tree.

use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `dir` (recursively) whose extension is `ext`, sorted.
/// A missing directory has no files.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_with_extension(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            files.push(path);
        }
    }
    files.sort();
    files
}
