//! The canvas pane: the part of the diagram's grid under the scroll, each
//! cell coloured by what it is, the selection and the pick of a connect
//! highlighted, and where the view is in a larger diagram.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane_block;
use crate::canvas::Role;
use crate::layout::BoxPlacement;
use crate::tui::app::{App, Mode, Pane};
use crate::tui::derived::Zoom;
use crate::tui::theme::Theme;

pub fn role_style(t: &Theme, role: Role) -> Style {
    match role {
        Role::Empty => t.base,
        Role::BoxBorder(c) => t.category(c),
        Role::Glyph(c) => t.category(c).add_modifier(Modifier::BOLD),
        Role::Name => t.name,
        Role::Detail => t.detail,
        Role::Edge(_) | Role::Arrow(_) => t.edge,
        Role::EdgeLabel(_) => t.edge_label,
        Role::Frame | Role::FrameLabel => t.frame,
    }
}

/// Which part of a larger picture the pane shows: ` ↔ 0-62 of 80 · ↕ 0-21 of 33 `.
pub fn scroll_text(app: &App, scroll: (usize, usize), inner: Rect, size: (usize, usize)) -> String {
    let (sx, sy) = scroll;
    let d = super::symbols(app.ascii).dot;
    let last = |start: usize, len: u16, total: usize| (start + len as usize).min(total);
    let (h, v) = if app.ascii {
        ("<>", "^v")
    } else {
        ("↔", "↕")
    };
    format!(
        " {h} {}-{} of {} {d} {v} {}-{} of {} ",
        sx,
        last(sx, inner.width, size.0),
        size.0,
        sy,
        last(sy, inner.height, size.1),
        size.1
    )
}

fn within(b: &BoxPlacement, x: usize, y: usize) -> bool {
    b.contains(x, y)
}

pub fn draw(f: &mut Frame, app: &App, rect: Rect) {
    let grid = &app.derived.scene.grid;
    let layout = &app.derived.scene.layout;
    let inner = super::inner(rect);
    let (sx, sy) = app.scroll;
    let d = super::symbols(app.ascii).dot;
    let zoom = app.derived.scene.zoom;
    let mut title = app.canvas_title(d);
    if app.fit {
        title.push_str(&format!(" {d} fit"));
    }
    if zoom != Zoom::Full {
        title.push_str(&format!(" {d} {}", zoom.word()));
    }
    let mut block = pane_block(app, Pane::Canvas, &title);
    if grid.width > inner.width as usize || grid.height > inner.height as usize {
        block = block.title_bottom(
            Line::from(Span::styled(
                scroll_text(app, (sx, sy), inner, (grid.width, grid.height)),
                app.theme.hint,
            ))
            .right_aligned(),
        );
    }
    f.render_widget(block, rect);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if app.derived.view.nodes.is_empty() {
        let text = crate::tui::app::empty_hint(app);
        f.render_widget(
            Paragraph::new(Span::styled(text, app.theme.hint)).wrap(Default::default()),
            inner,
        );
        return;
    }
    let t = &app.theme;
    let selected = app.selected.as_deref().and_then(|id| layout.box_of(id));
    let target = match &app.mode {
        Mode::Connect(c) => c.target.as_deref().and_then(|id| layout.box_of(id)),
        _ => None,
    };
    let source = match &app.mode {
        Mode::Connect(c) => layout.box_of(&c.from),
        _ => None,
    };
    let found: HashSet<&str> = match (&app.mode, &app.search) {
        (Mode::Prompt(p), Some(q)) if p.ask == crate::tui::app::Ask::Search => app
            .derived
            .view
            .nodes
            .iter()
            .filter(|n| crate::tui::fuzzy::score(q, &n.label).is_some())
            .map(|n| n.id.as_str())
            .collect(),
        _ => HashSet::new(),
    };
    let found_boxes: Vec<&BoxPlacement> = layout
        .boxes
        .iter()
        .filter(|b| found.contains(b.id.as_str()))
        .collect();
    let buf = f.buffer_mut();
    for dy in 0..inner.height {
        for dx in 0..inner.width {
            let (gx, gy) = (sx + dx as usize, sy + dy as usize);
            let cell = grid.cell(gx, gy);
            let mut style = t.base.patch(role_style(t, cell.role));
            if target.is_some_and(|b| within(b, gx, gy)) {
                style = style
                    .patch(t.ghost)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED);
            } else if source.is_some_and(|b| within(b, gx, gy))
                || (source.is_none() && selected.is_some_and(|b| within(b, gx, gy)))
            {
                style = style.patch(t.selection);
            } else if found_boxes.iter().any(|b| within(b, gx, gy)) && cell.role == Role::Name {
                style = style.patch(t.found);
            }
            if let Some(c) = buf.cell_mut((inner.x + dx, inner.y + dy)) {
                c.set_char(cell.ch).set_style(style);
            }
        }
    }
    if let Some((map, _)) = &app.derived.scene.minimap {
        minimap(
            buf,
            inner,
            map,
            app.derived.scene.minimap_scale,
            (sx, sy),
            t,
            app.ascii,
            selected.map(|b| {
                (
                    b.x as i64 - sx as i64,
                    b.y as i64 - sy as i64,
                    b.w as i64,
                    b.h as i64,
                )
            }),
        );
    }
    // Where a dragged box will land.
    if let Some(d) = &app.drag {
        if let Some((id, (x, y))) = &d.id {
            if d.now != d.start {
                if let Some(b) = layout.box_of(id) {
                    let nx = *x as i64 + d.now.0 as i64 - d.start.0 as i64 - sx as i64;
                    let ny = *y as i64 + d.now.1 as i64 - d.start.1 as i64 - sy as i64;
                    ghost(buf, inner, nx, ny, b.w, b.h, t.ghost, app.ascii);
                }
            }
        }
    }
}

