//! The house rules on which room may use which. Rooms are the crate's
//! top-level modules; each sits on a level, and a room may use rooms on
//! lower levels, and rooms on its own level only where no cycle results:
//!
//! `catalog` ← `model` ← `formats`, `scan`, `code`, `analysis`, `cost`,
//! `layout`, `command` ← `canvas`, `document`, `config` ← `cli`, `tui`.
//!
//! Nothing points back up. Only the terminal UI names ratatui or crossterm.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each room and its level; a new room must be placed here.
const ROOMS: &[(&str, u8)] = &[
    ("catalog", 0),
    ("model", 1),
    ("formats", 2),
    ("scan", 2),
    ("code", 2),
    ("analysis", 2),
    ("cost", 2),
    ("layout", 2),
    ("canvas", 3),
    ("document", 3),
    ("diff", 3),
    ("command", 2),
    ("config", 3),
    ("cli", 4),
    ("tui", 4),
];

/// Uses that point up today, each waiting for a change that ends it. An
/// entry that is no longer needed fails the check, so the list only shrinks.
const KNOWN_UPWARD: &[&str] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The room a file under `src/` belongs to (`None` for lib.rs and main.rs).
fn room_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The rooms a piece of Rust names through `crate::`, including grouped
/// imports (`use crate::{a, b::c}`). Comments are skipped.
fn rooms_used(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                used.insert(name);
            }
        }
    }
    used
}

/// Which room uses which, from the source.
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let Some(room) = room_of(f) else { continue };
        let text = std::fs::read_to_string(f).unwrap();
        let used = graph.entry(room.clone()).or_default();
        for r in rooms_used(&text) {
            if r != room {
                used.insert(r);
            }
        }
    }
    graph
}

#[test]
fn every_room_has_a_place() {
    let levels: BTreeMap<&str, u8> = ROOMS.iter().copied().collect();
    let unplaced: Vec<String> = uses()
        .into_keys()
        .filter(|r| !levels.contains_key(r.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "rooms missing from ROOMS in tests/boundaries.rs: {unplaced:?}"
    );
}

#[test]
fn no_room_uses_a_room_above_it() {
    let levels: BTreeMap<&str, u8> = ROOMS.iter().copied().collect();
    let graph = uses();
    assert!(
        graph["tui"].contains("document") && graph["model"].contains("catalog"),
        "the check reads the wrong thing: {graph:?}"
    );
    let mut upward = Vec::new();
    for (room, used) in &graph {
        let Some(&mine) = levels.get(room.as_str()) else {
            continue;
        };
        for u in used {
            // Names that are not rooms (`crate::Result`) are not checked.
            if let Some(&theirs) = levels.get(u.as_str())
                && theirs > mine
            {
                upward.push(format!("{room} uses {u}"));
            }
        }
    }
    let new: Vec<&String> = upward
        .iter()
        .filter(|u| !KNOWN_UPWARD.contains(&u.as_str()))
        .collect();
    assert!(new.is_empty(), "rooms pointing back up: {new:?}");
    let gone: Vec<&&str> = KNOWN_UPWARD
        .iter()
        .filter(|k| !upward.iter().any(|u| u == *k))
        .collect();
    assert!(
        gone.is_empty(),
        "no longer true, remove from KNOWN_UPWARD: {gone:?}"
    );
}

#[test]
fn rooms_on_one_level_form_no_cycle() {
    let levels: BTreeMap<&str, u8> = ROOMS.iter().copied().collect();
    let graph = uses();
    let same = |a: &str, b: &str| levels.get(a).is_some() && levels.get(a) == levels.get(b);
    let mut cycles = Vec::new();
    for (a, used) in &graph {
        for b in used.iter().filter(|b| same(a, b)) {
            if graph.get(b).is_some_and(|back| back.contains(a)) && a < b {
                cycles.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(cycles.is_empty(), "rooms using each other: {cycles:?}");
}

#[test]
fn the_rules_see_through_grouped_imports() {
    let used =
        rooms_used("use crate::{model::Sketch, cost};\n// crate::tui\nx(crate::formats::read)");
    assert_eq!(
        used.into_iter().collect::<Vec<_>>(),
        ["cost", "formats", "model"]
    );
}

#[test]
fn only_the_tui_names_ratatui_or_crossterm() {
    let src = src();
    let tui = src.join("tui");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut seen_tui = false;
    let mut offenders = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap().to_lowercase();
        let names = text.contains("ratatui") || text.contains("crossterm");
        if f.starts_with(&tui) {
            seen_tui |= names;
        } else if names {
            offenders.push(f.strip_prefix(&src).unwrap().display().to_string());
        }
    }
    assert!(
        seen_tui,
        "the check looks in the wrong place: src/tui names neither"
    );
    assert!(offenders.is_empty(), "outside src/tui: {offenders:?}");
}
