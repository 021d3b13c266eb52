//! Drawing: `draw(&App)` paints a frame and changes nothing. Where panes go
//! is a pure function of the terminal size and the focus ([`areas`]), so
//! input handling can use the same geometry (mouse clicks, keeping the
//! selection in view) without drawing.

mod canvas;
mod code;
mod cost;
pub mod history;
mod lists;
pub mod overlays;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::action::Action;
use super::app::{App, Mode, Pane, Tone};
use crate::model::{inert_line, is_unsafe};

/// The few symbols the chrome uses, with plain stand-ins for `--ascii`.
pub struct Symbols {
    pub dot: &'static str,
    pub out: &'static str,
    pub inc: &'static str,
    pub warn: &'static str,
    pub prompt: &'static str,
    pub updown: &'static str,
}

const UNICODE: Symbols = Symbols {
    dot: "·",
    out: "→",
    inc: "←",
    warn: "⚠",
    prompt: "›",
    updown: "↑↓",
};

const ASCII: Symbols = Symbols {
    dot: "-",
    out: "->",
    inc: "<-",
    warn: "!",
    prompt: ">",
    updown: "up/down",
};

pub fn symbols(ascii: bool) -> &'static Symbols {
    if ascii { &ASCII } else { &UNICODE }
}

/// Where everything goes on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Areas {
    /// The tab bar, when the panes do not all fit.
    pub tabs: Option<Rect>,
    pub panes: Vec<(Pane, Rect)>,
    pub status: Rect,
}

/// Below this size the panes become tabs.
pub const ALL_PANES: (u16, u16) = (100, 28);
/// Below this size only one pane shows at a time.
pub const TWO_PANES: (u16, u16) = (72, 16);

pub fn areas(app: &App) -> Areas {
    areas_in(Rect::new(0, 0, app.size.0, app.size.1), app)
}

pub fn areas_in(full: Rect, app: &App) -> Areas {
    let [body, status] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(full);
    let status = if full.height == 0 {
        Rect::default()
    } else {
        status
    };
    // Editing code takes the whole body: a template needs the room.
    if matches!(app.mode, Mode::Code(_)) {
        return Areas {
            tabs: None,
            panes: vec![(Pane::Code, body)],
            status,
        };
    }
    if full.width >= ALL_PANES.0 && full.height >= ALL_PANES.1 {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(body);
        let [canvas, right] =
            Layout::horizontal([Constraint::Percentage(64), Constraint::Fill(1)]).areas(top);
        let [graph, inspector] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)]).areas(right);
        let [code, cost] =
            Layout::horizontal([Constraint::Percentage(64), Constraint::Fill(1)]).areas(bottom);
        return Areas {
            tabs: None,
            panes: vec![
                (Pane::Canvas, canvas),
                (Pane::Graph, graph),
                (Pane::Inspector, inspector),
                (Pane::Code, code),
                (Pane::Cost, cost),
            ],
            status,
        };
    }
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
    let tabs = (body.height > 0 || tabs.height > 0).then_some(tabs);
    if full.width >= TWO_PANES.0 && full.height >= TWO_PANES.1 {
        let [canvas, side] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
        let side_pane = if app.focus == Pane::Canvas {
            app.side
        } else {
            app.focus
        };
        return Areas {
            tabs,
            panes: vec![(Pane::Canvas, canvas), (side_pane, side)],
            status,
        };
    }
    Areas {
        tabs,
        panes: vec![(app.focus, body)],
        status,
    }
}

/// Inside a pane's border.
pub fn inner(r: Rect) -> Rect {
    Block::bordered().inner(r)
}

pub fn pane_rect(app: &App, pane: Pane) -> Option<Rect> {
    areas(app)
        .panes
        .into_iter()
        .find(|(p, _)| *p == pane)
        .map(|(_, r)| r)
}

pub fn pane_inner(app: &App, pane: Pane) -> Option<Rect> {
    pane_rect(app, pane).map(inner)
}

/// The canvas cells on screen (width, height), when the canvas is shown.
pub fn canvas_viewport(app: &App) -> Option<(u16, u16)> {
    pane_inner(app, Pane::Canvas).map(|r| (r.width, r.height))
}

