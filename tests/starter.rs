//! From whiteboard to a project that builds: a sketch written to a new place
//! comes with a handler for each function whose code folder is missing, in
//! Python or Node.js, and a sample event; the handlers compile, the
//! templates lint, every Terraform `archive_file` points at a folder that
//! exists, the same sketch gives the same files, and a user's code is never
//! overwritten.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bin, files, lint_sam, scratch, validate_tf};

/// A ten-service sketch built from nothing: an HTTP API in front of a
/// function and a table, an upload pipeline through a topic and a queue,
/// and a worker that publishes to a bus and starts a state machine.
fn ten_services(terraform: bool) -> Vec<String> {
    let n = |pascal: &str, snake: &str| {
        if terraform {
            snake.to_string()
        } else {
            pascal.to_string()
        }
    };
    let names = [
        ("httpapi", n("Api", "api")),
        ("function", n("Orders", "orders")),
        ("table", n("OrdersTable", "orders_table")),
        ("bucket", n("Uploads", "uploads")),
        ("function", n("Ingest", "ingest")),
        ("topic", n("Events", "events")),
        ("queue", n("Jobs", "jobs")),
        ("function", n("Worker", "worker")),
        ("eventbus", n("Bus", "bus")),
        ("statemachine", n("Flow", "flow")),
    ];
    let mut cmds: Vec<String> = names
        .iter()
        .map(|(k, id)| format!("add {k} {id}"))
        .collect();
    for (a, b) in [
        (0, 1),
        (1, 2),
        (3, 4),
        (4, 5),
        (5, 6),
        (6, 7),
        (7, 8),
        (7, 9),
    ] {
        cmds.push(format!("connect {} {}", names[a].1, names[b].1));
    }
    cmds
}

fn apply(input: Option<&Path>, cmds: &[String], runtime: &str, out: &Path, terraform: bool) {
    let mut c = bin();
    c.arg("apply");
    if let Some(i) = input {
        c.arg(i);
    }
    for cmd in cmds {
        c.args(["-c", cmd]);
    }
    c.args(["--runtime", runtime, "-o"]).arg(out);
    if terraform {
        c.args(["--to", "terraform"]);
    }
    c.assert().success();
}

