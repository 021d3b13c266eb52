//! `stacksketch diff`: two versions of a template, a Terraform folder and a
//! repository of stacks, read from files and from git history, in text,
//! Markdown and JSON, with the exit codes CI relies on; and over the corpus,
//! a template against itself is no change, and against an added queue and
//! arrow is exactly those.

mod common;

use stacksketch::catalog::Kind;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;
use stacksketch::command;
use stacksketch::cost::{CostOptions, PriceTable};
use stacksketch::diff;
use stacksketch::formats::{self, sam};
use stacksketch::model::Level;

const TEMPLATE: &str = include_str!("fixtures/diff/template.yaml");

fn bin(dir: &Path) -> assert_cmd::Command {
    let mut c = common::bin();
    c.current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .env_remove("NO_COLOR");
    c
}

use common::git;

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn apply(dir: &Path, target: &str, commands: &[&str]) {
    let mut c = bin(dir);
    c.args(["apply", target]);
    for cmd in commands {
        c.args(["-c", cmd]);
    }
    c.args(["-o", target]).assert().success();
}

/// A repository with the fixture template committed, then edited and
/// committed again: a queue added and connected, a property set and one
/// unset, the lone bucket deleted.
fn sam_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    git(&root, &["init", "-q"]);
    std::fs::write(root.join("template.yaml"), TEMPLATE).unwrap();
    commit_all(&root, "first");
    apply(
        &root,
        "template.yaml",
        &[
            "add queue Q",
            "connect F Q",
            "set F MemorySize 512",
            "unset F Timeout",
            "delete Old",
        ],
    );
    commit_all(&root, "second");
    dir
}

