//! The whiteboard drawn into ratatui's `TestBackend`: snapshots of every
//! pane and overlay, the styles of cells whose colour carries meaning, the
//! help against the keymap, and any size down to nothing.

use std::collections::BTreeMap;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use stacksketch::config::Keys;
use stacksketch::model::Sketch;
use stacksketch::tui::action::{Action, Section};
use stacksketch::tui::app::{Mode, Pane};
use stacksketch::tui::doc::Origin;
use stacksketch::tui::keymap::Keymap;
use stacksketch::tui::theme::Theme;
use stacksketch::tui::{self, App, Document, Options, ui};

fn app() -> App {
    App::new(Document::example(), Options::default())
}

fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    tui::frame(&mut t, app).unwrap();
    t
}

fn rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// The first screen cell where `needle` starts, searching rows in order.
fn find(t: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
    find_in(t, t.backend().buffer().area, needle)
}

/// The same, inside a rect.
fn find_in(t: &Terminal<TestBackend>, r: Rect, needle: &str) -> Option<(u16, u16)> {
    let n: Vec<char> = needle.chars().collect();
    rows(t)
        .iter()
        .enumerate()
        .skip(r.y as usize)
        .take(r.height as usize)
        .find_map(|(y, row)| {
            let chars: Vec<char> = row.chars().collect();
            let (lo, hi) = (r.x as usize, (r.x + r.width) as usize);
            (lo..(hi + 1).saturating_sub(n.len()))
                .find(|&x| x + n.len() <= chars.len() && chars[x..x + n.len()] == n[..])
                .map(|x| (x as u16, y as u16))
        })
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn focused(pane: Pane) -> App {
    let mut a = app();
    a.select("Worker");
    a.act(match pane {
        Pane::Canvas => Action::FocusCanvas,
        Pane::Graph => Action::FocusGraph,
        Pane::Inspector => Action::FocusInspector,
        Pane::Code => Action::FocusCode,
        Pane::Cost => Action::FocusCost,
    });
    a
}

// ------------------------------------------------------------ snapshots

#[test]
fn all_panes_at_120_by_40() {
    let mut a = app();
    let t = render(&mut a, 120, 40);
    for pane in Pane::ALL {
        assert!(
            find(&t, &format!(" {} ", pane.title())).is_some(),
            "{} has no title",
            pane.title()
        );
    }
    insta::assert_snapshot!("all_panes", t.backend());
}

#[test]
fn each_pane_alone() {
    for pane in Pane::ALL {
        let mut a = focused(pane);
        let t = render(&mut a, 64, 22);
        assert_eq!(ui::areas(&a).panes, vec![(pane, ui::areas(&a).panes[0].1)]);
        insta::assert_snapshot!(format!("pane_{}", pane.title().to_lowercase()), t.backend());
    }
}

#[test]
fn two_panes_at_80_by_24_in_ascii() {
    let mut a = App::new(
        Document::example(),
        Options {
            ascii: true,
            ..Options::default()
        },
    );
    let t = render(&mut a, 80, 24);
    let text = rows(&t).join("\n");
    assert!(text.is_ascii(), "{text}");
    insta::assert_snapshot!("ascii_80x24", t.backend());
}

#[test]
fn help_overlay() {
    let mut a = app();
    a.act(Action::Help);
    let t = render(&mut a, 100, 70);
    insta::assert_snapshot!("help", t.backend());
}

#[test]
fn palette_overlay() {
    let mut a = app();
    a.act(Action::Add);
    typ(&mut a, "q");
    let t = render(&mut a, 90, 30);
    insta::assert_snapshot!("palette", t.backend());
}

#[test]
fn connect_overlay() {
    let mut a = app();
    a.select("Enqueue");
    a.act(Action::Connect);
    typ(&mut a, "re");
    let t = render(&mut a, 100, 30);
    insta::assert_snapshot!("connect", t.backend());
}

#[test]
fn code_editor_with_an_error() {
    let mut a = focused(Pane::Code);
    a.settle();
    a.act(Action::Activate);
    assert!(matches!(a.mode, Mode::Code(_)));
    // Break the line the cursor is on (the selected service's first line).
    key(&mut a, KeyCode::End);
    typ(&mut a, " [unclosed");
    a.handle(&Event::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let t = render(&mut a, 90, 24);
    assert!(find(&t, "Worker: [unclosed").is_some(), "the text is kept");
    let (_, y) = find(&t, "invalid YAML").unwrap_or_else(|| panic!("{}", rows(&t).join("\n")));
    let buf = t.backend().buffer();
    assert_eq!(buf[(3, y)].bg, a.theme.code_error.bg.unwrap());
    insta::assert_snapshot!("code_error", t.backend());
}

#[test]
fn an_empty_sketch_says_what_to_do() {
    let mut a = App::new(
        Document::from_sketch(Sketch::new(), None, Origin::Example),
        Options::default(),
    );
    let t = render(&mut a, 60, 16);
    assert!(find(&t, "a adds a service").is_some());
    insta::assert_snapshot!("empty", t.backend());
}

// ------------------------------------------------------------ cost

/// The total line of the cost pane as drawn, e.g. `$1.22 of $5.00 budget`.
fn drawn_total(t: &Terminal<TestBackend>, a: &App) -> String {
    let r = ui::pane_inner(a, Pane::Cost).expect("the cost pane is shown");
    let row: String = rows(t)[r.y as usize]
        .chars()
        .skip(r.x as usize)
        .take(r.width as usize)
        .collect();
    row.trim().to_string()
}

/// The total the sketch costs now, worked out afresh, as the pane words it.
fn fresh_total(a: &App) -> String {
    let report = stacksketch::cost::estimate(&a.doc.sketch, &a.cost_options);
    format!(
        "{} of $5.00 budget",
        stacksketch::cli::cost::money(report.total_monthly_usd)
    )
}

#[test]
fn the_cost_pane_follows_an_added_service_and_a_slider() {
    let mut a = focused(Pane::Cost);
    let t = render(&mut a, 64, 26);
    let before = drawn_total(&t, &a);
    assert_eq!(before, fresh_total(&a));
    insta::assert_snapshot!("cost_before", t.backend());

    // A secret costs a fixed amount a month, whatever the usage.
    key(&mut a, KeyCode::Char(':'));
    typ(&mut a, "add secret Token");
    key(&mut a, KeyCode::Enter);
    let t = render(&mut a, 64, 26);
    let added = drawn_total(&t, &a);
    assert_ne!(added, before, "the total did not change");
    assert_eq!(added, fresh_total(&a));
    let cost = ui::pane_rect(&a, Pane::Cost).unwrap();
    assert!(
        find_in(&t, cost, " Token ").is_some(),
        "no row for the new secret"
    );
    insta::assert_snapshot!("cost_added", t.backend());

    // + doubles the selected function's invocations.
    a.select("Worker");
    key(&mut a, KeyCode::Char('+'));
    let t = render(&mut a, 64, 26);
    let slid = drawn_total(&t, &a);
    assert_ne!(slid, added, "the total did not change");
    assert_eq!(slid, fresh_total(&a));
    assert!(
        find_in(&t, cost, "0.2 1M requests").is_some(),
        "the bill shows the doubled requests:\n{}",
        rows(&t).join("\n")
    );
    insta::assert_snapshot!("cost_slid", t.backend());
    // - takes it back.
    key(&mut a, KeyCode::Char('-'));
    let t = render(&mut a, 64, 26);
    assert_eq!(drawn_total(&t, &a), added);
}

// ------------------------------------------------------------ Terraform

fn terraform_fixture() -> App {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/app");
    let mut a = App::new(Document::open(&dir).unwrap(), Options::default());
    // The opening message names the folder by its full path.
    a.message = None;
    a
}

#[test]
fn a_terraform_folder_opens_with_its_code_in_terraform() {
    let mut a = terraform_fixture();
    let t = render(&mut a, 120, 40);
    let text = rows(&t).join("\n");
    for id in ["worker", "jobs"] {
        assert!(text.contains(id), "{id} is not on screen:\n{text}");
    }
    a.select("aws_lambda_function.worker");
    a.act(Action::FocusCode);
    // Narrow enough that the code pane is shown alone.
    let t = render(&mut a, 71, 30);
    let code = ui::pane_rect(&a, Pane::Code).unwrap();
    assert!(
        find_in(&t, code, " Code · Terraform").is_some(),
        "{}",
        rows(&t).join("\n")
    );
    let (x, y) = find_in(&t, code, "resource \"aws_lambda_function\" \"worker\" {")
        .unwrap_or_else(|| panic!("{}", rows(&t).join("\n")));
    // The selected service's block is marked.
    assert_eq!(
        t.backend().buffer()[(x, y)].bg,
        a.theme.code_focus.bg.unwrap()
    );
    insta::assert_snapshot!("terraform_code", t.backend());
    // Each file of the folder comes under a line naming it.
    for f in ["main.tf", "outputs.tf", "variables.tf"] {
        let header = format!("# ---- {f}");
        assert!(a.derived.code.lines.contains(&header), "no {header}");
    }
    // The code follows the selection to its block.
    a.select("aws_sqs_queue.jobs");
    let t = render(&mut a, 71, 30);
    let (x, y) = find_in(&t, code, "resource \"aws_sqs_queue\" \"jobs\" {")
        .unwrap_or_else(|| panic!("{}", rows(&t).join("\n")));
    assert_eq!(
        t.backend().buffer()[(x, y)].bg,
        a.theme.code_focus.bg.unwrap()
    );
}

// ------------------------------------------------------------ styles

/// The screen cell of a box's top-left corner, when it is on screen.
fn box_corner(a: &App, id: &str) -> (u16, u16) {
    let inner = ui::pane_inner(a, Pane::Canvas).unwrap();
    let b = a.derived.scene.layout.box_of(id).unwrap();
    let (x, y) = (
        b.x.checked_sub(a.scroll.0).expect("on screen"),
        b.y.checked_sub(a.scroll.1).expect("on screen"),
    );
    assert!(
        x < inner.width as usize && y < inner.height as usize,
        "{id} is off screen"
    );
    (inner.x + x as u16, inner.y + y as u16)
}

#[test]
fn the_selected_box_and_categories_are_coloured() {
    let theme = Theme::default();
    let mut a = app();
    a.select("Uploads");
    let t = render(&mut a, 120, 40);
    let buf = t.backend().buffer();
    // The selection fills its box.
    let (x, y) = box_corner(&a, "Uploads");
    assert_eq!(buf[(x, y)].bg, theme.selection.bg.unwrap());
    assert_eq!(buf[(x + 1, y + 1)].bg, theme.selection.bg.unwrap());
    // Other boxes are coloured by what they are for.
    let (x, y) = box_corner(&a, "Enqueue");
    assert_eq!(buf[(x, y)].fg, theme.compute.fg.unwrap());
    assert_ne!(buf[(x, y)].bg, theme.selection.bg.unwrap());

    a.select("Worker");
    let t = render(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let (x, y) = box_corner(&a, "Results");
    assert_eq!(buf[(x, y)].fg, theme.database.fg.unwrap());
    assert_ne!(theme.database.fg, theme.compute.fg);
}

#[test]
fn over_budget_is_shown_in_the_over_budget_colour() {
    let mut a = app();
    let t = render(&mut a, 120, 40);
    let theme = Theme::default();
    let (x, y) = find(&t, " of $5.00 budget").unwrap();
    assert_eq!(
        t.backend().buffer()[(x - 1, y)].fg,
        theme.cost_total.fg.unwrap()
    );
    a.run_command("budget 0.5");
    let t = render(&mut a, 120, 40);
    let (x, y) =
        find(&t, " of $0.50 budget · OVER").unwrap_or_else(|| panic!("{}", rows(&t).join("\n")));
    let buf = t.backend().buffer();
    assert_eq!(buf[(x - 1, y)].fg, theme.cost_over.fg.unwrap());
    assert_eq!(buf[(x + 3, y)].fg, theme.cost_over.fg.unwrap());
    // A service that alone costs more than the budget stands out too.
    let report = a.derived.cost.clone().unwrap();
    let big = report.services.iter().find(|s| s.breaks(0.5)).unwrap();
    let small = report.services.iter().find(|s| !s.breaks(0.5)).unwrap();
    let cost = ui::pane_rect(&a, Pane::Cost).unwrap();
    let price = |id: &str| {
        let (x, y) = find_in(&t, cost, &format!(" {id} ")).unwrap();
        let row: Vec<char> = rows(&t)[y as usize].chars().collect();
        let dollar = (x as usize..row.len()).find(|&i| row[i] == '$').unwrap();
        buf[(dollar as u16, y)].fg
    };
    assert_eq!(price(&big.id), theme.cost_over.fg.unwrap());
    assert_eq!(price(&small.id), theme.cost.fg.unwrap());
}

#[test]
fn warnings_are_in_the_warning_colour() {
    let mut a = app();
    a.run_command("add table Lonely");
    a.select("Uploads");
    let t = render(&mut a, 120, 40);
    let (x, y) = find(&t, "Lonely is not connected").unwrap();
    assert_eq!(
        t.backend().buffer()[(x, y)].fg,
        Theme::default().warning.fg.unwrap()
    );
}

#[test]
fn the_selected_service_is_marked_in_the_code() {
    let mut a = app();
    a.select("Results");
    let t = render(&mut a, 120, 40);
    let (x, y) = find(&t, "Results:").unwrap();
    let theme = Theme::default();
    assert_eq!(
        t.backend().buffer()[(x, y)].bg,
        theme.code_focus.bg.unwrap()
    );
    let (x, y) = find(&t, "Type: AWS::SNS::Topic").unwrap_or((0, 0));
    if (x, y) != (0, 0) {
        assert_ne!(
            t.backend().buffer()[(x, y)].bg,
            theme.code_focus.bg.unwrap()
        );
    }
}

#[test]
fn no_color_keeps_the_selection_visible_without_colour() {
    let mut a = App::new(
        Document::example(),
        Options {
            theme: Theme::default().without_colour(),
            ..Options::default()
        },
    );
    a.select("Worker");
    let t = render(&mut a, 120, 40);
    let buf = t.backend().buffer();
    for c in buf.content() {
        assert!(matches!(c.fg, Color::Reset), "{c:?}");
        assert!(matches!(c.bg, Color::Reset), "{c:?}");
    }
    let cell = &buf[box_corner(&a, "Worker")];
    assert!(cell.modifier.contains(Modifier::REVERSED));
}

// ------------------------------------------------------------ help

fn help_text(app: &mut App) -> String {
    app.act(Action::Help);
    let t = render(app, 110, 90);
    rows(&t).join("\n")
}

fn assert_help_matches(app: &mut App) {
    let keymap = app.keymap.clone();
    let text = help_text(app);
    let lines: Vec<&str> = text.lines().collect();
    let mut listed = 0;
    for s in Section::ALL {
        assert!(text.contains(s.title()), "{}", s.title());
        for (keys, help) in keymap.help_rows(s) {
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains(&format!(" {keys} ")) && l.contains(help)),
                "the help does not say `{keys}`: {help}"
            );
            listed += 1;
        }
    }
    // Every action with a key is in the help, and nothing else claims a key.
    let bound = Action::ALL
        .iter()
        .filter(|a| !keymap.keys_of(**a).is_empty())
        .count();
    assert_eq!(listed, bound);
    for a in Action::ALL {
        if keymap.keys_of(*a).is_empty() {
            assert!(
                !lines.iter().any(|l| l.contains(a.help())),
                "{a} has no key but is in the help"
            );
        }
    }
}

#[test]
fn the_help_lists_exactly_the_keymap() {
    assert_help_matches(&mut app());
}

#[test]
fn the_help_follows_overridden_keys() {
    let mut o = BTreeMap::new();
    o.insert("undo".to_string(), Keys::One("U".into()));
    o.insert("search".to_string(), Keys::Many(vec![]));
    o.insert(
        "quit".to_string(),
        Keys::Many(vec!["ctrl-q".into(), "q".into()]),
    );
    let (keymap, problems) = Keymap::with_overrides(&o);
    assert!(problems.is_empty());
    let mut a = App::new(
        Document::example(),
        Options {
            keymap,
            ..Options::default()
        },
    );
    assert_help_matches(&mut a);
    let text = help_text(&mut a);
    assert!(text.contains(" U "));
    assert!(text.contains("ctrl-q q"));
    assert!(!text.contains("search services by name"));
}

// ------------------------------------------------------------ sizes

#[test]
fn no_size_panics_in_any_mode() {
    let sizes_w = [
        0u16, 1, 2, 3, 5, 8, 12, 20, 33, 50, 71, 72, 80, 99, 100, 121, 200,
    ];
    let sizes_h = [0u16, 1, 2, 3, 4, 6, 9, 15, 16, 24, 27, 28, 40, 61];
    let setups: Vec<(&str, Box<dyn Fn(&mut App)>)> = vec![
        ("normal", Box::new(|_| {})),
        ("help", Box::new(|a| a.act(Action::Help))),
        ("palette", Box::new(|a| a.act(Action::Add))),
        (
            "connect",
            Box::new(|a| {
                a.select("Worker");
                a.act(Action::Connect);
                key(a, KeyCode::Right);
            }),
        ),
        ("prompt", Box::new(|a| a.act(Action::Command))),
        (
            "code",
            Box::new(|a| {
                a.act(Action::FocusCode);
                a.act(Action::Activate);
            }),
        ),
        (
            "scrolled",
            Box::new(|a| {
                for _ in 0..30 {
                    a.act(Action::PanRight);
                    a.act(Action::PanDown);
                }
            }),
        ),
    ];
    for (name, setup) in &setups {
        let mut a = app();
        a.settle();
        setup(&mut a);
        for &w in &sizes_w {
            for &h in &sizes_h {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                if let Err(e) = tui::frame(&mut t, &mut a) {
                    panic!("{name} at {w}x{h}: {e}");
                }
            }
        }
    }
}

#[test]
fn the_event_loop_drains_input_and_stops_at_quit() {
    let mut a = app();
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let ev = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut events = tui::Script(
        [
            ev(':'),
            ev('q'),
            Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            ev('z'),
        ]
        .into_iter()
        .collect(),
    );
    tui::run_app(&mut t, &mut a, &mut events).unwrap();
    assert!(a.quit);
    // The key after the quit was never handled.
    assert_eq!(events.0.len(), 1);
}

#[test]
fn the_message_log_keeps_every_message_in_full() {
    let mut a = app();
    let long = format!(
        "set Worker Description = {}",
        "word ".repeat(40) + "THE-END"
    );
    a.run_command(&long);
    a.run_command("frobnicate");
    assert!(a.log.len() >= 3, "{:?}", a.log);
    assert!(a.log.iter().any(|m| m.text.contains("THE-END")));
    // At 80 columns the status line cuts it; the log shows it whole.
    let t = render(&mut a, 80, 24);
    assert!(find(&t, "THE-END").is_none(), "the status line was not cut");
    a.handle(&Event::Key(KeyEvent::new(
        KeyCode::Char('M'),
        KeyModifiers::SHIFT,
    )));
    assert!(matches!(a.mode, Mode::Messages { .. }));
    let t = render(&mut a, 80, 24);
    assert!(find(&t, "THE-END").is_some(), "{}", rows(&t).join("\n"));
    assert!(find(&t, "frobnicate").is_some(), "{}", rows(&t).join("\n"));
    a.handle(&Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(matches!(a.mode, Mode::Normal));
    a.run_command("messages");
    assert!(matches!(a.mode, Mode::Messages { .. }));
}

#[test]
fn an_arrow_the_code_cannot_hold_is_drawn_dashed_after_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n      Role: arn:aws:iam::123456789012:role/fixed\n      Code: {ZipFile: 'def handler(e, c): pass'}\n",
    )
    .unwrap();
    let mut a = App::new(Document::open(&path).unwrap(), Options::default());
    for line in ["add queue Jobs", "connect Fn Jobs", "w"] {
        key(&mut a, KeyCode::Char(':'));
        typ(&mut a, line);
        key(&mut a, KeyCode::Enter);
        // Each step on screen, as in the terminal.
        render(&mut a, 120, 30);
    }
    let t = render(&mut a, 120, 30);
    let screen = rows(&t).join("\n");
    assert!(screen.contains('╌'), "{screen}");
    let said = a.message.clone().map(|m| m.text).unwrap_or_default();
    assert!(said.contains("not in the code yet"), "{said}");
}

