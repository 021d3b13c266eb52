//! A terminal that goes away under the app (its multiplexer killed, an SSH
//! connection dropped): the app ends instead of spinning on the closed
//! input, and keeps the unsaved work in its recovery file.

mod common;

use std::time::{Duration, Instant};

#[test]
fn a_terminal_killed_under_the_app_keeps_the_work_and_ends_it() {
    let Some(tmux) = common::tmux::Tmux::start("hangup") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        include_str!("../examples/api-table/template.yaml"),
    )
    .unwrap();
    tmux.open(dir.path(), "template.yaml", 120, 40);
    tmux.wait_for("Canvas");
    tmux.keys(&[":add topic Unsaved", "Enter"]);
    tmux.wait_for("[+]");
    // Not a signal to the app: the terminal itself goes.
    let _ = tmux.run(&["kill-server"]);
    let state = dir.path().join(".test-state");
    let start = Instant::now();
    let kept = loop {
        let found = std::fs::read_dir(&state).ok().and_then(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(".sketch.yaml"))
        });
        if let Some(p) = found {
            break p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no recovery file in {}",
            state.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(text.contains("Unsaved"), "{text}");
}