/// Each tab's label and its columns.
fn tab_spans(app: &App, tabs: Rect) -> Vec<(Pane, String, u16, u16)> {
    let mut x = tabs.x;
    let mut out = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, p.title());
        let w = label.chars().count() as u16;
        out.push((*p, label, x, w));
        x = x.saturating_add(w + 1);
    }
    let _ = app;
    out
}

/// The pane whose tab is at a screen cell.
pub fn tab_at(app: &App, at: (u16, u16)) -> Option<Pane> {
    let tabs = areas(app).tabs?;
    if at.1 != tabs.y {
        return None;
    }
    tab_spans(app, tabs)
        .into_iter()
        .find(|(_, _, x, w)| at.0 >= *x && at.0 < x + w)
        .map(|(p, ..)| p)
}

/// The border of a pane, plain ASCII under `--ascii`.
pub fn border_set(app: &App) -> border::Set<'static> {
    if app.ascii {
        border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    } else {
        border::PLAIN
    }
}

/// A pane's frame and title; the focused pane stands out.
pub fn pane_block<'a>(app: &App, pane: Pane, extra: &str) -> Block<'a> {
    let focused = app.focus == pane;
    let t = &app.theme;
    let (border_style, title_style) = if focused {
        (t.border_focus, t.title_focus)
    } else {
        (t.border, t.title)
    };
    let mut title = vec![Span::styled(format!(" {} ", pane.title()), title_style)];
    if !extra.is_empty() {
        title.push(Span::styled(format!("{extra} "), t.hint));
    }
    Block::bordered()
        .border_set(border_set(app))
        .border_style(border_style)
        .title(Line::from(title))
}