// ------------------------------------------------------------ moving boxes

fn placements(a: &App) -> BTreeMap<String, (usize, usize)> {
    a.derived
        .scene
        .layout
        .boxes
        .iter()
        .map(|b| (b.id.clone(), (b.x, b.y)))
        .collect()
}

#[test]
fn moving_one_box_leaves_the_others_where_they_are_and_undoes_in_one_step() {
    let mut a = app();
    render(&mut a, 160, 40);
    let before = placements(&a);
    let arrows = |a: &App| -> BTreeMap<(String, String), Vec<(usize, usize)>> {
        a.derived
            .scene
            .layout
            .edges
            .iter()
            .filter(|e| e.from != "Uploads" && e.to != "Uploads")
            .map(|e| ((e.from.clone(), e.to.clone()), e.points.clone()))
            .collect()
    };
    let paths = arrows(&a);
    a.select("Uploads");
    a.act(Action::MoveDown);
    a.act(Action::MoveDown);
    render(&mut a, 160, 40);
    let after = placements(&a);
    for (id, at) in &before {
        if id == "Uploads" {
            assert_ne!(after[id], *at, "the moved box moves");
        } else {
            assert_eq!(after[id], *at, "{id} stays where it was drawn");
        }
    }
    assert_eq!(
        arrows(&a),
        paths,
        "arrows between boxes that stayed keep their paths"
    );
    a.act(Action::Undo);
    a.act(Action::Undo);
    assert!(!a.doc.is_dirty(), "two undos take back both moves");
    assert!(
        a.doc.sketch.services().all(|s| s.position.is_none()),
        "no box is left placed by hand"
    );
}

