//! The app driven by key and mouse events, with no terminal: each test
//! checks what a user's keys do to the sketch and the app's state.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui_textarea::TextArea;

use super::action::Action;
use super::app::{App, Mode, Options, Pane, Tone};
use super::derived::InspectorRow;
use super::doc::Document;
use super::keymap::Keymap;
use crate::config::Keys;
use crate::model::Dialect;
use crate::model::{ConnectionKind, Level};

fn app() -> App {
    let mut a = App::new(Document::example(), Options::default());
    a.size = (120, 40);
    a.settle();
    a
}

fn send(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle(&Event::Key(KeyEvent::new(code, mods)));
    app.settle();
}

fn key(app: &mut App, code: KeyCode) {
    send(app, code, KeyModifiers::NONE);
}

fn ch(app: &mut App, c: char) {
    key(app, KeyCode::Char(c));
}

fn ctrl(app: &mut App, c: char) {
    send(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

fn command(app: &mut App, line: &str) {
    ch(app, ':');
    typ(app, line);
    key(app, KeyCode::Enter);
}

fn select(app: &mut App, id: &str) {
    app.select(id);
    app.settle();
    assert_eq!(app.selected.as_deref(), Some(id));
}

fn error_text(app: &App) -> String {
    match &app.message {
        Some(m) if m.tone == Tone::Error => m.text.clone(),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn the_palette_adds_a_service_and_selects_it() {
    let mut a = app();
    assert!(!a.is_dirty());
    ch(&mut a, 'a');
    assert!(matches!(a.mode, Mode::Palette(_)));
    typ(&mut a, "sns");
    key(&mut a, KeyCode::Enter);
    // The name prompt offers a free name.
    match &a.mode {
        Mode::Prompt(p) => assert_eq!(p.input.text(), "Topic"),
        _ => panic!("expected the name prompt"),
    }
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.mode, Mode::Normal));
    assert_eq!(a.doc.sketch.service("Topic").unwrap().kind.word(), "topic");
    assert_eq!(a.selected.as_deref(), Some("Topic"));
    assert!(a.is_dirty());
    // A second one gets another name.
    ch(&mut a, 'a');
    typ(&mut a, "topic");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    assert!(a.doc.sketch.contains("Topic2"));
}

#[test]
fn a_bad_name_keeps_the_prompt_and_what_was_typed() {
    let mut a = app();
    ch(&mut a, 'a');
    typ(&mut a, "queue");
    key(&mut a, KeyCode::Enter);
    ctrl(&mut a, 'u');
    typ(&mut a, "bad name");
    key(&mut a, KeyCode::Enter);
    assert!(error_text(&a).contains("BadName"));
    match &a.mode {
        Mode::Prompt(p) => assert_eq!(p.input.text(), "bad name"),
        _ => panic!("the prompt closed"),
    }
}

#[test]
fn connect_by_typing_a_name() {
    let mut a = app();
    command(&mut a, "add topic Events");
    assert_eq!(a.selected.as_deref(), Some("Events"));
    ch(&mut a, 'c');
    typ(&mut a, "worker");
    key(&mut a, KeyCode::Enter);
    assert!(
        a.doc
            .sketch
            .is_connected("Events", "Worker", Some(ConnectionKind::Trigger)),
        "{:?}",
        a.message
    );
}

#[test]
fn connect_by_direction_picks_a_box_that_way() {
    let mut a = app();
    select(&mut a, "Uploads");
    ch(&mut a, 'c');
    key(&mut a, KeyCode::Right);
    let target = match &a.mode {
        Mode::Connect(c) => c.target.clone().expect("a target to the right"),
        _ => panic!("not connecting"),
    };
    let l = &a.derived.scene.layout;
    let (s, t) = (l.box_of("Uploads").unwrap(), l.box_of(&target).unwrap());
    assert!(
        2 * t.x + t.w > 2 * s.x + s.w,
        "{target} is not to the right"
    );
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Normal));
}

