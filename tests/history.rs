//! Stepping through a template's git history: each commit against the one
//! before, marked; the working tree and the index left as they were; the
//! whiteboard driven in tmux through three commits.

mod common;

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use stacksketch::cost::{CostOptions, PriceTable};
use stacksketch::diff::picture::Mark;
use stacksketch::document::git;
use stacksketch::model::Level;
use stacksketch::tui::timeline::Timeline;

use common::git as run_git;

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

/// Writes `text` as the template, then applies `commands` to it.
fn apply_to(dir: &Path, text: &str, commands: &[&str]) {
    std::fs::write(dir.join("template.yaml"), text).unwrap();
    apply(dir, commands);
}

/// Three commits: the fixture; a queue added and connected with the lone
/// bucket deleted; the function given more memory.
fn three_commits() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    run_git(&root, &["init", "-q"]);
    std::fs::write(root.join("template.yaml"), TEMPLATE).unwrap();
    run_git(&root, &["add", "-A"]);
    run_git(&root, &["commit", "-q", "-m", "A function and its table"]);
    apply(&root, &["add queue Jobs", "connect F Jobs", "delete Old"]);
    run_git(&root, &["commit", "-q", "-am", "Jobs go to a queue"]);
    apply(&root, &["set F MemorySize 1024"]);
    run_git(&root, &["commit", "-q", "-am", "More memory for F"]);
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
    let mut t = Timeline::open(&path, Level::Service, false, costs(), None).unwrap();
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
    run_git(&root, &["add", "staged.txt"]);
    let status = run_git(&root, &["status", "--porcelain"]);
    let index = std::fs::read(root.join(".git/index")).unwrap();
    let head = run_git(&root, &["rev-parse", "HEAD"]);
    let template = std::fs::read(root.join("template.yaml")).unwrap();

    let mut t = open(&root);
    assert_eq!(t.versions.len(), 4);
    assert_eq!(t.versions[0].rev, None, "the working tree comes first");
    assert!(grid_text(&t).contains("+ News"), "{}", grid_text(&t));
    while t.older() {}

    assert_eq!(std::fs::read(root.join(".git/index")).unwrap(), index);
    assert_eq!(run_git(&root, &["status", "--porcelain"]), status);
    assert_eq!(run_git(&root, &["rev-parse", "HEAD"]), head);
    assert_eq!(std::fs::read(root.join("template.yaml")).unwrap(), template);
}

/// The history of the template in `root`, at service level, in colour.
fn open(root: &Path) -> Timeline {
    Timeline::open(
        &root.join("template.yaml"),
        Level::Service,
        false,
        costs(),
        None,
    )
    .unwrap()
}

/// Where each box is drawn at each step, as (step, id) to (x, y).
fn places(t: &Timeline) -> BTreeMap<String, (usize, usize)> {
    t.shown
        .as_ref()
        .expect("the step is shown")
        .scene
        .layout
        .boxes
        .iter()
        .map(|b| (b.id.clone(), (b.x, b.y)))
        .collect()
}

#[test]
fn every_box_keeps_one_place_in_every_step() {
    let (_dir, root) = three_commits();
    apply(
        &root,
        &[
            "add function Reporter",
            "connect Reporter T read",
            "add topic Alerts",
            "connect Reporter Alerts",
            "delete Jobs",
        ],
    );
    run_git(
        &root,
        &["commit", "-q", "-am", "A reporter instead of the queue"],
    );
    let mut t = open(&root);
    assert_eq!(t.steps(), 4);
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut check = |t: &Timeline| {
        for (id, at) in places(t) {
            let first = *seen.entry(id.clone()).or_insert(at);
            assert_eq!(first, at, "{id} moved at step {}", t.steps() - t.at);
        }
    };
    // Down to the first version and back up again.
    check(&t);
    while t.older() {
        check(&t);
    }
    while t.newer() {
        check(&t);
    }
    // Every service of every version was drawn somewhere.
    for id in ["F", "T", "Old", "Jobs", "Reporter", "Alerts"] {
        assert!(seen.contains_key(id), "{id}: {seen:?}");
    }
    // No two boxes of one step overlap.
    for _ in 0..t.steps() {
        let boxes = &t.shown.as_ref().unwrap().scene.layout.boxes;
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{} and {} overlap", a.id, b.id);
            }
        }
        t.older();
    }
}

