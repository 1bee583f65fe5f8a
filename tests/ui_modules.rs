//! The page's modules (`src/ui/`) form no import cycle. Each part of `ui` (a file, or a
//! folder with its submodules, which may use their parent freely) names the parts it uses
//! (`super::part`, `crate::ui::part`, `use super::{part, …}`; `super::Item` is `ui`'s own
//! `mod.rs`), and following those names never leads back to where it started.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every `.rs` file under `path`, as one text.
fn text_of(path: &Path) -> String {
    if path.is_file() {
        return fs::read_to_string(path).unwrap();
    }
    let mut text = String::new();
    for entry in fs::read_dir(path).unwrap() {
        text.push_str(&text_of(&entry.unwrap().path()));
    }
    text
}

/// The names that follow `prefix` in `text`: `prefix name`, and each first segment of a
/// `prefix{a, b::C}` group.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(ident));
        } else {
            names.insert(ident(rest));
        }
    }
    names.retain(|name| !name.is_empty());
    names
}

/// `ui`'s parts and the parts each uses; `mod.rs` is the part named `ui`.
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let parts: BTreeMap<String, String> = fs::read_dir(&ui)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let name = if name == "mod" { "ui".to_owned() } else { name };
            (name, text_of(&path))
        })
        .collect();
    let known: BTreeSet<&String> = parts.keys().collect();
    parts
        .iter()
        .map(|(name, text)| {
            let mut used = BTreeSet::new();
            if name == "ui" {
                // `mod.rs` uses a part by its path from `ui`: `part::Item`.
                used.extend(
                    known
                        .iter()
                        .filter(|part| text.contains(&format!("{part}::")))
                        .map(|part| part.to_string()),
                );
            } else {
                // In a folder's submodules `super::` is the folder itself.
                let siblings = if ui.join(name).is_dir() {
                    "super::super::"
                } else {
                    "super::"
                };
                for named in names_after(text, siblings)
                    .into_iter()
                    .chain(names_after(text, "crate::ui::"))
                {
                    if named.starts_with(|c: char| c.is_ascii_uppercase()) {
                        used.insert("ui".to_owned());
                    } else if known.contains(&named) {
                        used.insert(named);
                    }
                }
                if ui.join(name).is_dir() {
                    // The folder's own `mod.rs` names its siblings with one `super::`.
                    let own = fs::read_to_string(ui.join(name).join("mod.rs")).unwrap();
                    used.extend(
                        names_after(&own, "super::")
                            .into_iter()
                            .filter(|n| known.contains(n)),
                    );
                }
            }
            used.remove(name);
            (name.clone(), used)
        })
        .collect()
}

/// A path from `from` back to itself, if there is one.
fn cycle_through(uses: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut paths = vec![vec![from.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = paths.pop() {
        for next in &uses[path.last().unwrap()] {
            let mut longer = path.clone();
            longer.push(next.clone());
            if next == from {
                return Some(longer);
            }
            if seen.insert(next.clone()) {
                paths.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_ui_modules_form_no_import_cycle() {
    let uses = uses();
    let cycles: Vec<String> = uses
        .keys()
        .filter_map(|part| cycle_through(&uses, part))
        .map(|cycle| cycle.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles in src/ui:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_check_sees_the_uses_it_must() {
    let uses = uses();
    // A few uses that exist, so a parser that sees nothing cannot pass the check above.
    assert!(
        uses["status_card"].contains("session"),
        "{:?}",
        uses["status_card"]
    );
    assert!(uses["ui"].contains("connect_form"), "{:?}", uses["ui"]);
    assert!(
        uses["connect_form"].contains("sign_in"),
        "{:?}",
        uses["connect_form"]
    );
    assert!(uses["session"].contains("page"), "{:?}", uses["session"]);
}