/// Draws a box outline relative to the pane, clipped to it.
#[allow(clippy::too_many_arguments)]
fn ghost(
    buf: &mut ratatui::buffer::Buffer,
    inner: Rect,
    x: i64,
    y: i64,
    w: usize,
    h: usize,
    style: Style,
    ascii: bool,
) {
    let (across, down, corner) = if ascii {
        ('-', '|', '+')
    } else {
        ('┄', '┆', '+')
    };
    let (w, h) = (w as i64, h as i64);
    let mut put = |px: i64, py: i64, ch: char| {
        if px >= 0 && py >= 0 && px < inner.width as i64 && py < inner.height as i64 {
            if let Some(c) = buf.cell_mut((inner.x + px as u16, inner.y + py as u16)) {
                c.set_char(ch).set_style(style);
            }
        }
    };
    for i in 0..w {
        put(x + i, y, across);
        put(x + i, y + h - 1, across);
    }
    for j in 0..h {
        put(x, y + j, down);
        put(x + w - 1, y + j, down);
    }
    for (cx, cy) in [
        (x, y),
        (x + w - 1, y),
        (x, y + h - 1),
        (x + w - 1, y + h - 1),
    ] {
        put(cx, cy, corner);
    }
}

/// The whole diagram small, in the pane's bottom-right corner (the top
/// right when the selected box is there), with the part the pane shows
/// marked.
fn minimap(
    buf: &mut ratatui::buffer::Buffer,
    inner: Rect,
    map: &crate::canvas::Grid,
    scale: (f64, f64),
    scroll: (usize, usize),
    t: &Theme,
    ascii: bool,
    selected: Option<(i64, i64, i64, i64)>,
) {
    let (mw, mh) = (map.width as u16, map.height as u16);
    if mw + 4 > inner.width || mh + 3 > inner.height {
        return;
    }
    let x0 = inner.x + inner.width - mw;
    let (lx, lw) = (i64::from(inner.width - mw) - 1, i64::from(mw) + 1);
    let (ly, lh) = (i64::from(inner.height - mh) - 1, i64::from(mh) + 1);
    let covers =
        selected.is_some_and(|(x, y, w, h)| x < lx + lw && lx < x + w && y < ly + lh && ly < y + h);
    // A border on the sides that face the diagram.
    let (y0, rule_y, corner) = if covers {
        (inner.y, inner.y + mh, if ascii { '+' } else { '└' })
    } else {
        (
            inner.y + inner.height - mh,
            inner.y + inner.height - mh - 1,
            if ascii { '+' } else { '┌' },
        )
    };
    let (across, down) = if ascii { ('-', '|') } else { ('─', '│') };
    for x in x0 - 1..x0 + mw {
        if let Some(b) = buf.cell_mut((x, rule_y)) {
            b.set_char(across).set_style(t.base.patch(t.hint));
        }
    }
    for y in y0..y0 + mh {
        if let Some(b) = buf.cell_mut((x0 - 1, y)) {
            b.set_char(down).set_style(t.base.patch(t.hint));
        }
    }
    if let Some(b) = buf.cell_mut((x0 - 1, rule_y)) {
        b.set_char(corner).set_style(t.base.patch(t.hint));
    }
    let cell = |v: usize, s: f64| (v as f64 / s) as usize;
    let (vx0, vy0) = (cell(scroll.0, scale.0), cell(scroll.1, scale.1));
    let vx1 = cell(scroll.0 + inner.width as usize, scale.0).max(vx0 + 1);
    let vy1 = cell(scroll.1 + inner.height as usize, scale.1).max(vy0 + 1);
    for y in 0..map.height {
        for x in 0..map.width {
            let c = map.cell(x, y);
            let mut style = t.base.patch(t.hint);
            if matches!(c.role, Role::Glyph(_)) {
                style = t.base.patch(role_style(t, c.role));
            }
            if x >= vx0 && x < vx1 && y >= vy0 && y < vy1 {
                style = style.patch(t.selection);
            }
            if let Some(b) = buf.cell_mut((x0 + x as u16, y0 + y as u16)) {
                b.set_char(c.ch).set_style(style);
            }
        }
    }
}
