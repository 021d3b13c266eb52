//! The code pane: the generated template with line numbers and light
//! syntax colours, the selected service's lines marked; while editing, the
//! text area, with a parse error shown in place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, put_line};
use crate::tui::app::{App, Mode, Pane};
use crate::tui::theme::Theme;

/// Splits a YAML or JSON line into coloured pieces: comments, keys, tags,
/// numbers and strings.
pub fn highlight<'a>(t: &Theme, line: &'a str) -> Vec<Span<'a>> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let mut spans = vec![Span::raw(indent)];
    if body.starts_with('#') {
        spans.push(Span::styled(body, t.code_comment));
        return spans;
    }
    let (lead, rest) = match body.strip_prefix("- ") {
        Some(r) => ("- ", r),
        None => ("", body),
    };
    spans.push(Span::styled(lead, t.detail));
    // The key ends at the first `:` followed by a space or the line's end,
    // outside quotes.
    let mut key_end = None;
    let mut quote: Option<char> = None;
    let bytes: Vec<char> = rest.chars().collect();
    let mut byte = 0;
    for (i, c) in bytes.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if *c == q => quote = None,
            (None, '"' | '\'') if i == 0 => quote = Some(*c),
            (None, ':') if bytes.get(i + 1).is_none_or(|n| *n == ' ') => {
                key_end = Some(byte + 1);
                break;
            }
            (None, ' ') if i == 0 => break,
            _ => {}
        }
        byte += c.len_utf8();
    }
    let value = match key_end {
        Some(k) => {
            spans.push(Span::styled(&rest[..k - 1], t.code_key));
            spans.push(Span::styled(":", t.detail));
            &rest[k..]
        }
        None => rest,
    };
    let v = value.trim_start();
    let pad = &value[..value.len() - v.len()];
    spans.push(Span::raw(pad));
    if v.is_empty() {
        return spans;
    }
    let style = |s: &str| -> Style {
        let s = s.trim_end_matches(',');
        if s.parse::<f64>().is_ok() || matches!(s, "true" | "false" | "null") {
            t.code_number
        } else if matches!(s, "{" | "}" | "[" | "]" | "{}" | "[]" | "|" | ">") {
            t.detail
        } else {
            t.code_string
        }
    };
    if v.starts_with('!') {
        let (tag, arg) = v.split_once(' ').unwrap_or((v, ""));
        spans.push(Span::styled(tag, t.code_tag));
        if !arg.is_empty() {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(arg, style(arg)));
        }
    } else {
        spans.push(Span::styled(v, style(v)));
    }
    spans
}

pub fn draw(f: &mut Frame, app: &App, rect: Rect) {
    let t = &app.theme;
    let code = &app.derived.code;
    let switch = app
        .keymap
        .key_of(crate::tui::action::Action::SwitchLanguage)
        .map(|k| format!(" ({k}: {})", code.language.other().title()))
        .unwrap_or_default();
    let d = super::symbols(app.ascii).dot;
    let mut extra = format!("{d} {}{switch}", code.language.title());
    if !code.warnings.is_empty() {
        extra.push_str(&format!(
            " {d} {} warning{}",
            code.warnings.len(),
            if code.warnings.len() == 1 { "" } else { "s" }
        ));
    }
    if let Mode::Code(edit) = &app.mode {
        let block = pane_block(
            app,
            Pane::Code,
            &format!("{d} editing {d} ctrl-s applies {d} esc leaves"),
        );
        let inner = super::inner(rect);
        f.render_widget(block, rect);
        let error_rows = if edit.error.is_some() { 2 } else { 0 };
        let [text, err] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(error_rows)]).areas(inner);
        f.render_widget(&edit.area, text);
        if let Some((line, message)) = &edit.error {
            f.render_widget(
                Paragraph::new(Line::from(vec![Span::styled(
                    format!(" line {}: {message}", line + 1),
                    t.code_error,
                )]))
                .wrap(Wrap { trim: true }),
                err,
            );
        }
        return;
    }
    f.render_widget(pane_block(app, Pane::Code, &extra), rect);
    let inner = super::inner(rect);
    let digits = code.lines.len().max(1).to_string().len();
    let focus = app
        .selected
        .as_deref()
        .and_then(|id| code.anchors.get(id))
        .copied();
    for (row, i) in (app.code_scroll..code.lines.len())
        .take(inner.height as usize)
        .enumerate()
    {
        let mut spans = vec![Span::styled(format!("{:>digits$} ", i + 1), t.code_line_no)];
        spans.extend(highlight(t, &code.lines[i]));
        let marked = focus.is_some_and(|(a, b)| i >= a && i < b);
        put_line(
            f,
            inner,
            row as u16,
            Line::from(spans),
            marked.then_some(t.code_focus),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(line: &str) -> Vec<String> {
        let t = Theme::default();
        highlight(&t, line)
            .into_iter()
            .map(|s| s.content.to_string())
            .filter(|s| !s.trim().is_empty())
            .collect()
    }

    #[test]
    fn keys_tags_and_values_split() {
        assert_eq!(
            pieces("  Queue: !GetAtt Jobs.Arn"),
            ["Queue", ":", "!GetAtt", "Jobs.Arn"]
        );
        assert_eq!(
            pieces("    - Name: QueueName"),
            ["- ", "Name", ":", "QueueName"]
        );
        assert_eq!(pieces("# a comment: yes"), ["# a comment: yes"]);
        assert_eq!(
            pieces("Events: s3:ObjectCreated:*"),
            ["Events", ":", "s3:ObjectCreated:*"]
        );
        assert_eq!(
            pieces("  \"Type\": \"AWS::SQS::Queue\""),
            ["\"Type\"", ":", "\"AWS::SQS::Queue\""]
        );
    }

    #[test]
    fn pieces_rebuild_the_line() {
        let t = Theme::default();
        for line in crate::cli::io::EXAMPLE.lines() {
            let joined: String = highlight(&t, line)
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            assert_eq!(joined, line);
        }
    }
}
