//! The graph pane (services, their connections and what looks wrong) and
//! the inspector (the selected service's fields and properties).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{pane_block, put_line};
use crate::analysis::Warning;
use crate::layout::text::glyph;
use crate::tui::app::{App, Pane};
use crate::tui::derived::{GraphRow, InspectorRow};

pub fn draw_graph(f: &mut Frame, app: &App, rect: Rect) {
    let t = &app.theme;
    let n_warn = app.derived.warnings.len();
    let extra = if n_warn > 0 {
        format!(
            "{} {n_warn} warning{}",
            super::symbols(app.ascii).dot,
            if n_warn == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    f.render_widget(pane_block(app, Pane::Graph, &extra), rect);
    let inner = super::inner(rect);
    let view = &app.derived.view;
    let focused = app.focus == Pane::Graph;
    let sym = super::symbols(app.ascii);
    let (warn_mark, out_mark, in_mark) = (sym.warn, sym.out, sym.inc);
    for (row, i) in (app.graph_offset..app.derived.graph.len())
        .take(inner.height as usize)
        .enumerate()
    {
        let line = match &app.derived.graph[i] {
            GraphRow::Heading(text) => Line::from(Span::styled(text.clone(), t.title)),
            GraphRow::Warning(w) => Line::from(vec![
                Span::styled(format!(" {warn_mark} "), t.warning),
                Span::styled(app.derived.warnings[*w].text(out_mark), t.warning),
            ]),
            GraphRow::Service(id) => match view.node(id) {
                Some(n) => {
                    let cat = t.category(n.kind.category());
                    let mut spans = vec![
                        Span::styled(format!(" {} ", glyph(n.kind, app.ascii)), cat),
                        Span::styled(n.label.clone(), t.name),
                        Span::styled(format!("  {}", n.heading()), t.detail),
                    ];
                    let hidden = n.hidden_text();
                    if !hidden.is_empty() {
                        spans.push(Span::styled(format!(" {hidden}"), t.detail));
                    }
                    Line::from(spans)
                }
                None => Line::from(id.clone()),
            },
            GraphRow::Link { at, from, to, kind } => {
                let odd = app.derived.warnings.iter().any(|w| {
                    matches!(w, Warning::Odd { from: a, to: b, kind: k, .. } if a == from && b == to && k == kind)
                });
                let (mark, other, style) = if at == from {
                    (out_mark, to, t.edge)
                } else {
                    (in_mark, from, t.detail)
                };
                Line::from(vec![
                    Span::styled(format!("     {mark} "), style),
                    Span::styled(other.clone(), style),
                    Span::styled(
                        format!("  {kind}"),
                        if odd { t.warning } else { t.edge_label },
                    ),
                ])
            }
            GraphRow::Empty(text) => Line::from(Span::styled(text.clone(), t.hint)),
        };
        let highlight = i == app.graph_cursor && (focused || row_is_selection(app, i));
        put_line(f, inner, row as u16, line, highlight.then_some(t.selection));
    }
}

fn row_is_selection(app: &App, i: usize) -> bool {
    matches!(&app.derived.graph[i], GraphRow::Service(id) if Some(id) == app.selected.as_ref())
}

pub fn draw_inspector(f: &mut Frame, app: &App, rect: Rect) {
    let t = &app.theme;
    f.render_widget(pane_block(app, Pane::Inspector, ""), rect);
    let inner = super::inner(rect);
    let rows = app.inspector_rows();
    let focused = app.focus == Pane::Inspector;
    let sym = super::symbols(app.ascii);
    for (row, i) in (app.inspector_offset..rows.len())
        .take(inner.height as usize)
        .enumerate()
    {
        let line = match &rows[i] {
            InspectorRow::Heading(text) => {
                Line::from(Span::styled(format!(" {text}"), t.title_focus))
            }
            InspectorRow::Service(kind, id) => Line::from(vec![
                Span::styled(
                    format!(" {} ", glyph(*kind, app.ascii)),
                    t.category(kind.category()),
                ),
                Span::styled(id.clone(), t.title_focus),
            ]),
            InspectorRow::Link { out, other, kind } => Line::from(vec![
                Span::styled(
                    format!("  {} ", if *out { sym.out } else { sym.inc }),
                    if *out { t.edge } else { t.detail },
                ),
                Span::styled(other.clone(), t.name),
                Span::styled(format!("  {kind}"), t.edge_label),
            ]),
            InspectorRow::Field { label, value, edit } => Line::from(vec![
                Span::styled(format!(" {label:<10}"), t.detail),
                Span::styled(
                    if value.is_empty() && edit.is_some() {
                        "-".to_string()
                    } else {
                        value.clone()
                    },
                    t.name,
                ),
            ]),
            InspectorRow::Property { path, value } => Line::from(vec![
                Span::styled(format!(" {}", path.join(".")), t.code_key),
                Span::styled(": ", t.detail),
                Span::styled(value.clone(), value_style(t, value)),
            ]),
            InspectorRow::AddProperty => Line::from(Span::styled(" + add a property", t.hint)),
            InspectorRow::Text(text) => Line::from(Span::styled(format!(" {text}"), t.detail)),
        };
        let highlight = focused && i == app.inspector_cursor && rows[i].selectable();
        put_line(f, inner, row as u16, line, highlight.then_some(t.selection));
    }
}

fn value_style(t: &crate::tui::theme::Theme, value: &str) -> Style {
    if value.starts_with('!') {
        t.code_tag
    } else if value.parse::<f64>().is_ok() {
        t.code_number
    } else {
        t.code_string
    }
}
