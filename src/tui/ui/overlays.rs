//! Popups over the panes: the help (generated from the keymap in force),
//! the catalog palette and the connect picker.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{border_set, put_line};
use crate::layout::text::glyph;
use crate::tui::action::Section;
use crate::tui::app::{App, Connecting, Palette};

/// Commands the `:` line takes besides the command language.
pub const APP_COMMANDS: &[(&str, &str)] = &[
    (
        "w [PATH]",
        "save; to a template or folder only what changed, layout beside it",
    ),
    (
        "w DIR/",
        "write a Terraform folder (a SAM sketch is translated)",
    ),
    ("w! PATH", "save over a file that is not this one"),
    ("e PATH", "open another file (e! drops unsaved changes)"),
    (
        "new [PATH]",
        "start an empty sketch; :w creates PATH (.yaml, .tf, DIR, .sketch.yaml)",
    ),
    (
        "export FORMAT PATH",
        "write sam, terraform, mermaid, dot, json or sketch",
    ),
    ("q", "quit; refuses while there are unsaved changes"),
    ("q!", "quit without saving"),
    ("wq", "save and quit"),
    ("level LEVEL", "system, service or resource"),
    ("lang sam|terraform", "the language of the code pane"),
    ("theme NAME", "dark, light, high-contrast, monochrome"),
    ("budget USD", "the monthly budget for the cost pane"),
];

/// What the canvas's strokes and glyphs mean, drawn with the glyphs in use.
fn legend_lines(app: &App) -> Vec<Line<'static>> {
    use crate::canvas::Stroke;
    let t = &app.theme;
    let head = if app.ascii { ">" } else { "▶" };
    let mut out = vec![Line::from(Span::styled(
        "Legend".to_string(),
        t.title_focus,
    ))];
    for (stroke, what) in [
        (Stroke::Heavy, "sets off: trigger, route, invoke, subscribe"),
        (Stroke::Light, "data: read, write, publish"),
        (Stroke::Dotted, "watches or refers: log, auth, ref"),
        (Stroke::Dashed, "drawn, not in the code yet (:w says why)"),
        (
            Stroke::Inferred,
            "inferred: a call in the handler code, or a guess",
        ),
    ] {
        let (across, _) = stroke.chars(app.ascii);
        out.push(Line::from(vec![
            Span::styled(format!("  {across}{across}{across}{head}  "), t.edge),
            Span::styled(what.to_string(), t.help_text),
        ]));
    }
    // Box glyphs, several to a line.
    let mut spans: Vec<Span<'static>> = vec![Span::raw("  ")];
    let mut width = 2;
    for k in crate::catalog::Kind::all().filter(|k| !k.is_glue() && !k.is_generic()) {
        let item = format!("{} {}   ", glyph(k, app.ascii), k.word());
        let w = item.chars().count();
        if width + w > 70 {
            out.push(Line::from(std::mem::replace(
                &mut spans,
                vec![Span::raw("  ")],
            )));
            width = 2;
        }
        width += w;
        spans.push(Span::styled(item, t.help_text));
    }
    if spans.len() > 1 {
        out.push(Line::from(spans));
    }
    out.push(Line::default());
    out
}

/// Every line of the help, from the keymap in force.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = legend_lines(app);
    let key_w = Section::ALL
        .iter()
        .flat_map(|s| app.keymap.help_rows(*s))
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(8)
        .min(26);
    for s in Section::ALL {
        out.push(Line::from(Span::styled(
            s.title().to_string(),
            t.title_focus,
        )));
        for (keys, help) in app.keymap.help_rows(s) {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<key_w$}  "), t.help_key),
                Span::styled(help.to_string(), t.help_text),
            ]));
        }
        out.push(Line::default());
    }
    out.push(Line::from(Span::styled(
        "The command line (:)".to_string(),
        t.title_focus,
    )));
    let cmd_w = APP_COMMANDS
        .iter()
        .chain(crate::command::HELP)
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(10);
    for (c, help) in APP_COMMANDS.iter().chain(crate::command::HELP) {
        out.push(Line::from(vec![
            Span::styled(format!("  {c:<cmd_w$}  "), t.help_key),
            Span::styled(help.to_string(), t.help_text),
        ]));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        format!(
            "In prompts: enter runs, esc closes, {} recall earlier commands.",
            super::symbols(app.ascii).updown
        ),
        t.hint,
    )));
    out.push(Line::from(Span::styled(
        "Mouse: click selects, drag moves a box (or pans), the wheel pans.".to_string(),
        t.hint,
    )));
    out
}