#[test]
fn undo_and_redo_walk_the_history() {
    let mut a = app();
    command(&mut a, "add queue Jobs");
    assert!(a.doc.sketch.contains("Jobs"));
    ch(&mut a, 'u');
    assert!(!a.doc.sketch.contains("Jobs"));
    assert!(!a.is_dirty());
    ctrl(&mut a, 'r');
    assert!(a.doc.sketch.contains("Jobs"));
    assert!(a.is_dirty());
}

#[test]
fn quitting_with_unsaved_changes_is_refused() {
    let mut a = app();
    ch(&mut a, 'q');
    assert!(a.quit, "a clean sketch quits");

    let mut a = app();
    command(&mut a, "add queue Jobs");
    ch(&mut a, 'q');
    assert!(!a.quit);
    assert!(error_text(&a).contains("unsaved changes"));
    command(&mut a, "q");
    assert!(!a.quit);
    assert!(error_text(&a).contains(":q!"));
    command(&mut a, "q!");
    assert!(a.quit);
}

#[test]
fn the_example_asks_for_a_name_to_save_to() {
    let mut a = app();
    command(&mut a, "add queue Jobs");
    command(&mut a, "w");
    assert!(error_text(&a).contains(":w NAME"));
    assert!(a.is_dirty());
}

#[test]
fn delete_and_rename_the_selection() {
    let mut a = app();
    select(&mut a, "Results");
    ch(&mut a, 'd');
    assert!(!a.doc.sketch.contains("Results"));
    assert!(a.message.as_ref().unwrap().text.contains("u undoes"));
    ch(&mut a, 'u');
    assert!(a.doc.sketch.contains("Results"));
    select(&mut a, "Results");
    ch(&mut a, 'r');
    match &a.mode {
        Mode::Prompt(p) => assert_eq!(p.input.text(), "Results"),
        _ => panic!("no rename prompt"),
    }
    ctrl(&mut a, 'u');
    typ(&mut a, "Outcomes");
    key(&mut a, KeyCode::Enter);
    assert!(a.doc.sketch.contains("Outcomes"));
    assert_eq!(a.selected.as_deref(), Some("Outcomes"));
    // References follow the rename.
    assert!(a.doc.sketch.is_connected("Worker", "Outcomes", None));
}

#[test]
fn moving_a_box_pins_it_where_it_went() {
    let mut a = app();
    select(&mut a, "Worker");
    let before = a.derived.scene.layout.box_of("Worker").unwrap().clone();
    ch(&mut a, 'L');
    let p = a.doc.sketch.service("Worker").unwrap().position.unwrap();
    assert_eq!((p.x, p.y), (before.x as i32 + 2, before.y as i32));
    send(&mut a, KeyCode::Down, KeyModifiers::SHIFT);
    let p = a.doc.sketch.service("Worker").unwrap().position.unwrap();
    assert_eq!(p.y, before.y as i32 + 1);
    // The layout keeps it there.
    let now = a.derived.scene.layout.box_of("Worker").unwrap();
    assert_eq!((now.x, now.y), (p.x as usize, p.y as usize));
}

#[test]
fn moves_made_before_a_relayout_add_up() {
    let mut a = app();
    select(&mut a, "Worker");
    let before = a.derived.scene.layout.box_of("Worker").unwrap().clone();
    // A held key: three presses in one batch of events, one settle.
    for _ in 0..3 {
        a.handle(&Event::Key(KeyEvent::new(
            KeyCode::Char('L'),
            KeyModifiers::NONE,
        )));
    }
    a.settle();
    let p = a.doc.sketch.service("Worker").unwrap().position.unwrap();
    assert_eq!(p.x, before.x as i32 + 6);
}

#[test]
fn arrows_select_the_box_in_that_direction() {
    let mut a = app();
    select(&mut a, "Uploads");
    let from = a.derived.scene.layout.box_of("Uploads").unwrap().clone();
    ch(&mut a, 'l');
    let to = a.selected.clone().unwrap();
    assert_ne!(to, "Uploads");
    let b = a.derived.scene.layout.box_of(&to).unwrap();
    assert!(2 * b.x + b.w > 2 * from.x + from.w);
    key(&mut a, KeyCode::Left);
    assert_ne!(a.selected.as_deref(), Some(to.as_str()));
}

