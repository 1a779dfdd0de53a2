//! The rule that keeps the service layer a door, not a convention: the pages and the
//! JSON API reach the store only through `service` (which also names the store's
//! values for them, in `service::types`). This reads the `use` lines and paths of every
//! file under `src/pages` and `src/api` as text, so that a page that imports `store`,
//! or reaches for `state.store`, fails the build's tests with the file and line.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The places in `text` (one file) that reach the store directly: a `store::` path
/// (an import or a type), or the state's `.store` field. Comments do not count.
pub(crate) fn reaches_the_store(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '.'))
            .collect();
        let direct = words.iter().any(|w| {
            w.starts_with("store::")
                || w.contains(".store.")
                || w.ends_with(".store")
                || *w == ".store"
                || w.starts_with(".store.")
        });
        if direct {
            out.push((i + 1, line.trim().to_owned()));
        }
    }
    out
}

#[test]
fn the_pages_and_the_api_reach_the_store_only_through_the_service_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for dir in ["pages", "api"] {
        for file in sources(&root.join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (line, code) in reaches_the_store(&text) {
                found.push(format!("{}:{line}: {code}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "pages and the API call the service layer, never the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_import_of_the_store_or_a_call_on_it_is_caught_and_a_comment_is_not() {
    assert_eq!(reaches_the_store("use store::User;").len(), 1);
    assert_eq!(
        reaches_the_store("    let x = state.store.list_users().await?;").len(),
        1
    );
    assert_eq!(
        reaches_the_store("    let x = state\n        .store\n        .list_users()").len(),
        1
    );
    assert_eq!(reaches_the_store("fn f(u: &store::User) {}").len(), 1);
    assert!(reaches_the_store("// see store::User and state.store").is_empty());
    assert!(reaches_the_store("use crate::service::types::User;").is_empty());
    assert!(reaches_the_store("let restore = 1; state.stored_at;").is_empty());
}