/// A rect of at most `w`×`h` centred in `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn popup<'a>(app: &App, title: String) -> Block<'a> {
    Block::bordered()
        .border_set(border_set(app))
        .border_style(app.theme.border_focus)
        .style(app.theme.base)
        .title(Span::styled(title, app.theme.title_focus))
}

pub fn help(f: &mut Frame, app: &App, scroll: u16) {
    let area = f.area();
    let lines = help_lines(app);
    let widest = lines.iter().map(Line::width).max().unwrap_or(40) as u16;
    let r = centred(
        area,
        widest.saturating_add(2).max(40),
        area.height.saturating_sub(2).max(3),
    );
    if r.width < 3 || r.height < 3 {
        return;
    }
    let close = app
        .keymap
        .key_of(crate::tui::action::Action::Help)
        .unwrap_or_else(|| "esc".into());
    f.render_widget(Clear, r);
    let block = popup(app, " Keys ".into()).title_bottom(
        Line::from(Span::styled(
            format!(
                " j/k scroll {} {close} closes ",
                super::symbols(app.ascii).dot
            ),
            app.theme.hint,
        ))
        .right_aligned(),
    );
    let inner = block.inner(r);
    f.render_widget(block, r);
    let max = (lines.len() as u16).saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}

/// Cuts text into lines of at most `width` columns, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    for word in text.split_inclusive(' ') {
        let ww: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if w + ww.min(width) > width && !line.is_empty() {
            out.push(std::mem::take(&mut line).trim_end().to_string());
            w = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > width {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            line.push(c);
            w += cw;
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line.trim_end().to_string());
    }
    out
}

/// The message log: every message in full, wrapped, newest last.
pub fn messages(f: &mut Frame, app: &App, scroll: u16) {
    let t = &app.theme;
    let area = f.area();
    let r = centred(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2).max(3),
    );
    if r.width < 6 || r.height < 3 {
        return;
    }
    f.render_widget(Clear, r);
    let close = app
        .keymap
        .key_of(crate::tui::action::Action::Messages)
        .unwrap_or_else(|| "esc".into());
    let block = popup(app, format!(" Messages ({}) ", app.log.len())).title_bottom(
        Line::from(Span::styled(
            format!(
                " j/k scroll {} {close} or esc closes ",
                super::symbols(app.ascii).dot
            ),
            app.theme.hint,
        ))
        .right_aligned(),
    );
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines: Vec<Line> = Vec::new();
    for m in &app.log {
        let style = match m.tone {
            crate::tui::app::Tone::Info => t.help_text,
            crate::tui::app::Tone::Error => t.help_text.patch(t.error),
        };
        for (i, l) in wrap(&m.text, inner.width.saturating_sub(2) as usize)
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "• " } else { "  " };
            let lead = if app.ascii && i == 0 { "* " } else { lead };
            lines.push(Line::from(vec![
                Span::styled(lead, t.help_key),
                Span::styled(l, style),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("no messages yet", t.hint)));
    }
    let h = inner.height as usize;
    let bottom = lines.len().saturating_sub(h);
    let top = bottom.saturating_sub(scroll as usize);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(h).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