#[test]
fn lists_move_with_the_same_keys() {
    let mut a = app();
    ch(&mut a, '2');
    assert_eq!(a.focus, Pane::Graph);
    let first = a.selected.clone();
    ch(&mut a, 'l');
    assert_ne!(a.selected, first, "right jumps to the next service");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Pane::Inspector);
    send(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(a.focus, Pane::Graph);
}

#[test]
fn z_cycles_the_level_of_detail() {
    let mut a = app();
    assert_eq!(a.level, Level::Service);
    let services = a.derived.view.nodes.len();
    ch(&mut a, 'z');
    assert_eq!(a.level, Level::Resource);
    assert!(a.derived.view.nodes.len() >= services);
    ch(&mut a, 'z');
    assert_eq!(a.level, Level::System);
    assert_eq!(a.derived.view.nodes.len(), 1);
    // Editing a stack is refused with a reason.
    ch(&mut a, 'd');
    assert!(error_text(&a).contains("system level"));
    ch(&mut a, 'z');
    assert_eq!(a.level, Level::Service);
}

#[test]
fn search_selects_matches_in_turn() {
    let mut a = app();
    ch(&mut a, '/');
    typ(&mut a, "dead");
    key(&mut a, KeyCode::Enter);
    let first = a.selected.clone().unwrap();
    assert!(first.starts_with("DeadLetter"), "{first}");
    ch(&mut a, 'n');
    let second = a.selected.clone().unwrap();
    assert!(second.starts_with("DeadLetter") && second != first);
    ch(&mut a, 'N');
    assert_eq!(a.selected.as_deref(), Some(first.as_str()));
}

#[test]
fn the_inspector_edits_a_property() {
    let mut a = app();
    select(&mut a, "Worker");
    ch(&mut a, '3');
    let rows = a.inspector_rows();
    let i = rows
        .iter()
        .position(|r| matches!(r, InspectorRow::Property { path, .. } if path == &["Handler"]))
        .unwrap();
    a.inspector_cursor = i;
    key(&mut a, KeyCode::Enter);
    match &a.mode {
        Mode::Prompt(p) => assert_eq!(p.input.text(), "app.handler"),
        _ => panic!("no property prompt"),
    }
    ctrl(&mut a, 'u');
    typ(&mut a, "main.handler");
    key(&mut a, KeyCode::Enter);
    let svc = a.doc.sketch.service("Worker").unwrap();
    assert_eq!(svc.properties["Handler"], "main.handler");
    assert!(a.derived.code.text.contains("Handler: main.handler"));
    // `d` in the inspector removes the property under the cursor.
    ch(&mut a, 'd');
    assert!(
        a.doc
            .sketch
            .service("Worker")
            .unwrap()
            .properties
            .get("Handler")
            .is_none()
    );
}

fn edit_code(a: &mut App, f: impl Fn(&str) -> String) {
    ch(a, '4');
    key(a, KeyCode::Enter);
    let Mode::Code(c) = &mut a.mode else {
        panic!("not editing code")
    };
    let text = f(&c.area.lines().join("\n"));
    c.area = TextArea::new(text.lines().map(str::to_string).collect());
}

#[test]
fn applying_edited_code_updates_the_sketch_and_undoes_as_one() {
    let mut a = app();
    edit_code(&mut a, |t| t.replace("BatchSize: 10", "BatchSize: 3"));
    ctrl(&mut a, 's');
    assert!(matches!(a.mode, Mode::Normal), "{:?}", a.message);
    assert!(a.derived.code.text.contains("BatchSize: 3"));
    ch(&mut a, 'u');
    assert!(a.derived.code.text.contains("BatchSize: 10"));
    assert!(!a.is_dirty());
}

#[test]
fn a_parse_error_is_shown_at_its_line_and_the_text_is_kept() {
    let mut a = app();
    edit_code(&mut a, |t| t.replace("  Alerts:\n", "  Alerts: : :\n"));
    ctrl(&mut a, 's');
    let Mode::Code(c) = &a.mode else {
        panic!("the editor closed on an error")
    };
    let (line, _) = c.error.clone().expect("an error");
    assert!(
        c.area.lines()[line].contains("Alerts: : :")
            || c.area.lines()[line.saturating_sub(1)].contains("Alerts"),
        "line {line}"
    );
    assert!(c.area.lines().iter().any(|l| l.contains("Alerts: : :")));
    assert!(error_text(&a).starts_with("line "));
    // Esc once warns, twice leaves; the sketch is untouched.
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Code(_)));
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Normal));
    assert!(!a.is_dirty());
}

