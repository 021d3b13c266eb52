//! The real binary in a real terminal: tmux runs it at 120×40, keys go in
//! with `send-keys`, the screen comes back with `capture-pane`. A template
//! is opened, a queue added and connected, undo and redo tried, `:q`
//! refused while there are unsaved changes, the window squeezed to 12×6
//! and back, the result saved under a new name, and the app quits. A
//! Terraform folder is opened, a topic added and connected, the folder
//! written back, and what changed on disk checked.
//! Skipped (with a note) where tmux is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::tmux::{CONFIG, STATE, Tmux};

fn lint(file: &Path) {
    if let Some(Err(e)) = common::validate_sam(&[file.to_path_buf()]) {
        panic!("cfn-lint found errors:\n{e}");
    }
}

#[test]
fn a_user_session_in_tmux() {
    let Some(tmux) = Tmux::start("e2e") else {
        return;
    };
    let dir = common::scratch("tmux");
    let original = include_str!("../examples/api-table/template.yaml");
    let template = dir.join("template.yaml");
    std::fs::write(&template, original).unwrap();
    tmux.open(&dir, "template.yaml", 120, 40);
    // An empty config folder, so the user's own settings play no part.
    let config = dir.join(CONFIG);

    let s = tmux.wait_for("opened template.yaml");
    for pane in ["Canvas", "Graph", "Inspector", "Code", "Cost"] {
        assert!(s.contains(&format!(" {pane} ")), "no {pane} pane:\n{s}");
    }

    // Add a queue from the command line, then connect it with keys.
    tmux.command("add queue Jobs");
    tmux.wait_for("added queue Jobs");
    tmux.text("c");
    tmux.wait_for("Connect Jobs to");
    tmux.text("ItemsF");
    tmux.keys(&["Enter"]);
    tmux.wait_for("connected Jobs -> ItemsFunction (trigger)");
    assert!(
        tmux.screen().contains("[+]"),
        "the title shows unsaved changes"
    );

    // u undoes the connection, ctrl-r brings it back.
    tmux.text("u");
    let s = tmux.wait_for("undone: connected Jobs -> ItemsFunction");
    assert!(
        !s.contains("Type: SQS"),
        "the code still has the event:\n{s}"
    );
    tmux.keys(&["C-r"]);
    tmux.wait_for("redone: connected Jobs -> ItemsFunction");

    // :q refuses while there are unsaved changes, and says so.
    tmux.command("q");
    tmux.wait_for("there are unsaved changes");
    assert!(!tmux.screen().contains("app exited with"), "the app quit");

    // Squeezed to 12×6 and back, it keeps running and redraws.
    tmux.run(&["resize-window", "-t", "e2e", "-x", "12", "-y", "6"]);
    std::thread::sleep(Duration::from_millis(400));
    assert!(!tmux.screen().contains("app exited with"), "died at 12x6");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.wait_for(" Inspector ");
    assert!(!tmux.screen().contains("app exited with"));

    // Save under a new name, then quit.
    tmux.command("w saved.yaml");
    tmux.wait_for("wrote saved.yaml");
    tmux.command("q");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 0"), "{s}");
    // The terminal is given back: the app's screen is gone.
    assert!(
        !s.contains(" Inspector "),
        "the alternate screen is still up:\n{s}"
    );

    // The template is untouched; the copy has the edit and every other line.
    assert_eq!(std::fs::read_to_string(&template).unwrap(), original);
    let saved = std::fs::read_to_string(dir.join("saved.yaml")).unwrap();
    for line in original.lines() {
        assert!(saved.lines().any(|l| l == line), "lost: {line}\n{saved}");
    }
    let sketch = stacksketch::formats::read("saved.yaml", &saved).expect("the saved file reads");
    assert!(sketch.is_connected("Jobs", "ItemsFunction", None));
    // Nothing else was written but the starter code of a project saved to a
    // new place (the function's folder was missing): no temporary files, no
    // layout (nothing was moved).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [CONFIG, "events", "saved.yaml", "src", "template.yaml"]
    );
    assert_eq!(
        std::fs::read_dir(&config).unwrap().count(),
        0,
        "config was written"
    );
    lint(&dir.join("saved.yaml"));
}

/// The top-level blocks of a Terraform file, each with the comment lines
/// above it.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.split_inclusive('\n') {
        cur.push_str(line);
        if line.starts_with('}') {
            out.push(
                std::mem::take(&mut cur)
                    .trim_start_matches('\n')
                    .to_string(),
            );
        }
    }
    out
}

fn first_line(block: &str) -> &str {
    block
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .unwrap_or("")
}

