//! The real binary in a real terminal, for end-to-end tests: a tmux server
//! of the test's own (its own socket), keys sent with `send-keys`, the
//! screen read back with `capture-pane`. `None` (with a note) where tmux is
//! not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server named for the test, so tests can run side by side.
    pub fn start(name: &str) -> Option<Tmux> {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("note: tmux is not installed; the end-to-end test is skipped");
            return None;
        }
        Some(Tmux {
            socket: format!("stacksketch-{name}-{}", std::process::id()),
        })
    }

    /// Runs the app with `args` in `dir` at `w`×`h`, with an empty config
    /// folder so the user's own settings play no part. A shell around the
    /// app shows its exit status when it ends, then waits.
    pub fn open(&self, dir: &Path, args: &str, w: u16, h: u16) {
        self.open_with(dir, "", args, w, h);
    }

    /// The same, with more `NAME=value` settings for the app's environment.
    pub fn open_with(&self, dir: &Path, env: &str, args: &str, w: u16, h: u16) {
        let config = dir.join(".test-config");
        std::fs::create_dir_all(&config).unwrap();
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_stacksketch"));
        let cmd = format!(
            "env XDG_CONFIG_HOME='{}' STACKSKETCH_RECOVERY_DIR='{}' {env} '{}' {args}; echo \"app exited with $?\"; sleep 60",
            config.display(),
            dir.join(".test-state").display(),
            bin.display()
        );
        let out = self.run(&[
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "-s",
            "e2e",
            "-c",
            dir.to_str().unwrap(),
            &cmd,
        ]);
        assert!(out.status.success(), "{out:?}");
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).to_string()
    }

    /// Waits until the screen shows `text`; fails with the screen if it
    /// never does.
    pub fn wait_for(&self, text: &str) -> String {
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

    /// Sends keys by tmux's names (`Escape`, `Enter`, `[`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