#[test]
fn the_command_line_remembers() {
    let mut a = app();
    command(&mut a, "add queue A");
    ch(&mut a, ':');
    key(&mut a, KeyCode::Up);
    match &a.mode {
        Mode::Prompt(p) => assert_eq!(p.input.text(), "add queue A"),
        _ => panic!("no prompt"),
    }
    key(&mut a, KeyCode::Esc);
    command(&mut a, "frobnicate");
    assert!(error_text(&a).contains("unknown command"));
}

#[test]
fn overridden_keys_take_effect() {
    let mut o = std::collections::BTreeMap::new();
    o.insert("undo".to_string(), Keys::One("U".into()));
    let (keymap, problems) = Keymap::with_overrides(&o);
    assert!(problems.is_empty());
    let mut a = App::new(
        Document::example(),
        Options {
            keymap,
            ..Options::default()
        },
    );
    a.settle();
    command(&mut a, "add queue Jobs");
    ch(&mut a, 'u');
    assert!(a.doc.sketch.contains("Jobs"));
    ch(&mut a, 'U');
    assert!(!a.doc.sketch.contains("Jobs"));
    assert_eq!(a.keymap.keys_of(Action::Undo), ["U"]);
}

fn click(a: &mut App, kind: MouseEventKind, x: u16, y: u16) {
    a.handle(&Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    a.settle();
}

/// The screen cell of a canvas cell, if it is on screen.
fn on_screen(a: &App, x: usize, y: usize) -> (u16, u16) {
    let inner = super::ui::pane_inner(a, Pane::Canvas).unwrap();
    (
        inner.x + (x - a.scroll.0) as u16,
        inner.y + (y - a.scroll.1) as u16,
    )
}

#[test]
fn clicking_selects_and_dragging_moves() {
    let mut a = app();
    select(&mut a, "Uploads");
    let b = a.derived.scene.layout.box_of("Enqueue").unwrap().clone();
    let (x, y) = on_screen(&a, b.x + 1, b.y + 1);
    click(&mut a, MouseEventKind::Down(MouseButton::Left), x, y);
    assert_eq!(a.selected.as_deref(), Some("Enqueue"));
    click(
        &mut a,
        MouseEventKind::Drag(MouseButton::Left),
        x + 3,
        y + 1,
    );
    click(&mut a, MouseEventKind::Up(MouseButton::Left), x + 4, y + 2);
    let p = a.doc.sketch.service("Enqueue").unwrap().position.unwrap();
    assert_eq!((p.x, p.y), (b.x as i32 + 4, b.y as i32 + 2));
    // One undo puts it back.
    ch(&mut a, 'u');
    assert!(a.doc.sketch.service("Enqueue").unwrap().position.is_none());
}

#[test]
fn clicking_a_pane_focuses_it_and_the_wheel_pans() {
    let mut a = app();
    let code = super::ui::pane_inner(&a, Pane::Code).unwrap();
    click(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        code.x + 2,
        code.y + 2,
    );
    assert_eq!(a.focus, Pane::Code);
    let before = a.code_scroll;
    click(&mut a, MouseEventKind::ScrollDown, code.x + 2, code.y + 2);
    assert!(a.code_scroll > before);
}

#[test]
fn small_terminals_show_tabs_and_tab_keys_switch_them() {
    let mut a = app();
    a.size = (60, 20);
    a.settle();
    let areas = super::ui::areas(&a);
    assert!(areas.tabs.is_some());
    assert_eq!(areas.panes.len(), 1);
    assert_eq!(areas.panes[0].0, Pane::Canvas);
    ch(&mut a, '5');
    assert_eq!(super::ui::areas(&a).panes[0].0, Pane::Cost);
    a.size = (80, 24);
    a.settle();
    let panes: Vec<Pane> = super::ui::areas(&a).panes.iter().map(|p| p.0).collect();
    assert_eq!(panes, [Pane::Canvas, Pane::Cost]);
}

#[test]
fn usage_keys_change_the_estimate() {
    let mut a = app();
    select(&mut a, "Worker");
    let before = a.derived.cost.as_ref().unwrap().total_monthly_usd;
    ch(&mut a, '+');
    let after = a.derived.cost.as_ref().unwrap().total_monthly_usd;
    assert!(after > before, "{before} -> {after}");
    assert!(!a.doc.sketch.service("Worker").unwrap().usage.is_empty());
    ch(&mut a, '-');
    ch(&mut a, '-');
    assert!(a.derived.cost.as_ref().unwrap().total_monthly_usd < after);
}

#[test]
fn help_opens_and_closes() {
    let mut a = app();
    ch(&mut a, '?');
    assert!(matches!(a.mode, Mode::Help { .. }));
    ch(&mut a, 'j');
    assert!(matches!(a.mode, Mode::Help { scroll: 1 }));
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Normal));
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("stacksketch-app-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn open(path: &std::path::Path) -> App {
    let mut a = App::new(Document::open(path).unwrap(), Options::default());
    a.size = (120, 40);
    a.settle();
    a
}

