//! The code pane showing a function's handler: its SDK calls marked with
//! what they do and to what, a function whose code is missing said so,
//! someone else's text drawn inertly, the editor round trip, and `:w`
//! never writing a code file.

mod common;

use common::copy_dir;

use std::path::{Path, PathBuf};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stacksketch::tui::action::Action;
use stacksketch::tui::{self, App, Document, Options};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/code");

/// A copy of a fixture project, so edits and saves stay in a scratch folder.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(FIXTURES).join(name), dir.path());
    let t = dir.path().join("template.yaml");
    (dir, t)
}

fn open(template: &Path, options: Options) -> App {
    App::new(Document::open(template).unwrap(), options)
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    tui::frame(&mut t, app).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

#[test]
fn the_handler_shows_with_each_call_marked() {
    let (_dir, t) = copy("boto3_client");
    let mut app = open(&t, Options::default());
    app.select("Worker");
    let before = screen(&mut app, 200, 90);
    assert!(!before.contains("sqs.send_message"), "{before}");
    app.act(Action::Handler);
    let s = screen(&mut app, 200, 90);
    assert!(
        s.contains("handler") && s.contains("src/worker/app.py"),
        "{s}"
    );
    assert!(s.contains("(+1 file)") && s.contains("2 calls"), "{s}");
    // The call in the handler, and the one in the module it imports.
    let line = s
        .lines()
        .find(|l| l.contains("sqs.send_message"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(
        line.contains('●') && line.contains("sqs:SendMessage → Jobs"),
        "{line}"
    );
    assert!(s.contains("store.py"), "{s}");
    assert!(s.contains("dynamodb:PutItem → Results"), "{s}");
    // A line with no call has no mark.
    let plain = s.lines().find(|l| l.contains("import json")).unwrap();
    assert!(!plain.contains('●'), "{plain}");
    // Again: the template.
    app.act(Action::Handler);
    let s = screen(&mut app, 200, 90);
    assert!(
        !s.contains("sqs.send_message") && s.contains("CodeUri"),
        "{s}"
    );
}

#[test]
fn missing_and_unread_code_is_said() {
    let (_dir, t) = copy("missing_code");
    let mut app = open(&t, Options::default());
    app.select("Gone");
    app.act(Action::Handler);
    let s = screen(&mut app, 200, 50);
    assert!(s.contains("the code of Gone was not found"), "{s}");
    app.select("JavaFunction");
    let s = screen(&mut app, 200, 50);
    assert!(s.contains("the code of JavaFunction is not read"), "{s}");
    // Asking to edit what is not there says so and runs nothing.
    app.act(Action::EditHandler);
    assert!(app.pending_editor.is_none());
    let s = screen(&mut app, 200, 50);
    assert!(s.contains("not read"), "{s}");
}

#[test]
fn a_handler_cannot_drive_the_terminal() {
    let (dir, t) = copy("boto3_client");
    let app_py = dir.path().join("src/worker/app.py");
    let text = std::fs::read_to_string(&app_py).unwrap();
    std::fs::write(
        &app_py,
        format!("# \u{1b}]0;retitled\u{7} \u{202e}reversed \u{9b}31m\n{text}"),
    )
    .unwrap();
    let mut app = open(&t, Options::default());
    app.select("Worker");
    app.act(Action::Handler);
    let s = screen(&mut app, 200, 90);
    assert!(s.contains("retitled"), "the line is shown: {s}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!s.contains(bad), "{bad:?} reached the screen");
    }
}

#[cfg(unix)]
#[test]
fn the_editor_opens_the_handler_and_save_leaves_code_alone() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, t) = copy("boto3_client");
    let script = dir.path().join("editor.sh");
    let log = dir.path().join("editor.log");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nfor f; do :; done\necho '# added in the editor' >> \"$f\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut app = open(
        &t,
        Options {
            editor: Some(script.display().to_string()),
            ..Options::default()
        },
    );
    app.select("Worker");
    app.act(Action::Handler);
    app.act(Action::EditHandler);
    let (file, line) = app.pending_editor.clone().expect("the editor is asked for");
    assert!(file.ends_with("src/worker/app.py"), "{file:?}");
    assert_eq!(line, 13, "at the first call");
    let mut handed_over = false;
    app.run_pending_editor(|run| {
        handed_over = true;
        run();
        Ok(())
    });
    assert!(handed_over);
    assert!(std::fs::read_to_string(&log).unwrap().contains("app.py"));
    let s = screen(&mut app, 200, 90);
    assert!(s.contains("back from"), "{s}");
    // Read again: the line the editor added is in the pane.
    assert!(s.contains("# added in the editor"), "{s}");

    // An edit, then :w: the template changes, the code files do not.
    let code_before: Vec<Vec<u8>> = ["src/worker/app.py", "src/worker/store.py"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    let template_before = std::fs::read_to_string(&t).unwrap();
    for c in ":add topic News".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    for c in ":w".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let template_after = std::fs::read_to_string(&t).unwrap();
    assert_ne!(template_after, template_before, "the template was saved");
    assert!(template_after.contains("News"), "{template_after}");
    let code_after: Vec<Vec<u8>> = ["src/worker/app.py", "src/worker/store.py"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(code_after, code_before);
}

#[cfg(unix)]
#[test]
fn the_editor_takes_the_terminal_and_gives_it_back_in_tmux() {
    use std::os::unix::fs::PermissionsExt;
    let Some(tmux) = common::tmux::Tmux::start("handler") else {
        return;
    };
    let (dir, _t) = copy("boto3_client");
    // An editor that shows it has the screen, waits for a key, and adds a line.
    let script = dir.path().join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nfor f; do :; done\necho \"EDITING $f\"\nread answer\necho '# added in the editor' >> \"$f\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    tmux.open_with(
        dir.path(),
        &format!("EDITOR='{}' VISUAL=", script.display()),
        "template.yaml",
        140,
        45,
    );
    tmux.wait_for("Canvas");
    tmux.keys(&["/"]);
    tmux.keys(&["Worker", "Enter"]);
    tmux.keys(&["v"]);
    tmux.wait_for("sqs.send_message");
    tmux.keys(&["E"]);
    let s = tmux.wait_for("EDITING");
    assert!(!s.contains("Canvas"), "the editor has the screen: {s}");
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("back from");
    assert!(
        s.contains("# added in the editor") && s.contains("Canvas"),
        "{s}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("app exited with 0");
}

#[test]
fn a_repositorys_functions_show_their_handlers() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/repos/aws-serverless-shopping-cart");
    if !repo.is_dir() {
        eprintln!("note: the corpus is not here; skipped");
        return;
    }
    let mut app = open(&repo, Options::default());
    // A repository opens on the whole system; the functions are a level down.
    while app.level != stacksketch::model::Level::Service {
        app.act(Action::CycleLevel);
    }
    screen(&mut app, 220, 90);
    app.select("backend/shoppingcart-service:AddToCartFunction");
    app.act(Action::Handler);
    let s = screen(&mut app, 220, 90);
    let header = s.lines().find(|l| l.contains("Code ·")).unwrap();
    assert!(
        header.contains("backend/shopping-cart-service/add_to_cart.py"),
        "{header}"
    );
    assert!(
        s.contains("dynamodb:") && s.contains("DynamoDBShoppingCartTable"),
        "{s}"
    );
}
