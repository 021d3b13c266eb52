//! The drawing commands end to end: `render`, `export --to
//! layout-json|mermaid|dot`, and a piped `stacksketch PATH`.

use assert_cmd::Command;
use predicates::prelude::*;

const EXAMPLE: &str = "examples/queue-pipeline/template.yaml";

fn bin() -> Command {
    Command::cargo_bin("stacksketch").unwrap()
}

#[test]
fn layout_json_has_every_box_and_arrow_in_cells() {
    let out = bin()
        .args(["export", EXAMPLE, "--to", "layout-json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let graph: serde_json::Value = serde_json::from_slice(
        &bin()
            .args(["export", EXAMPLE, "--to", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let (w, h) = (
        doc["width"].as_u64().unwrap(),
        doc["height"].as_u64().unwrap(),
    );
    let boxes = doc["boxes"].as_array().unwrap();
    assert_eq!(boxes.len(), graph["nodes"].as_array().unwrap().len());
    for b in boxes {
        for key in ["id", "x", "y", "w", "h"] {
            assert!(b.get(key).is_some(), "{key} missing in {b}");
        }
        assert!(b["x"].as_u64().unwrap() + b["w"].as_u64().unwrap() <= w);
        assert!(b["y"].as_u64().unwrap() + b["h"].as_u64().unwrap() <= h);
    }
    let edges = doc["edges"].as_array().unwrap();
    assert_eq!(edges.len(), graph["edges"].as_array().unwrap().len());
    for e in edges {
        let pts = e["points"].as_array().unwrap();
        assert!(pts.len() >= 2, "{e}");
        for p in pts.windows(2) {
            let same_x = p[0][0] == p[1][0];
            let same_y = p[0][1] == p[1][1];
            assert!(same_x != same_y, "not orthogonal: {e}");
        }
        assert!(e["kind"].is_string() && e["from"].is_string() && e["to"].is_string());
    }
}

#[test]
fn render_folds_to_the_width_it_is_given() {
    let out = bin()
        .args(["render", EXAMPLE, "--width", "60"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("JobQueue"));
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 60, "{widest} columns:\n{text}");
}

const COLLAPSED: &str = "tests/fixtures/collapse/template.yaml";

#[test]
fn render_draws_a_group_saved_collapsed_as_one_box() {
    let out = bin()
        .args(["render", COLLAPSED, "--width", "100"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Intake"), "{text}");
    assert!(text.contains("2 services"), "{text}");
    for member in ["Enqueue", "JobQueue"] {
        assert!(
            !text.contains(member),
            "{member} is inside the box:\n{text}"
        );
    }
    assert!(
        text.contains("Uploads") && text.contains("Worker"),
        "{text}"
    );
}

#[test]
fn render_expand_draws_every_member() {
    let out = bin()
        .args(["render", COLLAPSED, "--width", "100", "--expand"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for name in ["Uploads", "Enqueue", "JobQueue", "Worker", "Intake"] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    assert!(!text.contains("2 services"), "{text}");
    bin()
        .args(["render", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--expand"));
}

#[test]
fn piped_open_prints_the_diagram() {
    bin()
        .arg(EXAMPLE)
        .assert()
        .success()
        .stdout(predicate::str::contains("λ function").and(predicate::str::contains("┌")));
}

#[test]
fn mermaid_and_dot_describe_the_same_graph() {
    bin()
        .args(["export", EXAMPLE, "--to", "mermaid"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("flowchart LR").and(predicate::str::contains("-->|")));
    bin()
        .args(["export", EXAMPLE, "--to", "dot"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("digraph")
                .and(predicate::str::contains("\"Enqueue\" -> \"JobQueue\"")),
        );
}

#[test]
fn a_bad_direction_is_a_usage_error() {
    bin()
        .args(["render", EXAMPLE, "--direction", "sideways"])
        .assert()
        .code(2);
}
