//! Helpers shared by the integration tests: the shared corpus of real
//! templates and the files in it, the external validators, scratch folders,
//! and the shape of a service graph.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stacksketch::model::{Level, Sketch, View};

pub mod tmux;

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Runs git in `dir` with a local identity, never looking above `dir`'s
/// parent for a repository; its standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

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

/// Holds an exclusive lock for as long as it lives, so that the shared
/// validators, which install themselves on first use, never run twice at once
/// (across the test binaries that cargo runs one after another, and the tests
/// inside one binary that run in parallel).
pub struct ToolLock(fs::File);

pub fn tool_lock() -> Option<ToolLock> {
    let path = std::env::temp_dir().join("stacksketch-test-tools.lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .ok()?;
    file.lock().ok()?;
    Some(ToolLock(file))
}

/// `../shared/tools/NAME`, when it is there.
pub fn tool(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/tools")
        .join(name);
    if p.is_file() {
        Some(p)
    } else {
        println!("note: ../shared/tools/{name} is not here; skipping that check");
        None
    }
}

/// Runs `validate-sam` (cfn-lint) over templates; the failures' output, if any.
pub fn validate_sam(files: &[PathBuf]) -> Option<Result<(), String>> {
    let (ok, text) = lint_sam(files)?;
    Some(if ok { Ok(()) } else { Err(text) })
}

/// Runs `validate-sam` over templates: whether none has an error, and
/// everything it printed (warnings included).
pub fn lint_sam(files: &[PathBuf]) -> Option<(bool, String)> {
    let tool = tool("validate-sam")?;
    let _lock = tool_lock();
    let out = Command::new(tool).args(files).output().ok()?;
    Some((
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

/// Runs `validate-tf` over folders; the failures' output, if any.
pub fn validate_tf(dirs: &[PathBuf]) -> Option<Result<(), String>> {
    let tool = tool("validate-tf")?;
    let _lock = tool_lock();
    let out = Command::new(tool).args(dirs).output().ok()?;
    if out.status.success() {
        Some(Ok(()))
    } else {
        Some(Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// Writes a folder of files under `dir`.
pub fn write_folder(dir: &Path, files: &BTreeMap<String, String>) {
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(p, text).unwrap();
    }
}

/// Every file under `root` whose name ends with one of `exts`, sorted.
pub fn files_under(root: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            files_under(&e, exts, out);
        } else if e
            .file_name()
            .and_then(|f| f.to_str())
            .is_some_and(|f| exts.iter().any(|x| f.ends_with(x)))
        {
            out.push(e);
        }
    }
}

/// The shape of a sketch at the service level: the kinds of its boxes and
/// the (from kind, to kind, connection kind) of its arrows, sorted.
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Shape {
    pub nodes: Vec<String>,
    pub edges: Vec<(String, String, String)>,
}

pub fn shape(s: &Sketch) -> Shape {
    let v = View::of(s, Level::Service);
    let kind = |id: &str| {
        v.node(id)
            .map(|n| n.kind.word().to_string())
            .unwrap_or_default()
    };
    let mut nodes: Vec<String> = v.nodes.iter().map(|n| n.kind.word().to_string()).collect();
    nodes.sort();
    let mut edges: Vec<(String, String, String)> = v
        .edges
        .iter()
        .map(|e| (kind(&e.from), kind(&e.to), e.kind.word().to_string()))
        .collect();
    edges.sort();
    Shape { nodes, edges }
}

/// What differs between two shapes, as short phrases such as
/// `missing edge queue->function trigger` or `extra box generic`.
pub fn shape_diff(want: &Shape, got: &Shape) -> Vec<String> {
    fn diff<T: Ord + Clone>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        let mut missing = Vec::new();
        for x in a.drain(..) {
            match b.iter().position(|y| *y == x) {
                Some(i) => {
                    b.remove(i);
                }
                None => missing.push(x),
            }
        }
        (missing, b)
    }
    let mut out = Vec::new();
    let (m, e) = diff(&want.nodes, &got.nodes);
    out.extend(m.into_iter().map(|k| format!("missing box {k}")));
    out.extend(e.into_iter().map(|k| format!("extra box {k}")));
    let (m, e) = diff(&want.edges, &got.edges);
    out.extend(
        m.into_iter()
            .map(|(a, b, k)| format!("missing edge {a}->{b} {k}")),
    );
    out.extend(
        e.into_iter()
            .map(|(a, b, k)| format!("extra edge {a}->{b} {k}")),
    );
    out
}
