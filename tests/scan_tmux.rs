//! A folder of stacks in the whiteboard, in a real terminal: tmux runs the
//! binary, keys go in with `send-keys`, the screen comes back with
//! `capture-pane`. The system level shows the stacks; Enter drills into
//! one, backspace comes back up; a service is added to one stack and
//! connected, and `:w` changes that stack's template and no other file.
//! Skipped (with a note) where tmux is not installed.

mod common;

use std::path::Path;

use common::copy_dir;
use common::tmux::Tmux;

fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_folder_of_stacks_drilled_and_edited_in_tmux() {
    let Some(tmux) = Tmux::start("scan") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan/bus"),
        &repo,
    );
    let before = snapshot(&repo);
    tmux.open(tmp.path(), "shop", 120, 40);

    // The whole system: one box per stack.
    let s = tmux.wait_for("shop › system");
    for stack in ["billing", "core", "shipping"] {
        assert!(s.contains(stack), "no {stack} box:\n{s}");
    }

    // Select the billing stack and drill into it.
    tmux.text("/");
    tmux.text("billing");
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("shop › billing › service");
    assert!(s.contains("Charge"), "the stack's function is shown:\n{s}");

    // Back up, then down again.
    tmux.keys(&["BSpace"]);
    tmux.wait_for("shop › system");
    tmux.keys(&["Enter"]);
    tmux.wait_for("shop › billing › service");

    // An edit in one stack.
    tmux.command("add queue Retries in billing");
    tmux.wait_for("added queue billing:Retries");
    tmux.command("connect Charge Retries");
    tmux.wait_for("connected billing:Charge -> billing:Retries");
    tmux.command("w");
    tmux.wait_for("wrote billing");
    tmux.command("q");
    tmux.wait_for("app exited with 0");

    let after = snapshot(&repo);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, t)| !before.iter().any(|(q, u)| q == p && u == t))
        .map(|(p, _)| p)
        .filter(|p| !p.ends_with(".stacksketch.yaml"))
        .collect();
    assert_eq!(changed, [&"billing/template.yaml".to_string()], "{after:?}");
    let text = &after
        .iter()
        .find(|(p, _)| p == "billing/template.yaml")
        .unwrap()
        .1;
    assert!(
        text.contains("Retries:") && text.contains("AWS::SQS::Queue"),
        "{text}"
    );
    assert!(text.contains("SQSSendMessagePolicy"), "{text}");
}
