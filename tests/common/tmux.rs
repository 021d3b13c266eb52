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
        let cmd = app_command(dir, env, args);
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

    /// Runs the app again in the same pane, in place of what runs there.
    pub fn reopen(&self, dir: &Path, args: &str) {
        let cmd = app_command(dir, "", args);
        let out = self.run(&[
            "respawn-pane",
            "-k",
            "-t",
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

impl Tmux {
    /// Types text literally (no key names).
    pub fn text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "e2e", "-l", text])
                .status
                .success()
        );
    }

    /// Runs a `:` command line.
    pub fn command(&self, line: &str) {
        self.text(":");
        self.text(line);
        self.keys(&["Enter"]);
    }

    /// The app's process: the child of the pane's shell.
    pub fn app_pid(&self) -> String {
        let out = self.run(&["display", "-p", "-t", "e2e", "#{pane_pid}"]);
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: the name may hold spaces, so
            // count from the closing parenthesis.
            let after = &stat[stat.rfind(')').unwrap() + 1..];
            if after.split_whitespace().nth(1) == Some(shell.as_str()) {
                return e.file_name().to_string_lossy().to_string();
            }
        }
        panic!("no process under the pane's shell {shell}");
    }

    /// Sends the app a signal by name (`HUP`, `TERM`).
    pub fn signal(&self, name: &str) {
        let pid = self.app_pid();
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Whether the pane is on the alternate screen and whether mouse mode
    /// is on, as tmux sees them: `1 1` while the app runs.
    pub fn modes(&self) -> String {
        let out = self.run(&[
            "display",
            "-p",
            "-t",
            "e2e",
            "#{alternate_on} #{mouse_any_flag}",
        ]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// The config folder the app is given under `dir` (empty, so the user's
/// own settings play no part) and the folder its recovery files go to.
pub const CONFIG: &str = ".test-config";
pub const STATE: &str = ".test-state";

/// The shell line that runs the app in `dir`; the shell shows the app's
/// exit status when it ends, then waits, so the status can be read.
fn app_command(dir: &Path, env: &str, args: &str) -> String {
    let config = dir.join(CONFIG);
    std::fs::create_dir_all(&config).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_stacksketch"));
    format!(
        "env XDG_CONFIG_HOME='{}' STACKSKETCH_RECOVERY_DIR='{}' {env} '{}' {args}; echo \"app exited with $?\"; sleep 60",
        config.display(),
        dir.join(STATE).display(),
        bin.display()
    )
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