#[test]
fn moving_a_box_and_saving_leaves_the_template_as_it_was() {
    let dir = scratch("sidecar");
    let t = dir.join("template.yaml");
    std::fs::write(&t, crate::document::EXAMPLE).unwrap();
    let mut a = open(&t);
    select(&mut a, "Worker");
    ch(&mut a, 'J');
    ctrl(&mut a, 's');
    assert!(!a.is_dirty(), "{:?}", a.message);
    assert_eq!(
        std::fs::read_to_string(&t).unwrap(),
        crate::document::EXAMPLE
    );
    let side = crate::document::sidecar_path(&t).unwrap();
    assert!(std::fs::read_to_string(&side).unwrap().contains("Worker"));
    let again = open(&t);
    assert_eq!(
        again.doc.sketch.service("Worker").unwrap().position,
        a.doc.sketch.service("Worker").unwrap().position
    );
}

#[test]
fn a_collapsed_group_is_saved_beside_the_template_and_undoes() {
    let dir = scratch("collapse");
    let t = dir.join("template.yaml");
    std::fs::write(&t, crate::document::EXAMPLE).unwrap();
    let mut a = open(&t);
    command(&mut a, "group Enqueue intake");
    command(&mut a, "group JobQueue intake");
    ctrl(&mut a, 's');
    assert!(!a.is_dirty(), "{:?}", a.message);
    let side = crate::document::sidecar_path(&t).unwrap();
    let layout = std::fs::read_to_string(&side).unwrap();
    assert!(!layout.contains("collapsed"), "{layout}");

    select(&mut a, "Enqueue");
    ch(&mut a, 'o');
    assert!(a.derived.view.node("intake").is_some());
    assert!(a.is_dirty(), "collapsing is an edit to save");
    ctrl(&mut a, 's');
    assert!(!a.is_dirty(), "{:?}", a.message);
    assert_eq!(
        std::fs::read_to_string(&t).unwrap(),
        crate::document::EXAMPLE,
        "the template does not change"
    );
    assert!(
        std::fs::read_to_string(&side)
            .unwrap()
            .contains("collapsed: true")
    );

    // Opened again, the group is one box; expanding it is saved too.
    let mut b = open(&t);
    assert!(b.derived.view.node("intake").is_some());
    assert!(b.derived.view.node("Enqueue").is_none());
    assert!(!b.is_dirty());
    select(&mut b, "intake");
    ch(&mut b, 'o');
    assert!(b.derived.view.node("intake").is_none());
    assert!(b.derived.view.node("Enqueue").is_some());
    assert!(b.selected.as_deref().is_some_and(|s| s != "intake"));
    // Undo collapses it again and selects it; redo expands it.
    ch(&mut b, 'u');
    assert!(b.derived.view.node("intake").is_some(), "{:?}", b.message);
    assert_eq!(b.selected.as_deref(), Some("intake"));
    assert!(!b.is_dirty(), "undo goes back to the saved state");
    ctrl(&mut b, 'r');
    assert!(b.derived.view.node("intake").is_none(), "{:?}", b.message);
    ctrl(&mut b, 's');
    assert_eq!(
        std::fs::read_to_string(&t).unwrap(),
        crate::document::EXAMPLE
    );
    assert!(
        !std::fs::read_to_string(&side)
            .unwrap()
            .contains("collapsed")
    );
    assert!(open(&t).derived.view.node("intake").is_none());
}