fn repo(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("repo")
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

fn ids(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn arrows(v: &Value) -> BTreeSet<(String, String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("kind"))
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn run_json(dir: &Path, args: &[&str]) -> Value {
    let out = bin(dir)
        .arg("diff")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&out.stdout)
}

#[test]
fn json_lists_exactly_what_changed_between_two_revisions() {
    let dir = sam_repo();
    let root = repo(&dir);
    let j = run_json(&root, &["HEAD~1:template.yaml", "HEAD:template.yaml"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["Q"]));
    assert_eq!(ids(&j["services"]["removed"]), set(&["Old"]));
    let changed = j["services"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{j:#}");
    assert_eq!(changed[0]["id"], "F");
    let props: Vec<&str> = changed[0]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(props.contains(&"MemorySize 128 → 512"), "{props:?}");
    assert!(props.contains(&"- Timeout"), "{props:?}");
    assert!(
        props
            .iter()
            .any(|p| p.starts_with("+ Environment.Variables.")),
        "{props:?}"
    );
    assert_eq!(
        arrows(&j["connections"]["added"]),
        [("F".to_string(), "Q".to_string(), "write".to_string())].into()
    );
    assert!(arrows(&j["connections"]["removed"]).is_empty());
    let cost = &j["cost"];
    let (before, after, delta) = (
        cost["before"].as_f64().unwrap(),
        cost["after"].as_f64().unwrap(),
        cost["delta"].as_f64().unwrap(),
    );
    assert!((after - before - delta).abs() < 1e-6, "{cost:#}");
    assert!(delta > 0.0, "a queue and more memory cost more: {cost:#}");
    let per: BTreeSet<String> = cost["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(per.contains("Q") && per.contains("Old"), "{cost:#}");
    // The lone bucket is gone, and the queue is connected: nothing new.
    assert_eq!(j["checks"]["new"], Value::Array(vec![]));
}

#[test]
fn a_path_alone_is_compared_with_head_and_a_revision_with_a_path() {
    let dir = sam_repo();
    let root = repo(&dir);
    // The working tree is HEAD: no change at all.
    let same = run_json(&root, &["template.yaml"]);
    assert!(ids(&same["services"]["added"]).is_empty(), "{same:#}");
    assert!(same["services"]["changed"].as_array().unwrap().is_empty());
    assert_eq!(same["cost"]["delta"].as_f64(), Some(0.0));
    // An edit not yet committed shows against HEAD.
    apply(
        &root,
        "template.yaml",
        &["add topic News", "connect F News"],
    );
    let j = run_json(&root, &["template.yaml"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["News"]));
    assert!(ids(&j["services"]["removed"]).is_empty());
    // REV:PATH against a path in the working tree, from a subfolder too.
    let j = run_json(&root, &["HEAD~1:template.yaml", "template.yaml"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["News", "Q"]));
    let sub = root.join("sub");
    std::fs::create_dir(&sub).unwrap();
    let j = run_json(&sub, &["HEAD~1:../template.yaml", "../template.yaml"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["News", "Q"]));
    let j = run_json(&root, &["HEAD~1:./template.yaml", "HEAD:template.yaml"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["Q"]));
}

#[test]
fn text_marks_the_diagram_in_colour_without_it_and_in_ascii() {
    let dir = sam_repo();
    let root = repo(&dir);
    let run = |extra: &[&str], no_color: bool| {
        let mut c = bin(&root);
        c.args([
            "diff",
            "HEAD~1:template.yaml",
            "template.yaml",
            "--width",
            "100",
        ]);
        c.args(extra);
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&[], true);
    for want in [
        "+ Q (queue)",
        "- Old (bucket)",
        "~ F (function)",
        "MemorySize 128 → 512",
        "+ F → Q (write)",
        "Monthly cost: $",
        "│ + Q",
        "│ - Old",
        "│ ~ F",
        "+ write",
    ] {
        assert!(plain.contains(want), "no `{want}` in:\n{plain}");
    }
    assert!(!plain.contains('\x1b'), "{plain}");
    let ascii = run(&["--ascii"], true);
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(ascii.contains("| + Q") && ascii.contains("| - Old") && ascii.contains("| ~ F"));
    assert!(ascii.contains("MemorySize 128 -> 512"), "{ascii}");
    let coloured = run(&["--color", "always"], false);
    assert!(coloured.contains("\x1b[32m"), "added in green");
    assert!(coloured.contains("\x1b[2;31m"), "removed faint");
    assert!(coloured.contains("\x1b[33m"), "changed in yellow");
    // Piped, with NO_COLOR or not, auto means no colour.
    assert!(!run(&[], false).contains('\x1b'));
}

#[test]
fn markdown_has_a_table_a_fenced_diagram_mermaid_classes_and_the_cost() {
    let dir = sam_repo();
    let root = repo(&dir);
    let out = bin(&root)
        .args([
            "diff",
            "HEAD~1:template.yaml",
            "template.yaml",
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    for want in [
        "| | Services | Connections |",
        "| Added | 1 | 1 |",
        "| Removed | 1 | 0 |",
        "| Changed | 1 | |",
        "```text\n",
        "```mermaid\nflowchart LR\n",
        "classDef added",
        "classDef removed",
        "classDef changed",
        "class Q added",
        // Mermaid ids starting with `o` or `x` get a prefix.
        "class n_Old removed",
        "class F changed",
        "| Service | Before | After | Change |",
        "| **Total** |",
        "`MemorySize 128 → 512`",
    ] {
        assert!(md.contains(want), "no `{want}` in:\n{md}");
    }
    assert_eq!(md.matches("```").count(), 4, "{md}");
}

#[test]
fn exit_codes_for_ci() {
    let dir = sam_repo();
    let root = repo(&dir);
    let diff = |extra: &[&str]| {
        let mut c = bin(&root);
        c.args(["diff", "HEAD~1:template.yaml", "HEAD:template.yaml"]);
        c.args(extra);
        c.assert()
    };
    diff(&[]).code(0);
    diff(&["--fail-on-cost-increase", "1000"]).code(0);
    diff(&["--fail-on-cost-increase", "0"])
        .code(3)
        .stderr(contains("rises by"));
    // Cheaper the other way round.
    bin(&root)
        .args(["diff", "HEAD:template.yaml", "HEAD~1:template.yaml"])
        .args(["--fail-on-cost-increase", "0"])
        .assert()
        .code(0);
    diff(&["--fail-on-check"]).code(0);
    // An orphan that was not there before is new for check.
    apply(&root, "template.yaml", &["add table Lonely"]);
    bin(&root)
        .args([
            "diff",
            "template.yaml",
            "--fail-on-check",
            "--format",
            "json",
        ])
        .assert()
        .code(4)
        .stdout(contains("Lonely is not connected to anything"));
    bin(&root)
        .args(["diff", "template.yaml"])
        .assert()
        .code(0)
        .stdout(contains("Lonely is not connected"));
    for (args, says) in [
        (
            vec!["NOPE~3:template.yaml", "template.yaml"],
            "unknown revision `NOPE~3`",
        ),
        (
            vec!["HEAD:missing.yaml", "template.yaml"],
            "`missing.yaml` is not in revision `HEAD`",
        ),
        (
            vec!["HEAD~1:template.yaml", "missing.yaml"],
            "missing.yaml: no such file",
        ),
    ] {
        bin(&root)
            .arg("diff")
            .args(&args)
            .assert()
            .code(2)
            .stderr(contains(says))
            .stderr(contains(args[0].split(':').next().unwrap()).or(contains("missing")));
    }
    // Outside any repository.
    let lone = dir.path().join("lone");
    std::fs::create_dir(&lone).unwrap();
    std::fs::write(lone.join("template.yaml"), TEMPLATE).unwrap();
    bin(&lone)
        .args(["diff", "template.yaml"])
        .assert()
        .code(2)
        .stderr(contains("HEAD:template.yaml"))
        .stderr(contains("not in a git repository"));
    // Two files need no git at all.
    std::fs::write(lone.join("same.yaml"), TEMPLATE).unwrap();
    bin(&lone)
        .args(["diff", "template.yaml", "same.yaml"])
        .assert()
        .code(0);
}

#[test]
fn the_working_tree_and_the_index_are_left_alone() {
    let dir = sam_repo();
    let root = repo(&dir);
    apply(&root, "template.yaml", &["add topic News"]);
    std::fs::write(root.join("staged.txt"), "staged").unwrap();
    git(&root, &["add", "staged.txt"]);
    std::fs::write(root.join("untracked.txt"), "x").unwrap();
    let status = git(&root, &["status", "--porcelain"]);
    let index = std::fs::read(root.join(".git/index")).unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]);
    for args in [
        vec!["template.yaml"],
        vec!["HEAD~1:template.yaml", "template.yaml"],
        vec!["HEAD~1:.", "."],
        vec![
            "HEAD~1:template.yaml",
            "HEAD:template.yaml",
            "--format",
            "markdown",
        ],
    ] {
        bin(&root).arg("diff").args(&args).assert().code(0);
    }
    assert_eq!(std::fs::read(root.join(".git/index")).unwrap(), index);
    assert_eq!(git(&root, &["status", "--porcelain"]), status);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
    // `git status` may refresh the index's stat data; compare again after it.
    let index = std::fs::read(root.join(".git/index")).unwrap();
    bin(&root).args(["diff", "template.yaml"]).assert().code(0);
    assert_eq!(std::fs::read(root.join(".git/index")).unwrap(), index);
}

#[test]
fn a_terraform_folder_between_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    git(&root, &["init", "-q"]);
    bin(&root)
        .args([
            "apply",
            "-c",
            "add function worker",
            "-c",
            "add table items",
        ])
        .args([
            "-c",
            "connect worker items",
            "--to",
            "terraform",
            "-o",
            "infra",
        ])
        .assert()
        .success();
    commit_all(&root, "first");
    apply(
        &root,
        "infra",
        &["add queue out", "connect worker out", "delete items"],
    );
    commit_all(&root, "second");
    let j = run_json(&root, &["HEAD~1:infra", "infra"]);
    assert_eq!(ids(&j["services"]["added"]), set(&["aws_sqs_queue.out"]));
    assert_eq!(
        ids(&j["services"]["removed"]),
        set(&["aws_dynamodb_table.items"])
    );
    let arrow = |to: &str, kind: &str| {
        (
            "aws_lambda_function.worker".to_string(),
            to.to_string(),
            kind.to_string(),
        )
    };
    assert_eq!(
        arrows(&j["connections"]["added"]),
        [arrow("aws_sqs_queue.out", "write")].into()
    );
    assert_eq!(
        arrows(&j["connections"]["removed"]),
        [arrow("aws_dynamodb_table.items", "write")].into()
    );
    // The function's grants changed with its arrows.
    let changed = j["services"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{j:#}");
    assert_eq!(changed[0]["id"], "aws_lambda_function.worker");
    // The folder alone is compared with HEAD: no change.
    let j = run_json(&root, &["infra/"]);
    assert!(ids(&j["services"]["added"]).is_empty(), "{j:#}");
    assert!(
        j["services"]["changed"].as_array().unwrap().is_empty(),
        "{j:#}"
    );
}

/// An old Terraform root reads with the local modules it calls from
/// elsewhere in the repository, as they were then.
#[test]
fn an_old_terraform_root_reads_with_its_modules() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join("live")).unwrap();
    std::fs::create_dir_all(root.join("modules/queue")).unwrap();
    std::fs::write(
        root.join("live/main.tf"),
        "module \"jobs\" {\n  source = \"../modules/queue\"\n}\n",
    )
    .unwrap();
    let module = |seconds: u32| {
        format!(
            "resource \"aws_sqs_queue\" \"this\" {{\n  visibility_timeout_seconds = {seconds}\n}}\n"
        )
    };
    std::fs::write(root.join("modules/queue/main.tf"), module(30)).unwrap();
    git(&root, &["init", "-q"]);
    commit_all(&root, "first");
    std::fs::write(root.join("modules/queue/main.tf"), module(60)).unwrap();
    let j = run_json(&root, &["live", "--level", "resource"]);
    assert!(ids(&j["services"]["added"]).is_empty(), "{j:#}");
    assert!(ids(&j["services"]["removed"]).is_empty(), "{j:#}");
    let changed = j["services"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{j:#}");
    assert_eq!(
        changed[0]["properties"][0], "visibility_timeout_seconds 30 → 60",
        "{j:#}"
    );
}

#[test]
fn a_repository_of_two_stacks_between_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan/exports");
    for stack in ["app", "network"] {
        std::fs::create_dir_all(root.join(stack)).unwrap();
        std::fs::copy(
            fixtures.join(stack).join("template.yaml"),
            root.join(stack).join("template.yaml"),
        )
        .unwrap();
    }
    git(&root, &["init", "-q"]);
    commit_all(&root, "first");
    apply(&root, "network/template.yaml", &["add topic Alerts"]);
    commit_all(&root, "second");
    let j = run_json(&root, &["HEAD~1:.", "."]);
    let added = ids(&j["services"]["added"]);
    assert_eq!(added.len(), 1, "{j:#}");
    assert!(added.iter().next().unwrap().ends_with("Alerts"), "{j:#}");
    assert!(ids(&j["services"]["removed"]).is_empty(), "{j:#}");
    // The new topic is alone: check says so, and only that is new.
    let new = j["checks"]["new"].as_array().unwrap();
    assert_eq!(new.len(), 1, "{j:#}");
    assert!(new[0].as_str().unwrap().contains("Alerts"), "{j:#}");
    // At the system level the network stack changed; nothing was added.
    let j = run_json(&root, &["HEAD~1:.", ".", "--level", "system"]);
    assert!(ids(&j["services"]["added"]).is_empty(), "{j:#}");
    let changed: Vec<&str> = j["services"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(changed.len(), 1, "{j:#}");
    assert!(changed[0].contains("network"), "{j:#}");
    // The repository alone is compared with HEAD.
    let j = run_json(&root, &["."]);
    assert!(ids(&j["services"]["added"]).is_empty(), "{j:#}");
}

/// A state file against the code it was applied from: resources only in
/// one side, and the values the code sets literally that differ.
#[test]
fn a_terraform_state_against_its_code_is_drift() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    bin(root)
        .args(["apply", "-c", "add function worker", "-c", "add queue jobs"])
        .args([
            "-c",
            "connect worker jobs",
            "-c",
            "set worker memory_size 256",
        ])
        .args(["--to", "terraform", "-o", "infra"])
        .assert()
        .success();
    let state = r#"{
      "version": 4, "terraform_version": "1.9.0", "serial": 7, "lineage": "l",
      "resources": [
        {"mode": "managed", "type": "aws_lambda_function", "name": "worker",
         "instances": [{"attributes": {"memory_size": 512, "arn": "arn:aws:lambda:..."}}]},
        {"mode": "managed", "type": "aws_s3_bucket", "name": "by_hand",
         "instances": [{"attributes": {"bucket": "made-in-the-console"}}]}
      ]
    }"#;
    std::fs::write(root.join("terraform.tfstate"), state).unwrap();
    let j = run_json(root, &["terraform.tfstate", "infra", "--level", "resource"]);
    assert!(
        ids(&j["services"]["added"]).contains("aws_sqs_queue.jobs"),
        "{j:#}"
    );
    assert_eq!(
        ids(&j["services"]["removed"]),
        set(&["aws_s3_bucket.by_hand"]),
        "{j:#}"
    );
    let changed = j["services"]["changed"].as_array().unwrap();
    let worker = changed
        .iter()
        .find(|c| c["id"] == "aws_lambda_function.worker")
        .unwrap_or_else(|| panic!("{j:#}"));
    let props: Vec<&str> = worker["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(props.contains(&"memory_size 512 → 256"), "{props:?}");
    // Arrows are not compared: state does not hold them.
    assert!(arrows(&j["connections"]["added"]).is_empty(), "{j:#}");
    bin(root)
        .args(["diff", "terraform.tfstate", "infra"])
        .assert()
        .code(0)
        .stdout(contains("Drift between a Terraform state and the code"));
    std::fs::write(root.join("broken.tfstate"), "{\n \"version\": 4,\n oops").unwrap();
    bin(root)
        .args(["diff", "broken.tfstate", "infra"])
        .assert()
        .code(1)
        .stderr(contains("broken.tfstate:3:"));
}

#[test]
fn text_from_inputs_is_inert() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, TEMPLATE).unwrap();
    let hostile = TEMPLATE.replace("Runtime: python3.12", "Runtime: \"py\\e]0;owned\\a\"");
    std::fs::write(&b, hostile).unwrap();
    for format in ["text", "markdown", "json"] {
        let out = bin(dir.path())
            .args([
                "diff", "a.yaml", "b.yaml", "--format", format, "--color", "always",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Runtime"), "{format}: {text}");
        assert!(!text.contains('\u{7}'), "{format}: a raw BEL: {text:?}");
        assert!(!text.contains("\x1b]"), "{format}: a raw OSC: {text:?}");
    }
}

fn costs() -> CostOptions {
    CostOptions {
        free_tier: false,
        budget_usd: None,
        usage_file: None,
        prices: PriceTable::embedded(),
    }
}

#[test]
fn corpus_templates_against_themselves_are_no_change() {
    let Some(dir) = common::corpus() else { return };
    let (mut read, mut empty) = (0usize, 0usize);
    let mut not_empty = Vec::new();
    for path in common::template_files(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let (Ok(a), Ok(b)) = (formats::read(&name, &text), formats::read(&name, &text)) else {
            continue;
        };
        read += 1;
        let d = diff::diff(&a, &b, Level::Service, &costs());
        if d.is_empty() {
            empty += 1;
        } else {
            not_empty.push(name);
        }
    }
    println!("diff of a corpus template with itself: {empty}/{read} empty");
    assert!(read > 100, "the corpus looks too small: {read}");
    assert!(not_empty.is_empty(), "{not_empty:#?}");
}

/// On every tenth template with a function: the diff against the same
/// template with a queue added and connected (written out and read back,
/// as a second commit would be) is that queue and that arrow; the
/// function's own grant shows as its change, and glue a connect adds
/// folds into the function's box.
#[test]
fn corpus_templates_against_an_added_queue_are_that_queue_and_arrow() {
    let Some(dir) = common::corpus() else { return };
    const QUEUE: &str = "StacksketchDiffQueue";
    let (mut tried, mut exact, mut shared) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let candidates = common::template_files(&dir).into_iter().filter_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let name = path.display().to_string();
        let sketch = formats::read(&name, &text).ok()?;
        let f = sketch
            .services()
            .find(|s| s.kind == Kind::Function && !s.implicit)
            .map(|s| s.id.clone())?;
        (sketch.source.is_some() && !sketch.contains(QUEUE)).then_some((name, sketch, f))
    });
    for (name, old, f) in candidates {
        let mut edited = old.clone();
        let script = [format!("add queue {QUEUE}"), format!("connect {f} {QUEUE}")];
        if command::run_script(&mut edited, &script).is_err() {
            continue;
        }
        let out = sam::export(&edited);
        if !out.unwritten.is_empty() {
            continue;
        }
        let Ok(new) = formats::read(&name, out.text()) else {
            failures.push(format!("{name}: the edit does not read back"));
            continue;
        };
        tried += 1;
        let d = diff::diff(&old, &new, Level::Service, &costs());
        let arrows: Vec<(&str, &str)> = d
            .arrows_added
            .iter()
            .map(|a| (a.from.as_str(), a.to.as_str()))
            .collect();
        let changed: Vec<&str> = d.changed.iter().map(|c| c.id.as_str()).collect();
        // A grant on a role that other resources run as reaches them too;
        // the writer says how many, and the diff must show exactly those.
        let sharing: usize = out
            .warnings
            .iter()
            .filter_map(|w| {
                w.split_once(", which ")?
                    .1
                    .split_once(" other resource(s) also run as")
            })
            .filter_map(|(n, _)| n.parse::<usize>().ok())
            .sum();
        shared += usize::from(sharing > 0);
        let ok = d.added == [QUEUE]
            && d.removed.is_empty()
            && arrows.contains(&(f.as_str(), QUEUE))
            && arrows.len() == 1 + sharing
            && arrows.iter().all(|(_, to)| *to == QUEUE)
            && d.arrows_removed.is_empty()
            && changed
                .iter()
                .all(|c| *c == f || arrows.iter().any(|(from, _)| from == c));
        if ok {
            exact += 1;
        } else {
            failures.push(format!(
                "{name}: added {:?}, removed {:?}, arrows +{arrows:?} -{:?}, changed {changed:?}",
                d.added, d.removed, d.arrows_removed
            ));
        }
    }
    println!(
        "diff against add queue + connect over the corpus: {exact}/{tried} exactly that \
         ({shared} on a role other resources share, which reaches them too)"
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(tried >= 10, "the sample looks too small: {tried}");
    assert!(failures.is_empty(), "{failures:#?}");
}
