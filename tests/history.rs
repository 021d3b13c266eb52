//! Stepping through a template's git history: each commit against the one
//! before, marked; the working tree and the index left as they were; the
//! whiteboard driven in tmux through three commits.

mod common;

use std::path::{Path, PathBuf};

use stacksketch::cost::{CostOptions, PriceTable};
use stacksketch::diff::picture::Mark;
use stacksketch::model::Level;
use stacksketch::tui::timeline::Timeline;

use common::git;

const TEMPLATE: &str = include_str!("fixtures/diff/template.yaml");

fn costs() -> CostOptions {
    CostOptions {
        free_tier: false,
        budget_usd: None,
        usage_file: None,
        prices: PriceTable::embedded(),
    }
}

fn apply(dir: &Path, commands: &[&str]) {
    let mut c = common::bin();
    c.current_dir(dir).args(["apply", "template.yaml"]);
    for cmd in commands {
        c.args(["-c", cmd]);
    }
    c.args(["-o", "template.yaml"]).assert().success();
}

/// Three commits: the fixture; a queue added and connected with the lone
/// bucket deleted; the function given more memory.
fn three_commits() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    git(&root, &["init", "-q"]);
    std::fs::write(root.join("template.yaml"), TEMPLATE).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "A function and its table"]);
    apply(&root, &["add queue Jobs", "connect F Jobs", "delete Old"]);
    git(&root, &["commit", "-q", "-am", "Jobs go to a queue"]);
    apply(&root, &["set F MemorySize 1024"]);
    git(&root, &["commit", "-q", "-am", "More memory for F"]);
    (dir, root)
}

/// The marks of a step, by kind.
fn marks(t: &Timeline) -> Vec<Mark> {
    let shown = t.shown.as_ref().expect("the step is shown");
    let mut m: Vec<Mark> = shown.scene.marks.values().copied().collect();
    m.sort_by_key(|m| m.sign());
    m.dedup();
    m
}

fn grid_text(t: &Timeline) -> String {
    let g = &t.shown.as_ref().unwrap().scene.grid;
    (0..g.height)
        .map(|y| (0..g.width).map(|x| g.cell(x, y).ch).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_version_is_drawn_against_the_one_before() {
    let (_dir, root) = three_commits();
    let path = root.join("template.yaml");
    let mut t = Timeline::open(&path, Level::Service, false, costs()).unwrap();
    assert_eq!(t.versions.len(), 3, "{:?}", t.versions);
    assert_eq!(t.versions[0].title, "More memory for F");
    assert_eq!(t.versions[0].author, "Test");
    // Newest: F changed, nothing else.
    assert_eq!(marks(&t), [Mark::Changed]);
    let report = &t.shown.as_ref().unwrap().report;
    assert!(report.contains("MemorySize 128 → 1024"), "{report}");
    assert!(grid_text(&t).contains("~ F"), "{}", grid_text(&t));
    // One older: the queue and its arrow added, the bucket removed but
    // still drawn where it was.
    assert!(t.older());
    assert_eq!(t.versions[t.at].title, "Jobs go to a queue");
    assert_eq!(marks(&t), [Mark::Added, Mark::Removed, Mark::Changed]);
    let text = grid_text(&t);
    assert!(text.contains("+ Jobs") && text.contains("- Old"), "{text}");
    let placed = |t: &Timeline, id: &str| {
        let b = t.shown.as_ref().unwrap().scene.layout.box_of(id).unwrap();
        (b.x, b.y)
    };
    let table_here = placed(&t, "T");
    // The first version: all of it new, and nothing older.
    assert!(t.older());
    assert!(t.at_first());
    assert_eq!(marks(&t), [Mark::Added]);
    assert!(!t.older());
    // Back again: the table stays where it was drawn.
    assert!(t.newer());
    assert_eq!(placed(&t, "T"), table_here);
    assert!(t.newer());
    assert!(!t.newer());
}

#[test]
fn uncommitted_changes_are_the_newest_step_and_nothing_is_touched() {
    let (_dir, root) = three_commits();
    apply(&root, &["add topic News"]);
    std::fs::write(root.join("staged.txt"), "staged").unwrap();
    git(&root, &["add", "staged.txt"]);
    let status = git(&root, &["status", "--porcelain"]);
    let index = std::fs::read(root.join(".git/index")).unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]);
    let template = std::fs::read(root.join("template.yaml")).unwrap();

    let mut t =
        Timeline::open(&root.join("template.yaml"), Level::Service, false, costs()).unwrap();
    assert_eq!(t.versions.len(), 4);
    assert_eq!(t.versions[0].rev, None, "the working tree comes first");
    assert!(grid_text(&t).contains("+ News"), "{}", grid_text(&t));
    while t.older() {}

    assert_eq!(std::fs::read(root.join(".git/index")).unwrap(), index);
    assert_eq!(git(&root, &["status", "--porcelain"]), status);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
    assert_eq!(std::fs::read(root.join("template.yaml")).unwrap(), template);
}

#[test]
fn history_outside_git_or_without_a_terminal_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.yaml");
    std::fs::write(&file, TEMPLATE).unwrap();
    let out = common::bin()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["template.yaml", "--history"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not in a git repository"), "{err}");

    let (_dir, root) = three_commits();
    let out = common::bin()
        .current_dir(&root)
        .args(["template.yaml", "--history"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("diff"),
        "{err}"
    );
}

#[test]
fn three_commits_stepped_through_in_tmux() {
    let Some(tmux) = common::tmux::Tmux::start("history") else {
        return;
    };
    let (_dir, root) = three_commits();
    let status = git(&root, &["status", "--porcelain", "--ignored"]);
    let index = std::fs::read(root.join(".git/index")).unwrap();
    tmux.open(&root, "template.yaml --history", 140, 40);
    let s = tmux.wait_for("history 3 of 3");
    assert!(s.contains("More memory for F") && s.contains("Test"), "{s}");
    assert!(
        s.contains("~ F") && s.contains("MemorySize 128 → 1024"),
        "{s}"
    );
    tmux.keys(&["["]);
    let s = tmux.wait_for("history 2 of 3");
    assert!(s.contains("Jobs go to a queue"), "{s}");
    assert!(s.contains("+ Jobs") && s.contains("- Old"), "{s}");
    tmux.keys(&["["]);
    let s = tmux.wait_for("history 1 of 3");
    assert!(s.contains("A function and its table"), "{s}");
    assert!(s.contains("the first version"), "{s}");
    tmux.keys(&["["]);
    tmux.wait_for("this is the first version");
    tmux.keys(&["]"]);
    tmux.wait_for("history 2 of 3");
    // Editing keys do nothing here.
    tmux.keys(&["d"]);
    tmux.wait_for("the history is read only");
    tmux.keys(&["Escape"]);
    tmux.wait_for("back to the sketch");
    // The whiteboard again; `[` opens the history on the newest change.
    tmux.keys(&["["]);
    tmux.wait_for("history 3 of 3");
    tmux.keys(&["Escape"]);
    tmux.wait_for("back to the sketch");
    tmux.keys(&["q"]);
    tmux.wait_for("app exited with 0");
    assert_eq!(std::fs::read(root.join(".git/index")).unwrap(), index);
    // The app's own config and state folders are the test's; leave them out.
    let now = git(&root, &["status", "--porcelain", "--ignored"]);
    let keep = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(".test-"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(keep(&now), keep(&status));
}
