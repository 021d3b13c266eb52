//! The house rule that only the terminal UI knows the terminal libraries:
//! no file under `src/` outside `src/tui/` names ratatui or crossterm.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_tui_names_ratatui_or_crossterm() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
