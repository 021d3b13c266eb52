//! The real binary in a real terminal: tmux runs it at 120×40, keys go in
//! with `send-keys`, the screen comes back with `capture-pane`. A template
//! is opened, a queue added and connected, undo and redo tried, `:q`
//! refused while there are unsaved changes, the window squeezed to 12×6
//! and back, the result saved under a new name, and the app quits.
//! Skipped (with a note) where tmux is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), so nothing else is touched.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start() -> Option<Tmux> {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("note: tmux is not installed; the end-to-end test is skipped");
            return None;
        }
        Some(Tmux {
            socket: format!("stacksketch-e2e-{}", std::process::id()),
        })
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).to_string()
    }

    /// Waits until the screen shows `text`; fails with the screen if it never does.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("waited for `{text}`; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Types text literally (no key names).
    fn text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "e2e", "-l", text])
                .status
                .success()
        );
    }

    fn command(&self, line: &str) {
        self.text(":");
        self.text(line);
        self.keys(&["Enter"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn lint(file: &Path) {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/validate-sam");
    if !tool.is_file() {
        eprintln!("note: ../shared/tools/validate-sam is not here; the lint is skipped");
        return;
    }
    let out = Command::new(tool)
        .arg(file)
        .output()
        .expect("the linter runs");
    assert!(
        out.status.success(),
        "cfn-lint found errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_user_session_in_tmux() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = common::scratch("tmux");
    let original = include_str!("../examples/api-table/template.yaml");
    let template = dir.join("template.yaml");
    std::fs::write(&template, original).unwrap();
    // An empty config folder, so the user's own settings play no part.
    let config = dir.join("config");
    std::fs::create_dir_all(&config).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_stacksketch"));
    // A shell around the app reports its exit status on the screen it gives
    // back, then waits, so the status can be read.
    let cmd = format!(
        "env XDG_CONFIG_HOME='{}' '{}' template.yaml; echo \"app exited with $?\"; sleep 60",
        config.display(),
        bin.display()
    );
    let started = tmux.run(&[
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "40",
        "-s",
        "e2e",
        "-c",
        dir.to_str().unwrap(),
        &cmd,
    ]);
    assert!(started.status.success(), "{started:?}");

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
    let s = tmux.wait_for("undone");
    assert!(
        !s.contains("Type: SQS"),
        "the code still has the event:\n{s}"
    );
    tmux.keys(&["C-r"]);
    tmux.wait_for("redone");

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
    // Nothing else was written: no temporary files, no layout (nothing was moved).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["config", "saved.yaml", "template.yaml"]);
    assert_eq!(
        std::fs::read_dir(&config).unwrap().count(),
        0,
        "config was written"
    );
    lint(&dir.join("saved.yaml"));
}