/// Draws one frame.
pub fn draw(f: &mut Frame, app: &App) {
    let full = f.area();
    f.render_widget(Block::new().style(app.theme.base), full);
    if let Mode::History(t) = &app.mode {
        let [_, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(full);
        history::draw(f, app, t, full);
        draw_status(f, app, status);
        scrub(f.buffer_mut());
        return;
    }
    let a = areas_in(full, app);
    if let Some(tabs) = a.tabs {
        draw_tabs(f, app, tabs);
    }
    for (pane, rect) in &a.panes {
        if rect.width == 0 || rect.height == 0 {
            continue;
        }
        match pane {
            Pane::Canvas => canvas::draw(f, app, *rect),
            Pane::Graph => lists::draw_graph(f, app, *rect),
            Pane::Inspector => lists::draw_inspector(f, app, *rect),
            Pane::Code => code::draw(f, app, *rect),
            Pane::Cost => cost::draw(f, app, *rect),
        }
    }
    draw_status(f, app, a.status);
    match &app.mode {
        Mode::Help { scroll } => overlays::help(f, app, *scroll),
        Mode::Palette(p) => overlays::palette(f, app, p),
        Mode::Connect(c) => overlays::connect(f, app, c),
        Mode::Recover(r) => overlays::recover(f, app, r),
        Mode::Messages { scroll } => overlays::messages(f, app, *scroll),
        _ => {}
    }
    scrub(f.buffer_mut());
}

/// Drops what could still act on the terminal from every cell: ratatui
/// leaves out control characters but keeps zero-width ones, bidirectional
/// overrides among them, with the cell before.
fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.symbol().chars().any(is_unsafe) {
            let clean: String = cell.symbol().chars().filter(|&c| !is_unsafe(c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

fn draw_tabs(f: &mut Frame, app: &App, tabs: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    for (pane, label, _, _) in tab_spans(app, tabs) {
        let style = if pane == app.focus {
            t.tab_active
        } else {
            t.tab
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
}

fn prompt_label(ask: &super::app::Ask) -> String {
    use super::app::Ask;
    use super::derived::Field;
    match ask {
        Ask::Command => ":".to_string(),
        Ask::Search => "/".to_string(),
        Ask::Name(k) => format!("name of the new {}: ", k.word()),
        Ask::Rename(id) => format!("rename {id} to: "),
        Ask::Property { id, path } => format!("{id} {} = ", path.join(".")),
        Ask::NewProperty(id) => format!("new property of {id} (KEY VALUE): "),
        Ask::Field { id, field } => format!(
            "{} of {id}: ",
            match field {
                Field::Label => "label",
                Field::Group => "group",
            }
        ),
    }
}

fn key_hint(app: &App, action: Action, what: &str) -> Option<String> {
    app.keymap.key_of(action).map(|k| format!("{k} {what}"))
}

fn draw_status(f: &mut Frame, app: &App, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let t = &app.theme;
    f.render_widget(Block::new().style(t.status), area);
    if let Mode::Prompt(p) = &app.mode {
        let label = prompt_label(&p.ask);
        let line = Line::from(vec![
            Span::styled(label.clone(), t.status),
            Span::styled(p.input.text().to_string(), t.status),
        ]);
        // Keep the cursor on screen when the text is longer than the line.
        let before: usize = label.chars().count() + p.input.cursor();
        let skip = before.saturating_sub(area.width.saturating_sub(1) as usize);
        f.render_widget(Paragraph::new(line).scroll((0, skip as u16)), area);
        let x = area.x + (before - skip).min(area.width.saturating_sub(1) as usize) as u16;
        f.set_cursor_position(Position::new(x, area.y));
        return;
    }
    let mut right = format!("  {}", app.title());
    if app.is_dirty() {
        right.push_str(" [+]");
    }
    let s = symbols(app.ascii);
    right.push_str(&format!(" {} {} ", s.dot, app.level.word()));
    let right_w = right.chars().count() as u16;
    let (left, style) = match (&app.message, &app.mode) {
        (_, Mode::Palette(_)) => (
            format!(
                "type to filter {d} {} choose {d} enter picks {d} esc closes",
                s.updown,
                d = s.dot
            ),
            t.status,
        ),
        (_, Mode::Connect(_)) => (
            format!(
                "arrows pick by direction {d} type a name [kind] {d} tab next {d} enter connects {d} esc",
                d = s.dot
            ),
            t.status,
        ),
        (_, Mode::Code(_)) => (
            format!("editing code {d} ctrl-s applies {d} esc leaves", d = s.dot),
            t.status,
        ),
        (Some(m), _) => (
            m.text.clone(),
            match m.tone {
                Tone::Info => t.status.patch(t.message),
                Tone::Error => t.status.patch(t.error),
            },
        ),
        (None, _) => {
            let hints: Vec<String> = [
                (Action::Help, "help"),
                (Action::Command, "command"),
                (Action::Add, "add"),
                (Action::Connect, "connect"),
                (Action::NextPane, "pane"),
                (Action::Quit, "quit"),
            ]
            .iter()
            .filter_map(|(a, w)| key_hint(app, *a, w))
            .collect();
            (hints.join(&format!(" {} ", s.dot)), t.status.patch(t.hint))
        }
    };
    let dirty_style = if app.is_dirty() {
        t.status_dirty
    } else {
        t.status
    };
    // A message that does not fit beside the file name gets the whole line.
    let room = (area.width as usize).saturating_sub(right_w as usize + 1);
    let message_wins = app.message.is_some() && left.chars().count() + 1 > room;
    if area.width > right_w + 8 && !message_wins {
        let [l, r] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_w)]).areas(area);
        f.render_widget(Paragraph::new(Span::styled(format!(" {left}"), style)), l);
        f.render_widget(Paragraph::new(Span::styled(right, dirty_style)), r);
    } else {
        f.render_widget(Paragraph::new(Span::styled(left, style)), area);
    }
}

/// A line's text padded or cut to a width, for rows that are highlighted
/// across the whole pane.
pub fn fit(text: &str, width: usize) -> String {
    let mut out: String = inert_line(text).chars().take(width).collect();
    let n = out.chars().count();
    out.extend(std::iter::repeat_n(' ', width - n));
    out
}

/// Writes spans into one row of a rect, clipped.
pub fn put_line(f: &mut Frame, area: Rect, row: u16, line: Line, fill: Option<Style>) {
    if row >= area.height {
        return;
    }
    let r = Rect::new(area.x, area.y + row, area.width, 1);
    if let Some(s) = fill {
        f.buffer_mut().set_style(r, s);
    }
    let line = Line {
        spans: line
            .spans
            .into_iter()
            .map(|mut s| {
                if let std::borrow::Cow::Owned(t) = inert_line(&s.content) {
                    s.content = t.into();
                }
                s
            })
            .collect(),
        ..line
    };
    f.buffer_mut().set_line(r.x, r.y, &line, r.width);
    if let Some(s) = fill {
        f.buffer_mut().set_style(r, s);
    }
}