#[test]
fn a_terraform_folder_edited_in_tmux() {
    let Some(tmux) = Tmux::start("tf") else {
        return;
    };
    let dir = common::scratch("tmux-tf");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/app");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    let mut before = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(&fixture).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(app.join(&name), &text).unwrap();
        before.insert(name, text);
    }
    tmux.open(&dir, "app", 120, 40);

    let s = tmux.wait_for("opened app");
    assert!(
        s.contains(" Code · Terraform"),
        "not shown as Terraform:\n{s}"
    );
    assert!(
        s.contains("resource \"aws_"),
        "no Terraform in the code pane:\n{s}"
    );

    tmux.command("add topic alerts");
    tmux.wait_for("added topic aws_sns_topic.alerts");
    tmux.command("connect worker alerts");
    tmux.wait_for("connected aws_lambda_function.worker -> aws_sns_topic.alerts");
    tmux.command("w");
    let s = tmux.wait_for("wrote app");
    assert!(!s.contains("[+]"), "still unsaved after :w:\n{s}");
    tmux.command("q");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 0"), "{s}");

    // Only main.tf changed, and nothing was added beside the .tf files
    // (no layout: nothing was moved; no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(&app)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["main.tf", "outputs.tf", "variables.tf"]);
    for f in ["outputs.tf", "variables.tf"] {
        assert_eq!(
            std::fs::read_to_string(app.join(f)).unwrap(),
            before[f],
            "{f} changed"
        );
    }
    let main = std::fs::read_to_string(app.join("main.tf")).unwrap();
    let old_blocks = blocks(&before["main.tf"]);
    let new_blocks = blocks(&main);
    // The new blocks: the topic and the function's policy to publish to it.
    let added: Vec<&String> = new_blocks
        .iter()
        .filter(|b| !old_blocks.iter().any(|o| first_line(o) == first_line(b)))
        .collect();
    let heads: Vec<&str> = added.iter().map(|b| first_line(b)).collect();
    assert!(
        heads.contains(&"resource \"aws_sns_topic\" \"alerts\" {"),
        "{heads:?}"
    );
    assert!(added.iter().any(|b| b.contains("sns:Publish")), "{heads:?}");
    // Outside them, every block is as it was, but the function's, which
    // gains the topic's variable; its other lines stay, realigned at most.
    let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    for old in &old_blocks {
        let now = new_blocks
            .iter()
            .find(|b| first_line(b) == first_line(old))
            .unwrap_or_else(|| panic!("lost:\n{old}"));
        if first_line(old) == "resource \"aws_lambda_function\" \"worker\" {" {
            for line in old.lines() {
                assert!(
                    now.lines().any(|l| words(l) == words(line)),
                    "lost from the function: {line}\n{now}"
                );
            }
            assert!(now.contains("aws_sns_topic.alerts.arn"), "{now}");
            assert_eq!(now.lines().count(), old.lines().count() + 1, "{now}");
        } else {
            assert_eq!(now, old, "an untouched block changed");
        }
    }
    assert_eq!(new_blocks.len(), old_blocks.len() + added.len());
    match common::validate_tf(std::slice::from_ref(&app)) {
        Some(r) => r.unwrap(),
        None => eprintln!("note: validate-tf is not here; the folder is not linted"),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_dropped_connection_keeps_unsaved_work() {
    let Some(tmux) = Tmux::start("hup") else {
        return;
    };
    let dir = common::scratch("tmux-hup");
    let original = include_str!("../examples/api-table/template.yaml");
    let template = dir.join("template.yaml");
    std::fs::write(&template, original).unwrap();
    let state = dir.join(STATE);
    let kept = || -> Vec<PathBuf> {
        std::fs::read_dir(&state)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };

    tmux.open(&dir, "template.yaml", 120, 40);
    tmux.wait_for("opened template.yaml");
    assert_eq!(tmux.modes(), "1 1", "the app runs on the alternate screen");
    tmux.command("add queue Jobs");
    tmux.wait_for("added queue Jobs");

    // The SSH connection drops: the terminal is given back and the work kept.
    tmux.signal("HUP");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 129"), "{s}");
    assert_eq!(tmux.modes(), "0 0", "alternate screen or mouse left on");
    assert_eq!(std::fs::read_to_string(&template).unwrap(), original);
    assert_eq!(kept().len(), 1, "one recovery file");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| [CONFIG, STATE, "template.yaml"].contains(&n.as_str())),
        "written beside the template: {names:?}"
    );

    // Opening it again offers the work back; taking it and saving ends it.
    tmux.reopen(&dir, "template.yaml");
    tmux.wait_for("Recover unsaved work?");
    tmux.text("r");
    let s = tmux.wait_for("recovered the unsaved work");
    assert!(s.contains("[+]"), "recovered work shows as unsaved:\n{s}");
    assert!(s.contains("Jobs"), "the queue is back:\n{s}");
    tmux.command("w");
    tmux.wait_for("wrote template.yaml");
    assert!(kept().is_empty(), "the recovery file outlived the save");
    let saved = std::fs::read_to_string(&template).unwrap();
    let sketch = stacksketch::formats::read("template.yaml", &saved).unwrap();
    assert!(sketch.services().any(|s| s.id == "Jobs"), "{saved}");

    // SIGTERM with a further edit, then the offer declined.
    tmux.command("add topic Alerts");
    tmux.wait_for("added topic Alerts");
    tmux.signal("TERM");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 143"), "{s}");
    assert_eq!(tmux.modes(), "0 0");
    assert_eq!(kept().len(), 1);
    tmux.reopen(&dir, "template.yaml");
    tmux.wait_for("Recover unsaved work?");
    tmux.text("d");
    tmux.wait_for("discarded the kept work");
    assert!(kept().is_empty(), "declined work is still kept");
    tmux.command("q");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 0"), "{s}");
}

