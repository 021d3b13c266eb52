//! Snapshots of `stacksketch render` for every example, with Unicode box
//! drawing and in plain ASCII, both top-down and left to right.
//! `INSTA_UPDATE=always cargo test --test render_snapshots` rewrites them
//! after an intended change; review the diff.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A snapshot name from the example's path: `queue-pipeline` for
/// `examples/queue-pipeline/template.yaml`.
fn name_of(path: &Path) -> String {
    let rel = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.len() > 1 && parts.last().is_some_and(|f| f.starts_with("template.")) {
        parts.pop();
    }
    parts.join("-").replace('.', "_")
}

fn render(path: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("stacksketch")
        .unwrap()
        .arg("render")
        .arg(path)
        .args(["--width", "100"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_example_renders_as_before() {
    let files = examples();
    assert!(!files.is_empty(), "no examples found");
    for path in files {
        let name = name_of(&path);
        let unicode = render(&path, &[]);
        assert!(!unicode.trim().is_empty(), "{name} drew nothing");
        insta::assert_snapshot!(format!("{name}.unicode"), unicode);
        let ascii = render(&path, &["--ascii"]);
        assert!(ascii.is_ascii(), "{name}: --ascii printed non-ASCII");
        insta::assert_snapshot!(format!("{name}.ascii"), ascii);
        let td = render(&path, &["--direction", "td"]);
        insta::assert_snapshot!(format!("{name}.td"), td);
    }
}
