//! The book as mdBook hands it to a preprocessor: `[context, book]` in JSON.
//!
//! The walk is generic (it looks for `"Chapter"` objects at any depth)
//! instead of linking against mdBook's own types, which change between
//! minor versions; the preprocessors only need each chapter's source path
//! and content.

use serde_json::Value;

/// Calls `f(source_path, content)` for every chapter, sub-chapters
/// included. A draft chapter (no file) has the source path `""`.
pub fn for_each_chapter(
    value: &mut Value,
    f: &mut dyn FnMut(&str, &mut String),
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                let path = chapter
                    .get("source_path")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                if let Some(Value::String(content)) = chapter.get_mut("content")
                {
                    f(&path, content);
                }
            }
            map.values_mut().for_each(|v| for_each_chapter(v, f));
        }
        Value::Array(items) => {
            items.iter_mut().for_each(|v| for_each_chapter(v, f))
        }
        _ => {}
    }
}