#[test]
fn a_commit_that_deletes_the_file_shows_it_all_removed() {
    let (_dir, root) = three_commits();
    run_git(&root, &["rm", "-q", "template.yaml"]);
    run_git(&root, &["commit", "-q", "-m", "No more template"]);
    std::fs::write(root.join("template.yaml"), TEMPLATE).unwrap();
    run_git(&root, &["add", "template.yaml"]);
    run_git(&root, &["commit", "-q", "-m", "The template is back"]);
    let mut t = open(&root);
    assert_eq!(t.steps(), 5);
    // Back, against nothing: all of it added again.
    assert_eq!(t.versions[0].title, "The template is back");
    assert_eq!(marks(&t), [Mark::Added]);
    assert!(t.older());
    assert!(t.versions[t.at].missing);
    assert_eq!(marks(&t), [Mark::Removed]);
    let shown = t.shown.as_ref().unwrap();
    assert!(shown.report.contains("deleted"), "{}", shown.report);
    assert!(grid_text(&t).contains("- F"), "{}", grid_text(&t));
    assert!(t.older());
    assert_eq!(t.versions[t.at].title, "More memory for F");
    assert_eq!(marks(&t), [Mark::Changed]);
}

#[test]
fn a_version_that_does_not_read_is_passed_over() {
    let (_dir, root) = three_commits();
    std::fs::write(root.join("template.yaml"), "Resources: [unclosed\n").unwrap();
    run_git(&root, &["commit", "-q", "-am", "Broken"]);
    let good = run_git(&root, &["show", "HEAD~1:template.yaml"]);
    apply_to(&root, &good, &["set F Timeout 30"]);
    run_git(
        &root,
        &["commit", "-q", "-am", "Mended, with a longer timeout"],
    );
    let mut t = open(&root);
    // The newest is drawn against the last version that reads, which it
    // mends with a longer timeout: only F changed.
    assert_eq!(marks(&t), [Mark::Changed]);
    let shown = t.shown.as_ref().unwrap();
    assert!(shown.report.contains("do not read"), "{}", shown.report);
    assert!(shown.report.contains("Timeout 10 → 30"), "{}", shown.report);
    assert!(t.older());
    assert!(t.shown.is_none());
    let problem = t.problem.clone().unwrap();
    let rev = t.versions[t.at].rev.clone().unwrap();
    assert!(problem.contains(&format!("{rev}:")), "{problem}");
    assert!(!problem.contains(".tmp"), "{problem}");
    assert!(t.older());
    assert_eq!(t.versions[t.at].title, "More memory for F");
}