/// Every handler under `root` compiles with its language's own checker.
fn handlers_compile(root: &Path) -> usize {
    let py = files(root, &[".py"]);
    let js = files(root, &[".mjs"]);
    let cache = scratch("pycache");
    for f in &py {
        let out = Command::new("python3")
            .args(["-m", "py_compile"])
            .arg(f)
            .env("PYTHONPYCACHEPREFIX", &cache)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{} does not compile:\n{}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let node = Command::new("node").arg("--version").output().is_ok();
    if !node && !js.is_empty() {
        eprintln!("note: node is not here; Node.js handlers are not checked");
    }
    for f in js.iter().filter(|_| node) {
        let out = Command::new("node")
            .arg("--check")
            .arg(f)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{} does not parse:\n{}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    py.len() + js.len()
}

/// The code folders a template or Terraform folder names, relative to it.
fn code_folders(out: &Path, terraform: bool) -> Vec<String> {
    if terraform {
        let main = fs::read_to_string(out.join("main.tf")).unwrap();
        main.lines()
            .filter_map(|l| l.trim().strip_prefix("source_dir"))
            .filter_map(|l| l.split('"').nth(1))
            .map(|d| d.trim_start_matches("${path.module}/").to_string())
            .collect()
    } else {
        let text = fs::read_to_string(out).unwrap();
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("CodeUri:"))
            .map(|d| d.trim().trim_end_matches('/').to_string())
            .collect()
    }
}

fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files(root, &[""])
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(root).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn check_project(dir: &Path, out: &Path, terraform: bool) {
    let folders = code_folders(out, terraform);
    assert!(
        !folders.is_empty(),
        "{}: no function code folders",
        out.display()
    );
    for f in &folders {
        assert!(
            dir.join(f).is_dir(),
            "{}: the code folder {f} was not written",
            out.display()
        );
    }
    assert!(handlers_compile(dir) >= folders.len());
    if terraform {
        if let Some(Err(e)) = validate_tf(&[out.to_path_buf()]) {
            panic!("{}:\n{e}", out.display());
        }
    } else if let Some((ok, text)) = lint_sam(&[out.to_path_buf()]) {
        // W2533: a function without the handler and runtime a zip needs.
        assert!(ok && !text.contains("W2533"), "{}:\n{text}", out.display());
    }
    if !terraform {
        let events = files(&dir.join("events"), &[".json"]);
        assert_eq!(events.len(), folders.len(), "one sample event per function");
        for e in events {
            serde_json::from_slice::<serde_json::Value>(&fs::read(&e).unwrap())
                .unwrap_or_else(|err| panic!("{}: {err}", e.display()));
        }
    }
}

#[test]
fn ten_services_from_nothing_build_in_both_languages_and_runtimes() {
    for terraform in [false, true] {
        for runtime in ["python", "node"] {
            let dir = scratch(&format!("starter-ten-{terraform}-{runtime}"));
            let out = if terraform {
                dir.clone()
            } else {
                dir.join("template.yaml")
            };
            apply(None, &ten_services(terraform), runtime, &out, terraform);
            check_project(&dir, &out, terraform);
            // The queue's trigger reports failed messages one by one, and the
            // worker's handler says which failed.
            let written = if terraform {
                fs::read_to_string(dir.join("main.tf")).unwrap()
            } else {
                fs::read_to_string(&out).unwrap()
            };
            assert!(written.contains("ReportBatchItemFailures"), "{written}");
            // The function the bucket calls asynchronously keeps the events
            // it fails on in a queue of its own, read back as such.
            let dlq = if terraform {
                "dead_letter_config"
            } else {
                "DeadLetterQueue"
            };
            assert!(written.contains(dlq), "{written}");
            let back = stacksketch::document::load(&out).unwrap().sketch;
            let failures: Vec<_> = back
                .connections()
                .filter(|(_, _, c)| c.on_failure())
                .map(|(a, b, _)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(failures.len(), 1, "{failures:?}");
            assert!(
                failures[0].0.to_lowercase().ends_with("ingest"),
                "{failures:?}"
            );
            let worker = files(&dir.join("src/worker"), &[".py", ".mjs"]);
            let worker = fs::read_to_string(&worker[0]).unwrap();
            assert!(worker.contains("batchItemFailures"), "{worker}");
            let ext = if runtime == "python" { ".py" } else { ".mjs" };
            assert_eq!(
                files(&dir.join("src"), &[ext]).len(),
                3,
                "{runtime}: three handlers"
            );
        }
    }
}

#[test]
fn every_example_becomes_a_project_that_builds() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let templates = files(&examples, &["template.yaml"]);
    assert!(templates.len() >= 3);
    for t in &templates {
        let name = t
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for terraform in [false, true] {
            let dir = scratch(&format!("starter-{name}-{terraform}"));
            let out = if terraform {
                dir.clone()
            } else {
                dir.join("template.yaml")
            };
            let mut c = bin();
            c.arg("export")
                .arg(t)
                .args(["--to", if terraform { "terraform" } else { "sam" }]);
            c.arg("-o").arg(&out).assert().success();
            check_project(&dir, &out, terraform);
        }
    }
}

#[test]
fn the_same_sketch_gives_the_same_files() {
    let a = scratch("starter-same-a");
    let b = scratch("starter-same-b");
    for d in [&a, &b] {
        apply(
            None,
            &ten_services(false),
            "node",
            &d.join("template.yaml"),
            false,
        );
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 5);
    assert_eq!(ta, tb);
}

#[test]
fn a_users_code_and_an_existing_template_are_left_alone() {
    let dir = scratch("starter-existing");
    let user_code = "def handler(event, context):\n    return 'mine'\n";
    fs::create_dir_all(dir.join("src/worker")).unwrap();
    fs::write(dir.join("src/worker/app.py"), user_code).unwrap();
    fs::create_dir_all(dir.join("events")).unwrap();
    fs::write(dir.join("events/orders.json"), "{\"mine\": true}\n").unwrap();
    let out = dir.join("template.yaml");
    apply(None, &ten_services(false), "python", &out, false);
    assert_eq!(
        fs::read_to_string(dir.join("src/worker/app.py")).unwrap(),
        user_code
    );
    assert!(!dir.join("src/worker/requirements.txt").exists());
    assert_eq!(
        fs::read_to_string(dir.join("events/orders.json")).unwrap(),
        "{\"mine\": true}\n"
    );
    // The folders that were missing were filled.
    assert!(dir.join("src/orders/app.py").is_file());
    assert!(dir.join("src/ingest/app.py").is_file());

    // Writing over an existing template is an edit, not a new project: no
    // code is added even where a folder is missing.
    fs::remove_dir_all(dir.join("src/orders")).unwrap();
    let before = tree(&dir);
    bin()
        .arg("apply")
        .arg(&out)
        .args(["-c", "add queue More", "-o"])
        .arg(&out)
        .assert()
        .success();
    let after = tree(&dir);
    assert!(!dir.join("src/orders").exists());
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(changed, ["template.yaml"]);
}

/// `sam build` of the Python starter, where the AWS SAM CLI is installed;
/// the runtime is set to the Python on PATH, which the builder needs.
#[test]
fn sam_builds_the_python_starter_where_sam_is_installed() {
    let Ok(version) = Command::new("python3").arg("--version").output() else {
        return;
    };
    let version = String::from_utf8_lossy(&version.stdout).to_string();
    let Some(minor) = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
    else {
        return;
    };
    if Command::new("sam").arg("--version").output().is_err() {
        eprintln!("note: the AWS SAM CLI is not on PATH; `sam build` is not tried");
        return;
    }
    let dir = scratch("starter-sam-build");
    let mut cmds = ten_services(false);
    for f in ["Orders", "Ingest", "Worker"] {
        cmds.push(format!("set {f} Runtime python3.{minor}"));
    }
    apply(None, &cmds, "python", &dir.join("template.yaml"), false);
    let out = Command::new("sam")
        .arg("build")
        .current_dir(&dir)
        .env("SAM_CLI_TELEMETRY", "0")
        .output()
        .expect("sam runs");
    assert!(
        out.status.success(),
        "sam build failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join(".aws-sam/build/template.yaml").is_file());
}

fn apply_to_stdout(input: &Path, cmds: &[&str]) -> String {
    let mut c = bin();
    c.arg("apply").arg(input);
    for cmd in cmds {
        c.args(["-c", cmd]);
    }
    let out = c.args(["--to", "sam"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}/template.yaml"))
}

#[test]
fn a_function_added_again_under_a_deleted_name_is_a_whole_new_function() {
    let text = apply_to_stdout(
        &example("queue-pipeline"),
        &["delete Worker", "add function Worker"],
    );
    let at = text.find("  Worker:\n").expect("Worker is written");
    let block: String = text[at..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(block.contains("CodeUri: src/worker/"), "{block}");
    assert!(block.contains("Handler: app.handler"), "{block}");
    let dir = scratch("starter-readd");
    let file = dir.join("template.yaml");
    fs::write(&file, &text).unwrap();
    if let Some((ok, out)) = lint_sam(&[file]) {
        assert!(ok && !out.contains("W2533"), "{out}");
    }
}

#[test]
fn deleting_services_leaves_no_run_of_blank_lines() {
    for name in ["queue-pipeline", "api-table", "s3-trigger"] {
        let path = example(name);
        let original = fs::read_to_string(&path).unwrap();
        let ids: Vec<String> = original
            .lines()
            .skip_while(|l| *l != "Resources:")
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#'))
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
            .map(|l| l.trim().trim_end_matches(':').to_string())
            .collect();
        assert!(ids.len() >= 2, "{name}: {ids:?}");
        let mut written = 0;
        for id in &ids {
            // A delete that would leave a kept resource naming a removed one
            // is refused on purpose; those write nothing to look at.
            let Some(text) = try_apply(&path, &[&format!("delete {id}")]) else {
                continue;
            };
            written += 1;
            assert!(!text.contains("\n\n\n"), "{name} without {id}:\n{text}");
        }
        assert!(written >= 1, "{name}: every delete was refused");
        // Keep one service and delete the rest; some survivor must allow it.
        let mut kept_one = false;
        for keep in &ids {
            let all: Vec<String> = ids
                .iter()
                .filter(|id| *id != keep)
                .map(|id| format!("delete {id}"))
                .collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let Some(text) = try_apply(&path, &all) else {
                continue;
            };
            kept_one = true;
            assert!(
                !text.contains("\n\n\n"),
                "{name} with only {keep} left:\n{text}"
            );
        }
        assert!(kept_one, "{name}: no single service could be kept alone");
    }
}

/// The template `apply` writes, or `None` when it refused and wrote nothing.
fn try_apply(input: &Path, cmds: &[&str]) -> Option<String> {
    let mut c = bin();
    c.arg("apply").arg(input);
    for cmd in cmds {
        c.args(["-c", cmd]);
    }
    let out = c.args(["--to", "sam"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return Some(String::from_utf8(out.stdout).unwrap());
    }
    assert!(err.contains("nothing was written"), "{err}");
    None
}

#[test]
fn an_added_transform_goes_at_the_top() {
    let dir = scratch("starter-transform");
    for (file, text) in [
        (
            "plain.yaml",
            "# header\nDescription: plain\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        ),
        (
            "versioned.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nDescription: plain\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        ),
    ] {
        let path = dir.join(file);
        fs::write(&path, text).unwrap();
        let out = apply_to_stdout(&path, &["add function F"]);
        let keys: Vec<&str> = out
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.is_empty())
            .collect();
        let transform = keys
            .iter()
            .position(|k| k.starts_with("Transform:"))
            .expect(&out);
        let version = keys
            .iter()
            .position(|k| k.starts_with("AWSTemplateFormatVersion"));
        assert_eq!(transform, version.map_or(0, |v| v + 1), "{out}");
        assert!(
            out.starts_with("# header\n") || file != "plain.yaml",
            "{out}"
        );
    }
}

#[test]
fn a_new_sam_project_outputs_what_its_clients_need() {
    let dir = scratch("starter-outputs");
    let out = dir.join("template.yaml");
    apply(None, &ten_services(false), "python", &out, false);
    let text = fs::read_to_string(&out).unwrap();
    let outputs = &text[text.find("\nOutputs:\n").expect("an Outputs section")..];
    for (key, value) in [
        (
            "ApiUrl",
            "!Sub https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
        ),
        ("OrdersTableName", "!Ref OrdersTable"),
        ("JobsUrl", "!Ref Jobs"),
        ("EventsArn", "!Ref Events"),
        ("FlowArn", "!Ref Flow"),
        ("OrdersArn", "!GetAtt Orders.Arn"),
    ] {
        let at = outputs
            .find(&format!("  {key}:\n"))
            .unwrap_or_else(|| panic!("{key}:\n{outputs}"));
        let block: String = outputs[at..].lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(block.contains(&format!("Value: {value}")), "{block}");
    }
}

#[test]
fn terraform_names_follow_a_prefix_and_resources_carry_tags() {
    let dir = scratch("starter-prefix");
    apply(None, &ten_services(true), "python", &dir, true);
    let main = fs::read_to_string(dir.join("main.tf")).unwrap();
    let variables = fs::read_to_string(dir.join("variables.tf")).unwrap();
    assert!(
        variables.contains("variable \"name_prefix\""),
        "{variables}"
    );
    assert!(main.contains("default_tags {"), "{main}");
    // A resource's own arguments (not those of nested blocks).
    let top = main
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(str::trim);
    for line in top {
        for key in ["function_name", "name", "alarm_name"] {
            if let Some(rest) = line.strip_prefix(key).map(str::trim_start) {
                if let Some(value) = rest.strip_prefix("= \"") {
                    // Names AWS must find unique are prefixed; names inside one
                    // resource (a stage, a role's inline policy) need not be.
                    assert!(
                        value.starts_with("${var.name_prefix}-")
                            || value.contains("${aws_")
                            || value.starts_with("$default")
                            || value.ends_with("-access\""),
                        "a hard-coded name: {line}"
                    );
                }
            }
        }
    }
    // A folder that has no such variable keeps its own way of naming: a new
    // service there does not name a variable the folder lacks.
    let plain = scratch("starter-prefix-plain");
    fs::write(
        plain.join("main.tf"),
        "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n",
    )
    .unwrap();
    bin()
        .arg("apply")
        .arg(&plain)
        .args(["-c", "add topic alerts", "-o"])
        .arg(&plain)
        .assert()
        .success();
    let main = fs::read_to_string(plain.join("main.tf")).unwrap();
    assert!(
        main.contains("resource \"aws_sns_topic\" \"alerts\""),
        "{main}"
    );
    assert!(!main.contains("var.name_prefix"), "{main}");
}