#[test]
fn an_edit_reaches_the_canvas_first_and_the_code_before_the_next_key() {
    let mut a = app();
    render(&mut a, 160, 40);
    a.run_command("add queue Probe");
    let mut t = Terminal::new(TestBackend::new(160, 40)).unwrap();
    tui::frame_first(&mut t, &mut a).unwrap();
    assert!(a.derived.scene.layout.box_of("Probe").is_some());
    assert!(a.behind(), "the code and the cost wait for the next frame");
    assert!(!a.derived.code.text.contains("Probe:"));
    // Any key catches them up before it is handled.
    key(&mut a, KeyCode::Esc);
    assert!(!a.behind());
    assert!(a.derived.code.text.contains("Probe:"));
}

#[test]
fn a_group_collapses_into_one_box_and_expands_again() {
    let mut a = app();
    a.run_command("group Enqueue intake");
    a.run_command("group JobQueue intake");
    render(&mut a, 160, 40);
    a.select("Enqueue");
    a.act(Action::Collapse);
    render(&mut a, 160, 40);
    let v = &a.derived.view;
    let group = v.node("intake").expect("the group is one box");
    assert_eq!(group.heading(), "group");
    assert!(v.node("Enqueue").is_none() && v.node("JobQueue").is_none());
    let arrows: Vec<(&str, &str)> = v
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert!(arrows.contains(&("Uploads", "intake")), "{arrows:?}");
    assert!(arrows.contains(&("intake", "Worker")), "{arrows:?}");
    assert!(!arrows.contains(&("intake", "intake")), "{arrows:?}");
    assert_eq!(a.selected.as_deref(), Some("intake"));
    assert!(a.derived.scene.layout.box_of("intake").is_some());
    // The code does not change: collapsing changes only the picture.
    let code = a.derived.code.text.clone();
    a.act(Action::Collapse);
    render(&mut a, 160, 40);
    assert!(a.derived.view.node("intake").is_none());
    assert!(a.derived.view.node("Enqueue").is_some());
    assert_eq!(a.derived.code.text, code);

    // A sketch can say a group starts collapsed.
    let mut sketch = a.doc.sketch.clone();
    sketch.groups.get_mut("intake").unwrap().collapsed = true;
    let mut b = App::new(
        Document::from_sketch(sketch, None, Origin::Sketch),
        Options::default(),
    );
    render(&mut b, 160, 40);
    assert!(b.derived.view.node("intake").is_some());
}
