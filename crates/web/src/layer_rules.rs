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

/// The module a source file belongs to, for the circles check: its top-level module
/// (`store/src/outbox/enqueue.rs` is `outbox`), or in `web` a service module of its own
/// (`service/cases`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    match parts.first().map(String::as_str) {
        None | Some("lib" | "main") => None,
        Some("service") if parts.len() > 1 && parts[1] != "mod" => Some(format!("service/{}", parts[1])),
        Some(first) => Some(first.to_owned()),
    }
}

/// The modules `text` names through `crate::` paths, tests left out.
fn named_modules(text: &str) -> std::collections::BTreeSet<String> {
    let code: String = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or("")
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = std::collections::BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let mut names = Vec::new();
        if let Some(list) = rest.strip_prefix('{') {
            let list = list.split('}').next().unwrap_or("");
            names.extend(
                list.split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or("").to_owned()),
            );
        } else {
            let first: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if first == "service" {
                let second: String = rest["service::".len().min(rest.len())..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.push(if second.is_empty() {
                    first
                } else {
                    format!("service/{second}")
                });
            } else {
                names.push(first);
            }
        }
        out.extend(names.into_iter().filter(|n| !n.is_empty()));
    }
    out
}

/// Pairs of modules of one crate that name each other.
fn two_way_pairs(krate: &str) -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("src");
    let mut uses: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for file in sources(&src) {
        let Some(module) = module_of(&src, &file) else { continue };
        if file.file_stem().is_some_and(|s| s == "tests") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let named = named_modules(&text);
        uses.entry(module.clone())
            .or_default()
            .extend(named.into_iter().filter(|n| *n != module));
    }
    let mut pairs = Vec::new();
    for (a, named) in &uses {
        for b in named {
            if a < b && uses.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push((format!("{krate}: {a}"), format!("{krate}: {b}")));
            }
        }
    }
    pairs
}

/// The circles still to remove (issue 21), each a pair of modules that name each
/// other. A new circle fails the test; so does one removed but still listed here, so
/// that the list only shrinks.
const KNOWN_CIRCLES: [(&str, &str); 6] = [
    ("domain: calendar", "domain: events"),
    ("domain: deadlines", "domain: events"),
    ("domain: deadlines", "domain: process"),
    ("store: append", "store: cases"),
    ("store: append", "store: returns"),
    ("store: append", "store: template"),
];

#[test]
fn no_two_modules_of_a_crate_name_each_other_beyond_the_circles_still_listed() {
    let mut found: Vec<(String, String)> = ["domain", "store", "web", "notifications", "documents"]
        .iter()
        .flat_map(|k| two_way_pairs(k))
        .collect();
    found.sort();
    let known: Vec<(String, String)> = KNOWN_CIRCLES
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    let new: Vec<_> = found.iter().filter(|p| !known.contains(p)).collect();
    let gone: Vec<_> = known.iter().filter(|p| !found.contains(p)).collect();
    assert!(new.is_empty(), "modules that now name each other: {new:?}");
    assert!(
        gone.is_empty(),
        "circles removed: take them off KNOWN_CIRCLES: {gone:?}"
    );
}