#[test]
fn a_collapsed_group_is_saved_in_a_sketch_file() {
    let dir = scratch("collapse-sketch");
    let f = dir.join("mine.sketch.yaml");
    let mut a = app();
    command(&mut a, "group Enqueue intake");
    command(&mut a, "group JobQueue intake");
    select(&mut a, "JobQueue");
    ch(&mut a, 'o');
    command(&mut a, &format!("w {}", f.display()));
    assert!(!a.is_dirty(), "{:?}", a.message);
    let b = open(&f);
    assert!(b.derived.view.node("intake").is_some());
    assert!(b.derived.view.node("JobQueue").is_none());
}

#[test]
fn e_opens_another_file_but_not_over_unsaved_changes() {
    let dir = scratch("edit");
    let other = dir.join("api.yaml");
    std::fs::write(&other, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n").unwrap();
    let mut a = app();
    command(&mut a, "add queue Jobs");
    let line = format!("e {}", other.display());
    command(&mut a, &line);
    assert!(error_text(&a).contains(":e!"));
    assert!(a.doc.sketch.contains("Jobs"));
    command(&mut a, &format!("e! {}", other.display()));
    assert!(a.doc.sketch.contains("Q"));
    assert!(!a.is_dirty());
    assert_eq!(a.selected.as_deref(), Some("Q"));
    command(&mut a, "e /no/such/file.yaml");
    assert!(error_text(&a).contains("no such file"));
    assert!(a.doc.sketch.contains("Q"));
}

#[test]
fn w_to_a_new_name_adopts_it_and_refuses_to_overwrite_others() {
    let dir = scratch("saveas");
    let mut a = app();
    command(&mut a, "add queue Jobs");
    let target = dir.join("mine.yaml");
    command(&mut a, &format!("w {}", target.display()));
    assert!(!a.is_dirty(), "{:?}", a.message);
    assert_eq!(a.doc.path.as_deref(), Some(target.as_path()));
    assert!(std::fs::read_to_string(&target).unwrap().contains("Jobs:"));
    let taken = dir.join("taken.yaml");
    std::fs::write(&taken, "mine").unwrap();
    command(&mut a, &format!("w {}", taken.display()));
    assert!(error_text(&a).contains(":w!"));
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");
}

fn terraform_app(name: &str) -> (std::path::PathBuf, App) {
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/app");
    let dir = scratch(name).join("app");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(&from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let a = open(&dir);
    (dir, a)
}

#[test]
fn a_terraform_folder_opens_showing_its_files_in_terraform() {
    let (_, a) = terraform_app("tf-open");
    assert_eq!(a.language, Dialect::Terraform);
    let code = &a.derived.code;
    assert_eq!(code.read_only, None);
    let names: Vec<&str> = code.files.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["main.tf", "outputs.tf", "variables.tf"]);
    for (f, start) in &code.files {
        assert_eq!(code.lines[start - 1], format!("# ---- {f}"));
    }
    // The selection's block is found by its address.
    let (first, end) = code.anchors["aws_lambda_function.worker"];
    assert_eq!(
        code.lines[first],
        "resource \"aws_lambda_function\" \"worker\" {"
    );
    assert_eq!(code.lines[end - 1], "}");
    assert!(code.lines[first..end].iter().any(|l| l.contains("timeout")));
    assert!(
        !code.lines[first..end]
            .iter()
            .any(|l| l.contains("aws_sqs_queue"))
    );
}

#[test]
fn edited_terraform_applies_as_one_undoable_edit() {
    let (_, mut a) = terraform_app("tf-edit");
    edit_code(&mut a, |t| {
        t.replace("timeout          = 30", "timeout          = 45")
            .replace("default = \"dev\"", "default = \"prod\"")
    });
    ctrl(&mut a, 's');
    assert!(matches!(a.mode, Mode::Normal), "{:?}", a.message);
    let worker = a.doc.sketch.service("aws_lambda_function.worker").unwrap();
    assert_eq!(worker.properties["timeout"], serde_json::json!(45));
    assert!(a.derived.code.text.contains("timeout          = 45"));
    assert!(a.derived.code.text.contains("default = \"prod\""));
    ch(&mut a, 'u');
    assert!(a.derived.code.text.contains("timeout          = 30"));
    assert!(a.derived.code.text.contains("default = \"dev\""));
    assert!(!a.is_dirty());
}

#[test]
fn a_terraform_parse_error_is_shown_at_its_line_in_the_listing() {
    let (_, mut a) = terraform_app("tf-error");
    edit_code(&mut a, |t| {
        t.replace("variable \"stage\" {", "variable \"stage\" {{ =")
    });
    ctrl(&mut a, 's');
    let Mode::Code(c) = &a.mode else {
        panic!("the editor closed on an error: {:?}", a.message)
    };
    let (line, message) = c.error.clone().expect("an error");
    assert!(message.starts_with("variables.tf:"), "{message}");
    let near = &c.area.lines()[line.saturating_sub(1)..=line];
    assert!(
        near.iter().any(|l| l.contains("variable \"stage\" {{ =")),
        "line {line}: {near:?}"
    );
    assert!(error_text(&a).starts_with(&format!("line {}: ", line + 1)));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert!(!a.is_dirty());
}

#[test]
fn a_listing_without_its_file_lines_is_refused() {
    let (_, mut a) = terraform_app("tf-header");
    edit_code(&mut a, |t| t.replace("# ---- outputs.tf\n", ""));
    ctrl(&mut a, 's');
    let Mode::Code(c) = &a.mode else {
        panic!("the editor closed")
    };
    assert!(c.error.as_ref().unwrap().1.contains("outputs.tf"));
    assert!(!a.is_dirty());
}

#[test]
fn t_shows_a_sam_sketch_as_terraform_to_read_not_to_edit() {
    let mut a = app();
    assert_eq!(a.language, Dialect::Sam);
    select(&mut a, "Worker");
    ch(&mut a, 't');
    assert_eq!(a.language, Dialect::Terraform);
    let code = &a.derived.code;
    assert!(
        code.text.contains("resource \"aws_sqs_queue\""),
        "{}",
        code.text
    );
    let (first, _) = code.anchors["Worker"];
    assert_eq!(
        code.lines[first],
        "resource \"aws_lambda_function\" \"worker\" {"
    );
    ch(&mut a, '4');
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.mode, Mode::Normal));
    assert!(error_text(&a).contains("translated from SAM"));
    ch(&mut a, 't');
    assert_eq!(a.language, Dialect::Sam);
}