/// The offer of work kept from an earlier run.
pub fn recover(f: &mut Frame, app: &App, r: &crate::tui::recovery::Recovery) {
    let t = &app.theme;
    let what = match &app.doc.path {
        Some(p) => crate::model::inert_line(&p.display().to_string()).to_string(),
        None => "a sketch with no file".to_string(),
    };
    let lines = vec![
        Line::from(Span::styled(
            format!(
                "{what} had unsaved changes when stacksketch ended ({}).",
                r.age()
            ),
            t.help_text,
        )),
        Line::from(Span::styled(
            format!(
                "Kept: {} services, {} connections.",
                r.sketch.len(),
                r.sketch.connections().count()
            ),
            t.help_text,
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled("  r  ", t.help_key),
            Span::styled("recover them (then :w saves)", t.help_text),
        ]),
        Line::from(vec![
            Span::styled("  d  ", t.help_key),
            Span::styled("discard them", t.help_text),
        ]),
        Line::from(vec![
            Span::styled("  esc", t.help_key),
            Span::styled("  decide later (offered again next time)", t.help_text),
        ]),
    ];
    let widest = lines.iter().map(Line::width).max().unwrap_or(40) as u16;
    let r = centred(f.area(), widest.saturating_add(4), lines.len() as u16 + 2);
    if r.width < 6 || r.height < 4 {
        return;
    }
    f.render_widget(Clear, r);
    let block = popup(app, " Recover unsaved work? ".into());
    let inner = block.inner(r);
    f.render_widget(block, r);
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn palette(f: &mut Frame, app: &App, p: &Palette) {
    let t = &app.theme;
    let area = f.area();
    let r = centred(area, 64, 22);
    if r.width < 6 || r.height < 4 {
        return;
    }
    f.render_widget(Clear, r);
    let block = popup(app, " Add a service ".into());
    let inner = block.inner(r);
    f.render_widget(block, r);
    put_line(
        f,
        inner,
        0,
        Line::from(vec![
            Span::styled(format!("{} ", super::symbols(app.ascii).prompt), t.help_key),
            Span::styled(p.input.text().to_string(), t.name),
        ]),
        None,
    );
    f.set_cursor_position(Position::new(
        (inner.x + 2 + p.input.cursor() as u16).min(inner.right().saturating_sub(1)),
        inner.y,
    ));
    let rows = inner.height.saturating_sub(1) as usize;
    let first = p.cursor.saturating_sub(rows.saturating_sub(1));
    for (row, (k, m)) in p.ranked.iter().enumerate().skip(first).take(rows) {
        let kind = p.kinds[*k];
        let e = kind.entry();
        let mut spans = vec![Span::styled(
            format!(" {} ", glyph(kind, app.ascii)),
            t.category(kind.category()),
        )];
        for (i, c) in e.word.chars().enumerate() {
            let style = if m.positions.contains(&i) {
                t.found
            } else {
                t.name
            };
            spans.push(Span::styled(c.to_string(), style));
        }
        spans.push(Span::raw(
            " ".repeat(14usize.saturating_sub(e.word.chars().count())),
        ));
        spans.push(Span::styled(e.title.to_string(), t.detail));
        if !e.aliases.is_empty() {
            spans.push(Span::styled(format!("  {}", e.aliases.join(" ")), t.hint));
        }
        let highlight = row == p.cursor;
        put_line(
            f,
            inner,
            (row - first + 1) as u16,
            Line::from(spans),
            highlight.then_some(t.selection),
        );
    }
    if p.ranked.is_empty() {
        put_line(
            f,
            inner,
            1,
            Line::from(Span::styled(" no kind matches", t.hint)),
            None,
        );
    }
}

pub fn connect(f: &mut Frame, app: &App, c: &Connecting) {
    let t = &app.theme;
    let area = f.area();
    let h = (c.candidates.len() as u16 + 3).clamp(4, 14);
    // Low on the screen, so the canvas above stays visible.
    let w = 56.min(area.width);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.bottom().saturating_sub(h + 1),
        w,
        h.min(area.height),
    );
    if r.width < 6 || r.height < 3 {
        return;
    }
    f.render_widget(Clear, r);
    let block = popup(app, format!(" Connect {} to ", c.from));
    let inner = block.inner(r);
    f.render_widget(block, r);
    put_line(
        f,
        inner,
        0,
        Line::from(vec![
            Span::styled(format!("{} ", super::symbols(app.ascii).prompt), t.help_key),
            Span::styled(c.input.text().to_string(), t.name),
        ]),
        None,
    );
    f.set_cursor_position(Position::new(
        (inner.x + 2 + c.input.cursor() as u16).min(inner.right().saturating_sub(1)),
        inner.y,
    ));
    let rows = inner.height.saturating_sub(1) as usize;
    let at = c
        .target
        .as_ref()
        .and_then(|tg| c.candidates.iter().position(|(id, _)| id == tg))
        .unwrap_or(0);
    let first = at.saturating_sub(rows.saturating_sub(1));
    for (row, (id, _)) in c.candidates.iter().enumerate().skip(first).take(rows) {
        let kind = app.doc.sketch.service(id).map(|s| s.kind);
        let natural = kind.and_then(|k| {
            app.doc
                .sketch
                .service(&c.from)
                .and_then(|s| s.kind.natural_connection(k))
        });
        let line = Line::from(vec![
            Span::styled(
                format!(
                    " {} ",
                    kind.map(|k| glyph(k, app.ascii)).unwrap_or_default()
                ),
                kind.map(|k| t.category(k.category())).unwrap_or(t.base),
            ),
            Span::styled(id.clone(), t.name),
            Span::styled(
                natural
                    .map(|k| format!("  {k}"))
                    .unwrap_or_else(|| "  ref".to_string()),
                t.detail,
            ),
        ]);
        let highlight = c.target.as_deref() == Some(id.as_str());
        put_line(
            f,
            inner,
            (row - first + 1) as u16,
            line,
            highlight.then_some(t.selection),
        );
    }
}
