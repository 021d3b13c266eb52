//! The cost pane: the monthly total against the budget, each priced
//! service (the ones that alone break the budget stand out), and the bill
//! of the selected service.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{pane_block, put_line};
use crate::cost::{money, quantity};
use crate::layout::text::glyph;
use crate::tui::app::{App, Pane};

/// Rows above the list of services: the total and the budget bar.
pub const HEADER_ROWS: usize = 2;

pub fn draw(f: &mut Frame, app: &App, rect: Rect) {
    let t = &app.theme;
    let Some(report) = &app.derived.cost else {
        f.render_widget(pane_block(app, Pane::Cost, ""), rect);
        return;
    };
    let budget = report.budget_usd.unwrap_or(crate::cost::DEFAULT_BUDGET_USD);
    let over = report.over_budget();
    let d = super::symbols(app.ascii).dot;
    f.render_widget(pane_block(app, Pane::Cost, &format!("{d} a month")), rect);
    let inner = super::inner(rect);
    let w = inner.width as usize;
    let total_style = if over { t.cost_over } else { t.cost_total };
    let mut row: u16 = 0;
    put_line(
        f,
        inner,
        row,
        Line::from(vec![
            Span::styled(format!(" {}", money(report.total_monthly_usd)), total_style),
            Span::styled(
                format!(
                    " of {} budget{}",
                    money(budget),
                    if over {
                        format!(" {d} OVER")
                    } else {
                        String::new()
                    }
                ),
                if over { t.cost_over } else { t.detail },
            ),
        ]),
        None,
    );
    row += 1;
    // A bar of the budget used; past the budget it is all over-budget colour.
    let bar_w = w.saturating_sub(2);
    let share = if budget > 0.0 {
        report.total_monthly_usd / budget
    } else if report.total_monthly_usd > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let filled = ((share.min(1.0)) * bar_w as f64).round() as usize;
    let (full, empty) = if app.ascii {
        ('#', '.')
    } else {
        ('█', '░')
    };
    put_line(
        f,
        inner,
        row,
        Line::from(vec![
            Span::raw(" "),
            Span::styled(
                std::iter::repeat_n(full, filled).collect::<String>(),
                if over { t.cost_over } else { t.cost_bar },
            ),
            Span::styled(
                std::iter::repeat_n(empty, bar_w - filled).collect::<String>(),
                t.detail,
            ),
        ]),
        None,
    );
    row += 1;
    if report.services.is_empty() {
        put_line(
            f,
            inner,
            row,
            Line::from(Span::styled(" nothing here costs money by itself", t.hint)),
            None,
        );
        return;
    }
    let focused = app.focus == Pane::Cost;
    let avail = (inner.height as usize).saturating_sub(HEADER_ROWS);
    let selected_cost = app.selected.as_deref().and_then(|id| report.service(id));
    // Leave room for the selected service's bill when there is some.
    let detail_rows = selected_cost.map_or(0, |s| s.components.len() + 1);
    let list_rows = if avail > detail_rows + 3 {
        avail - detail_rows
    } else {
        avail
    };
    for (i, s) in report
        .services
        .iter()
        .enumerate()
        .skip(app.cost_offset)
        .take(list_rows)
    {
        let price = money(s.monthly_usd);
        let name_w = w.saturating_sub(price.chars().count() + 5);
        let breaks = s.breaks(budget);
        let line = Line::from(vec![
            Span::styled(
                format!(" {} ", glyph(s.kind, app.ascii)),
                t.category(s.kind.category()),
            ),
            Span::styled(super::fit(&s.id, name_w), t.name),
            Span::styled(
                format!(" {price}"),
                if breaks { t.cost_over } else { t.cost },
            ),
        ]);
        let highlight = focused && i == app.cost_cursor;
        put_line(f, inner, row, line, highlight.then_some(t.selection));
        row += 1;
    }
    if let Some(s) = selected_cost {
        if (row as usize) < inner.height as usize && list_rows < avail {
            put_line(
                f,
                inner,
                row,
                Line::from(Span::styled(format!(" {}:", s.id), t.title)),
                None,
            );
            row += 1;
            for c in &s.components {
                let price = money(c.monthly_usd);
                let what = format!("{} {d} {} {}", c.name, quantity(c.quantity), c.unit);
                let what_w = w.saturating_sub(price.chars().count() + 4);
                put_line(
                    f,
                    inner,
                    row,
                    Line::from(vec![
                        Span::styled(format!("  {}", super::fit(&what, what_w)), t.detail),
                        Span::styled(format!(" {price}"), t.cost),
                    ]),
                    None,
                );
                row += 1;
            }
        }
    }
}
