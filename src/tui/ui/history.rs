//! The history view: one version of the file drawn against the one before
//! it, marks coloured by theme (and told by `+`, `-`, `~` in the text, so
//! they read without colour), what changed listed beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::canvas::role_style;
use crate::diff::picture::Mark;
use crate::tui::app::App;
use crate::tui::timeline::Timeline;

/// The canvas and the report, side by side when there is room.
fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= 100 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)])
            .areas(area);
        (a, b)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(area);
        (a, b)
    }
}

/// The whole screen but the status line.
fn body(full: Rect) -> Rect {
    let [main, _] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(full);
    main
}

/// The cells (columns, rows) the history's canvas shows on a screen of
/// `size`, so input handling can fit the picture and keep the scroll in it.
pub fn canvas_size(size: (u16, u16)) -> (u16, u16) {
    let (canvas, _) = split(body(Rect::new(0, 0, size.0, size.1)));
    let inner = super::inner(canvas);
    (inner.width, inner.height)
}

pub fn draw(f: &mut Frame, app: &App, t: &Timeline, full: Rect) {
    let (canvas, report) = split(body(full));
    let th = &app.theme;
    let d = super::symbols(app.ascii).dot;
    let v = &t.versions[t.at];
    let title = format!(
        " history {} of {} {d} {} ",
        t.steps() - t.at,
        t.steps(),
        v.heading(d)
    );
    let mut block = Block::bordered()
        .border_set(super::border_set(app))
        .border_style(th.border_focus)
        .title(Span::styled(title, th.title_focus));
    let inner = block.inner(canvas);
    if let Some(grid) = t.shown.as_ref().map(|s| &s.scene.grid)
        && (grid.width > inner.width as usize || grid.height > inner.height as usize)
    {
        block = block.title_bottom(
            Line::from(Span::styled(
                super::canvas::scroll_text(app, t.scroll, inner, (grid.width, grid.height)),
                th.hint,
            ))
            .right_aligned(),
        );
    }
    f.render_widget(block, canvas);
    let Some(shown) = &t.shown else {
        let text = t.problem.clone().unwrap_or_default();
        f.render_widget(
            Paragraph::new(Span::styled(text, th.error)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    };
    let grid = &shown.scene.grid;
    let (sx, sy) = t.scroll;
    let buf = f.buffer_mut();
    for dy in 0..inner.height {
        for dx in 0..inner.width {
            let (gx, gy) = (sx + dx as usize, sy + dy as usize);
            if gx >= grid.width || gy >= grid.height {
                continue;
            }
            let cell = grid.cell(gx, gy);
            let mut style = th.base.patch(role_style(th, cell.role));
            if let Some(m) = shown.scene.marks.get(&(gx, gy)) {
                style = style.patch(match m {
                    Mark::Added => th.added,
                    Mark::Removed => th.removed,
                    Mark::Changed => th.changed,
                });
            }
            if let Some(c) = buf.cell_mut((inner.x + dx, inner.y + dy)) {
                let mut b = [0u8; 4];
                c.set_symbol(cell.ch.encode_utf8(&mut b)).set_style(style);
            }
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    if shown.empty {
        lines.push(Line::styled(
            "no change at this level since the version before",
            th.hint,
        ));
    }
    if t.at_first() {
        lines.push(Line::styled("the first version: all of it is new", th.hint));
    }
    for l in shown.report.lines() {
        let style = match l.trim_start().chars().next() {
            Some('+') => th.added,
            Some('-') => th.removed,
            Some('~') => th.changed,
            _ => th.base,
        };
        lines.push(Line::styled(l.to_string(), style));
    }
    let block = Block::bordered()
        .border_set(super::border_set(app))
        .border_style(th.border)
        .title(Span::styled(" what changed ", th.title));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((t.report_scroll, 0)),
        report,
    );
}