#[test]
fn w_writes_a_terraform_folder_back_and_its_layout_beside_it() {
    let (dir, mut a) = terraform_app("tf-w");
    command(&mut a, "add topic alerts");
    command(&mut a, "connect worker alerts");
    select(&mut a, "aws_sns_topic.alerts");
    ch(&mut a, 'J');
    command(&mut a, "w");
    assert!(!a.is_dirty(), "{:?}", a.message);
    let msg = a.message.clone().unwrap();
    assert_eq!(msg.tone, Tone::Info, "{}", msg.text);
    assert!(
        msg.text.contains("layout in .stacksketch.yaml"),
        "{}",
        msg.text
    );
    let main = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    assert!(main.contains("resource \"aws_sns_topic\" \"alerts\""));
    let side = std::fs::read_to_string(dir.join(".stacksketch.yaml")).unwrap();
    assert!(side.contains("aws_sns_topic.alerts"), "{side}");
}

#[test]
fn terraform_read_back_unchanged_says_the_same_as_the_sketch() {
    let (_, mut a) = terraform_app("tf-same");
    select(&mut a, "aws_sqs_queue.jobs");
    ch(&mut a, 'J');
    ch(&mut a, '+');
    let before = a.doc.sketch.clone();
    // A blank line changes the text but not what it says.
    edit_code(&mut a, |t| {
        t.replace("# Work to do.\n", "\n# Work to do.\n")
    });
    ctrl(&mut a, 's');
    assert!(matches!(a.mode, Mode::Normal), "{:?}", a.message);
    assert_eq!(
        a.message.as_ref().unwrap().text,
        "the code says the same as the sketch"
    );
    assert_eq!(a.doc.sketch, before);
}

