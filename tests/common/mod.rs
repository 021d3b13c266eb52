//! Helpers shared by the integration tests: finding the shared corpus of real
//! templates, and the files in it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The corpus of real templates, when it is there (CI keeps it beside the crate).
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/corpus is not here; corpus checks are skipped");
        None
    }
}

/// Every file under `dir` whose name ends with one of `exts`, sorted.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                if exts.iter().any(|x| name.ends_with(x)) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// SAM/CloudFormation candidates: YAML and JSON files in the corpus.
pub fn template_files(dir: &Path) -> Vec<PathBuf> {
    files(dir, &[".yaml", ".yml", ".json", ".template"])
}

/// Whether a file is meant to be a template: it names the template format
/// version, or has a top-level `Resources` section (YAML at column 0, JSON at
/// the first level of indentation).
pub fn is_template_text(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| {
            let indent = l.len() - l.trim_start().len();
            l.starts_with("Resources:")
                || (indent <= 4 && l.trim_start().starts_with("\"Resources\""))
        })
}

/// The release-or-debug binary built for these tests.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("stacksketch").expect("the binary is built")
}

/// A fresh scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stacksketch-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a scratch folder");
    d
}

/// The stress generator, when python and the shared tools are there.
pub fn gen_stress(kind: &str, resources: usize, out: &Path) -> bool {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-stress");
    if !tool.is_file() {
        eprintln!("note: ../shared/tools/gen-stress is not here; skipped");
        return false;
    }
    let status = std::process::Command::new("python3")
        .arg(&tool)
        .args([kind, "--resources", &resources.to_string(), "--out"])
        .arg(out)
        .status();
    matches!(status, Ok(s) if s.success())
}