#[test]
fn a_new_sketch_from_nothing_in_tmux() {
    let Some(tmux) = Tmux::start("new") else {
        return;
    };
    let dir = common::scratch("tmux-new");
    tmux.open(&dir, "new app.yaml", 120, 40);
    let s = tmux.wait_for("a new sketch; :w creates app.yaml");
    assert!(
        s.contains("An empty sketch."),
        "no hint on the canvas:\n{s}"
    );
    assert!(s.contains("? shows the keys"), "{s}");
    assert!(s.contains("app.yaml (new)"), "{s}");
    tmux.command("add api Web");
    tmux.wait_for("added api Web");
    tmux.command("add function Handler");
    tmux.wait_for("added function Handler");
    tmux.command("add table Items");
    tmux.wait_for("added table Items");
    tmux.command("connect Web Handler");
    tmux.wait_for("connected Web -> Handler");
    tmux.command("connect Handler Items");
    tmux.wait_for("connected Handler -> Items");
    tmux.command("w");
    tmux.wait_for("wrote app.yaml");
    tmux.command("q");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 0"), "{s}");
    let saved = std::fs::read_to_string(dir.join("app.yaml")).unwrap();
    let example = include_str!("../examples/queue-pipeline/template.yaml");
    for line in example
        .lines()
        .filter(|l| l.starts_with('#') || l.starts_with("Description"))
    {
        assert!(
            !saved.contains(line),
            "the example's `{line}` came along:\n{saved}"
        );
    }
    let sketch = stacksketch::formats::read("app.yaml", &saved).unwrap();
    for id in ["Web", "Handler", "Items"] {
        assert!(sketch.contains(id), "no {id}:\n{saved}");
    }
    assert!(sketch.is_connected("Web", "Handler", None), "{saved}");
    lint(&dir.join("app.yaml"));

    // A path that does not exist opens as a new sketch too; with no
    // extension it is a Terraform folder, created by :w.
    tmux.reopen(&dir, "infra");
    tmux.wait_for("a new sketch; :w creates infra/");
    tmux.command("add function worker");
    tmux.wait_for("added function aws_lambda_function.worker");
    tmux.command("add queue jobs");
    tmux.wait_for("added queue");
    tmux.command("connect jobs worker");
    tmux.wait_for("connected");
    tmux.command("w");
    tmux.wait_for("wrote infra");
    tmux.command("export terraform copy");
    tmux.wait_for("copy");
    tmux.command("q");
    let s = tmux.wait_for("app exited with ");
    assert!(s.contains("app exited with 0"), "{s}");
    for d in ["infra", "copy"] {
        let main = std::fs::read_to_string(dir.join(d).join("main.tf"))
            .unwrap_or_else(|e| panic!("{d}/main.tf: {e}"));
        assert!(main.contains("aws_lambda_function"), "{main}");
    }
    if let Some(r) = common::validate_tf(&[dir.join("infra")]) {
        r.unwrap()
    }
}

/// A group saved collapsed opens as one box; expanding it with `o` and
/// `:w` saves that in the layout beside the template, which stays as it was.
#[test]
fn a_collapsed_group_in_tmux() {
    let Some(tmux) = Tmux::start("collapse") else {
        return;
    };
    let dir = common::scratch("tmux-collapse");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collapse"),
        &dir,
    );
    let template = std::fs::read_to_string(dir.join("template.yaml")).unwrap();
    let sidecar = dir.join(".template.yaml.stacksketch.yaml");
    tmux.open(&dir, "template.yaml", 120, 40);
    let s = tmux.wait_for("opened template.yaml");
    assert!(s.contains("Intake"), "{s}");
    // Bucket, group and worker: the group's function and queue are one box.
    assert!(
        s.contains("Services (3)"),
        "the group opens collapsed:\n{s}"
    );

    tmux.keys(&["/"]);
    tmux.text("Intake");
    tmux.keys(&["Enter"]);
    tmux.keys(&["o"]);
    tmux.wait_for("Services (4)");
    tmux.command("w");
    tmux.wait_for("wrote template.yaml");
    assert_eq!(
        std::fs::read_to_string(dir.join("template.yaml")).unwrap(),
        template
    );
    let layout = std::fs::read_to_string(&sidecar).unwrap();
    assert!(!layout.contains("collapsed: true"), "{layout}");
    tmux.command("q");
    tmux.wait_for("app exited with 0");
}