#[test]
fn new_starts_an_empty_sketch_and_refuses_to_drop_unsaved_work() {
    let mut a = app();
    command(&mut a, "add queue Jobs");
    command(&mut a, "new");
    assert!(a.doc.sketch.contains("Jobs"), "unsaved work dropped");
    command(&mut a, "new! infra");
    assert_eq!(a.doc.sketch.len(), 0);
    assert_eq!(a.language, Dialect::Terraform);
    assert_eq!(a.title(), "infra (new)");
    command(&mut a, "add queue jobs");
    assert!(a.doc.sketch.contains("aws_sqs_queue.jobs"));
    command(&mut a, "new! diagram.yaml");
    assert_eq!(a.language, Dialect::Sam);
    command(&mut a, "add queue Jobs");
    assert!(a.doc.sketch.contains("Jobs"));
}

#[test]
fn enter_in_the_connect_picker_takes_the_highlighted_candidate() {
    let mut a = app();
    command(&mut a, "new!");
    command(&mut a, "add queue Jobs");
    command(&mut a, "add function Worker");
    select(&mut a, "Jobs");
    ch(&mut a, 'c');
    match &a.mode {
        Mode::Connect(c) => assert!(c.target.is_some(), "nothing highlighted"),
        _ => panic!("not connecting"),
    }
    key(&mut a, KeyCode::Enter);
    assert!(
        a.doc.sketch.is_connected("Jobs", "Worker", None),
        "{:?}",
        a.message
    );
}

#[test]
fn undo_and_redo_say_what_and_select_it() {
    let mut a = app();
    command(&mut a, "add queue Jobs");
    command(&mut a, "set Worker Timeout 60");
    select(&mut a, "Uploads");
    ch(&mut a, 'u');
    let m = a.message.clone().unwrap().text;
    assert!(m.starts_with("undone: ") && m.contains("Worker"), "{m}");
    assert_eq!(a.selected.as_deref(), Some("Worker"));
    ch(&mut a, 'u');
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("added queue Jobs"), "{m}");
    ctrl(&mut a, 'r');
    let m = a.message.clone().unwrap().text;
    assert!(m.starts_with("redone: ") && m.contains("Jobs"), "{m}");
    assert_eq!(a.selected.as_deref(), Some("Jobs"));
}

#[test]
fn ascii_where_the_terminal_cannot_draw_glyphs() {
    use crate::tui::needs_ascii;
    assert!(needs_ascii(Some("linux"), Some("en_US.UTF-8")));
    assert!(needs_ascii(Some("xterm-256color"), Some("C")));
    assert!(needs_ascii(
        Some("xterm-256color"),
        Some("en_US.ISO-8859-1")
    ));
    assert!(!needs_ascii(Some("xterm-256color"), Some("en_US.UTF-8")));
    assert!(!needs_ascii(Some("tmux-256color"), Some("C.utf8")));
    assert!(!needs_ascii(Some("screen"), None));
}

#[test]
fn mistyped_commands_kinds_and_names_get_a_did_you_mean() {
    let mut a = app();
    command(&mut a, "expotr terraform out");
    assert!(
        error_text(&a).contains("did you mean `export`?"),
        "{}",
        error_text(&a)
    );
    command(&mut a, "ad queue Jobs");
    assert!(
        error_text(&a).contains("did you mean `add`?"),
        "{}",
        error_text(&a)
    );
    command(&mut a, "add queu Jobs");
    assert!(
        error_text(&a).contains("did you mean `queue`?"),
        "{}",
        error_text(&a)
    );
    command(&mut a, "connect Wroker Results");
    assert!(
        error_text(&a).contains("did you mean `Worker`?"),
        "{}",
        error_text(&a)
    );
    command(&mut a, "zzzzqqq");
    assert!(
        !error_text(&a).contains("did you mean"),
        "{}",
        error_text(&a)
    );
}