#[test]
fn copies_at_each_revision_are_what_git_holds() {
    let (_dir, root) = three_commits();
    std::fs::write(
        root.join(".template.yaml.stacksketch.yaml"),
        "stacksketch_layout: 1\npositions:\n  F: {x: 4, y: 2}\n",
    )
    .unwrap();
    apply(&root, &["set F Timeout 20"]);
    run_git(&root, &["add", "-A"]);
    run_git(&root, &["commit", "-q", "-m", "F placed by hand"]);
    run_git(&root, &["rm", "-q", "template.yaml"]);
    run_git(&root, &["commit", "-q", "-m", "Gone"]);
    let log = git::log(&root.join("template.yaml")).unwrap();
    assert_eq!(log.commits.len(), 5, "{log:?}");
    assert!(log.older.is_none() && !log.dirty);
    let revs: Vec<&str> = log.commits.iter().map(|c| c.rev.as_str()).collect();
    let copies = git::checkout_each(&revs, &root.join("template.yaml")).unwrap();
    assert_eq!(copies.paths.len(), 5);
    assert!(copies.paths[0].is_none(), "deleted in the newest commit");
    for (i, rev) in revs.iter().enumerate().skip(1) {
        let copy = copies.paths[i].as_ref().unwrap();
        let held = run_git(&root, &["show", &format!("{rev}:template.yaml")]);
        assert_eq!(std::fs::read_to_string(copy).unwrap(), held, "{rev}");
        // The sidecar goes with the template where the commit has one.
        let side = copy.with_file_name(".template.yaml.stacksketch.yaml");
        assert_eq!(side.exists(), i == 1, "{rev}");
    }

    // A Terraform root takes the modules it calls, as they were.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join("live")).unwrap();
    std::fs::create_dir_all(root.join("modules/queue")).unwrap();
    std::fs::write(
        root.join("live/main.tf"),
        "module \"jobs\" {\n  source = \"../modules/queue\"\n}\n",
    )
    .unwrap();
    let module =
        |s: u32| format!("resource \"aws_sqs_queue\" \"this\" {{\n  delay_seconds = {s}\n}}\n");
    std::fs::write(root.join("modules/queue/main.tf"), module(1)).unwrap();
    run_git(&root, &["init", "-q"]);
    run_git(&root, &["add", "-A"]);
    run_git(&root, &["commit", "-q", "-m", "one"]);
    std::fs::write(root.join("modules/queue/main.tf"), module(2)).unwrap();
    std::fs::write(
        root.join("live/main.tf"),
        "# the jobs queue\nmodule \"jobs\" {\n  source = \"../modules/queue\"\n}\n",
    )
    .unwrap();
    run_git(&root, &["commit", "-q", "-am", "two"]);
    let log = git::log(&root.join("live")).unwrap();
    let revs: Vec<&str> = log.commits.iter().map(|c| c.rev.as_str()).collect();
    let copies = git::checkout_each(&revs, &root.join("live")).unwrap();
    for (i, s) in [(0, 2), (1, 1)] {
        let copy = copies.paths[i].as_ref().unwrap();
        assert!(copy.join("main.tf").is_file());
        let m = std::fs::read_to_string(copies.roots[i].join("modules/queue/main.tf")).unwrap();
        assert_eq!(m, module(s));
    }
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
    let status = run_git(&root, &["status", "--porcelain", "--ignored"]);
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
    let now = run_git(&root, &["status", "--porcelain", "--ignored"]);
    let keep = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(".test-"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(keep(&now), keep(&status));
}

// ------------------------------------------------------------ drawn

mod drawn {
    use super::*;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};
    use stacksketch::tui::app::Mode;
    use stacksketch::tui::theme::Theme;
    use stacksketch::tui::{self, App, Document, Options};

    fn open(root: &Path, options: Options) -> App {
        let doc = Document::open(&root.join("template.yaml")).unwrap();
        App::new(doc, options)
    }

    fn render(app: &mut App) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(140, 40)).unwrap();
        tui::frame(&mut t, app).unwrap();
        t
    }

    fn rows(t: &Terminal<TestBackend>) -> Vec<String> {
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    /// The cell where `needle` starts.
    fn find(t: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
        rows(t).iter().enumerate().find_map(|(y, row)| {
            let at = row.find(needle)?;
            Some((row[..at].chars().count() as u16, y as u16))
        })
    }

    fn key(app: &mut App, c: char) {
        app.handle(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }

    #[test]
    fn the_title_names_the_commit_and_the_marks_are_coloured() {
        let (_dir, root) = three_commits();
        let mut app = open(
            &root,
            Options {
                history: true,
                ..Options::default()
            },
        );
        let theme = app.theme.clone();
        let t = render(&mut app);
        let top = &rows(&t)[0];
        assert!(top.contains("history 3 of 3"), "{top}");
        assert!(top.contains("More memory for F · Test"), "{top}");
        let (x, y) = find(&t, "~ F").expect("F marked changed");
        let cell = &t.backend().buffer()[(x, y)];
        assert_eq!(cell.fg, theme.changed.fg.unwrap(), "{cell:?}");
        key(&mut app, '[');
        let t = render(&mut app);
        assert!(rows(&t)[0].contains("Jobs go to a queue"));
        let (x, y) = find(&t, "+ Jobs").expect("Jobs marked added");
        assert_eq!(t.backend().buffer()[(x + 2, y)].fg, theme.added.fg.unwrap());
        let (x, y) = find(&t, "- Old").expect("Old marked removed");
        let cell = &t.backend().buffer()[(x + 2, y)];
        assert_eq!(cell.fg, theme.removed.fg.unwrap());
        assert!(cell.modifier.contains(Modifier::DIM), "removed is faint");
    }

    #[test]
    fn without_colour_and_in_ascii_the_marks_are_in_the_text() {
        let (_dir, root) = three_commits();
        let mut app = open(
            &root,
            Options {
                history: true,
                ascii: true,
                theme: Theme::default().without_colour(),
                ..Options::default()
            },
        );
        key(&mut app, '[');
        let t = render(&mut app);
        for c in t.backend().buffer().content() {
            assert_eq!(c.fg, Color::Reset, "{c:?}");
            assert!(c.symbol().is_ascii(), "{c:?}");
        }
        let screen = rows(&t).join("\n");
        for mark in ["+ Jobs", "- Old", "~ F", "+ write", "history 2 of 3"] {
            assert!(screen.contains(mark), "{mark}:\n{screen}");
        }
    }

    #[test]
    fn panning_stops_at_the_edge_of_the_picture_and_says_where_it_is() {
        let (_dir, root) = three_commits();
        let mut app = open(
            &root,
            Options {
                history: true,
                ..Options::default()
            },
        );
        let mut t = Terminal::new(TestBackend::new(60, 20)).unwrap();
        tui::frame(&mut t, &mut app).unwrap();
        for _ in 0..40 {
            key(&mut app, 'l');
            key(&mut app, 'j');
        }
        tui::frame(&mut t, &mut app).unwrap();
        let Mode::History(h) = &app.mode else {
            panic!("not in the history")
        };
        let grid = &h.shown.as_ref().unwrap().scene.grid;
        let (w, ht) = stacksketch::tui::ui::history::canvas_size((60, 20));
        assert!(grid.width > w as usize || grid.height > ht as usize);
        assert_eq!(h.scroll.0, grid.width.saturating_sub(w as usize));
        assert_eq!(h.scroll.1, grid.height.saturating_sub(ht as usize));
        let screen = rows(&t).join("\n");
        let told = format!("of {} ", grid.height);
        assert!(screen.contains(&told), "{told}:\n{screen}");
    }

    #[test]
    fn z_shows_the_history_at_another_level() {
        let (_dir, root) = three_commits();
        let mut app = open(
            &root,
            Options {
                history: true,
                ..Options::default()
            },
        );
        let boxes = |app: &App| match &app.mode {
            Mode::History(t) => t.shown.as_ref().unwrap().scene.layout.boxes.len(),
            _ => panic!("not in the history"),
        };
        assert_eq!(app.level, Level::Service);
        let service = boxes(&app);
        key(&mut app, 'z');
        assert_eq!(app.level, Level::Resource);
        key(&mut app, 'z');
        assert_eq!(app.level, Level::System);
        assert!(boxes(&app) < service, "one box for the whole template");
        let t = render(&mut app);
        let screen = rows(&t).join("\n");
        assert!(screen.contains("application"), "{screen}");
        key(&mut app, '[');
        let t = render(&mut app);
        assert!(rows(&t)[0].contains("history 2 of 3"));
    }

    #[test]
    fn the_key_opens_the_history_which_cannot_edit() {
        let (_dir, root) = three_commits();
        let mut app = open(&root, Options::default());
        let before = app.doc.sketch.clone();
        key(&mut app, '[');
        assert!(matches!(app.mode, Mode::History(_)));
        for c in ['d', 'a', 'u', 'H', ':'] {
            key(&mut app, c);
            let said = app.message.as_ref().map(|m| m.text.clone()).unwrap();
            assert!(said.contains("read only"), "{c}: {said}");
        }
        let t = render(&mut app);
        assert!(rows(&t)[0].contains("history 3 of 3"));
        app.handle(&Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(matches!(app.mode, Mode::Normal));
        assert!(!app.is_dirty());
        assert_eq!(
            format!("{:?}", app.doc.sketch.ids().collect::<Vec<_>>()),
            format!("{:?}", before.ids().collect::<Vec<_>>())
        );
    }

    #[test]
    fn outside_git_the_key_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
        let mut app = open(dir.path(), Options::default());
        key(&mut app, '[');
        assert!(matches!(app.mode, Mode::Normal));
        let said = app.message.clone().unwrap().text;
        assert!(said.contains("not in a git repository"), "{said}");
        render(&mut app);
        let mut example = App::new(Document::example(), Options::default());
        key(&mut example, '[');
        assert!(matches!(example.mode, Mode::Normal));
        assert!(example.message.clone().unwrap().text.contains("git"));
    }
}
