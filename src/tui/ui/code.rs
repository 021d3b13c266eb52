//! The code pane: the generated template with line numbers and light
//! syntax colours, the selected service's lines marked; while editing, the
//! text area, with a parse error shown in place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, put_line};
use crate::model::Dialect;
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

/// Splits a Terraform (HCL) line into coloured pieces: comments, block
/// types and labels, attribute names, and values (strings, numbers,
/// references). One line at a time, so a heredoc's body is coloured as if
/// it were code; it stays readable.
pub fn highlight_hcl<'a>(t: &Theme, line: &'a str) -> Vec<Span<'a>> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let mut spans = vec![Span::raw(indent)];
    let (code, comment) = split_comment(body);
    let value = match attribute_eq(code) {
        Some(eq) => {
            let key = code[..eq].trim_end();
            spans.push(Span::styled(key, t.code_key));
            spans.push(Span::styled(&code[key.len()..=eq], t.detail));
            &code[eq + 1..]
        }
        None => match code.strip_suffix('{').filter(|h| is_block_header(h)) {
            Some(header) => {
                let ident_end = header.find([' ', '"']).unwrap_or(header.len());
                spans.push(Span::styled(&header[..ident_end], t.code_tag));
                spans.push(Span::styled(&header[ident_end..], t.code_string));
                spans.push(Span::styled("{", t.detail));
                ""
            }
            None => code,
        },
    };
    let v = value.trim_start();
    spans.push(Span::raw(&value[..value.len() - v.len()]));
    if !v.is_empty() {
        let bare = v.trim_end().trim_end_matches(',');
        let style = if bare.parse::<f64>().is_ok() || matches!(bare, "true" | "false" | "null") {
            t.code_number
        } else if bare.starts_with('"') || bare.starts_with("<<") {
            t.code_string
        } else if bare.chars().all(|c| "{}[]()".contains(c)) {
            t.detail
        } else {
            t.code_tag
        };
        spans.push(Span::styled(v, style));
    }
    if !comment.is_empty() {
        spans.push(Span::styled(comment, t.code_comment));
    }
    spans
}

/// The code of a line and its comment (`#` or `//` outside a string).
fn split_comment(line: &str) -> (&str, &str) {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '#' if !in_str => return line.split_at(i),
            '/' if !in_str && line[i..].starts_with("//") => return line.split_at(i),
            _ => {}
        }
    }
    (line, "")
}

/// Where the `=` of `name = value` is, when the line starts that way.
fn attribute_eq(code: &str) -> Option<usize> {
    let name_end = if let Some(rest) = code.strip_prefix('"') {
        rest.find('"')? + 2
    } else {
        code.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?
    };
    if name_end == 0 {
        return None;
    }
    let after = &code[name_end..];
    let eq = name_end + (after.len() - after.trim_start().len());
    (code[eq..].starts_with('=') && !code[eq..].starts_with("==") && !code[eq..].starts_with("=>"))
        .then_some(eq)
}

/// `resource "type" "name" ` and the like: a word, then labels.
fn is_block_header(h: &str) -> bool {
    let mut words = h.split_whitespace();
    words
        .next()
        .is_some_and(|w| w.chars().all(|c| c.is_alphanumeric() || c == '_'))
        && words.all(|w| {
            w.starts_with('"') && w.ends_with('"')
                || w.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
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
    if let Some(why) = &code.read_only {
        extra.push_str(&format!(" {d} read-only: {why}"));
    }
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
    if let Some(v) = app.handler_view() {
        draw_handler(f, app, rect, &v);
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
        spans.extend(match code.language {
            Dialect::Sam => highlight(t, &code.lines[i]),
            Dialect::Terraform => highlight_hcl(t, &code.lines[i]),
        });
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

/// A function's handler: its lines numbered, each line that makes an SDK
/// call marked in the gutter and followed by what the call does and to
/// what. The file is someone else's text: every line is made inert.
fn draw_handler(f: &mut Frame, app: &App, rect: Rect, v: &crate::tui::handler::HandlerView) {
    let t = &app.theme;
    let d = super::symbols(app.ascii).dot;
    let key = |a: crate::tui::action::Action| {
        app.keymap
            .key_of(a)
            .map(|k| k.to_string())
            .unwrap_or_else(|| a.name().to_string())
    };
    let mut extra = format!("{d} handler");
    if !v.shown.is_empty() {
        extra.push_str(&format!(" {}", crate::model::inert_line(&v.shown)));
    }
    if !v.more.is_empty() {
        extra.push_str(&format!(
            " (+{} file{})",
            v.more.len(),
            if v.more.len() == 1 { "" } else { "s" }
        ));
    }
    let calls = v.calls();
    if calls > 0 {
        extra.push_str(&format!(
            " {d} {calls} call{}",
            if calls == 1 { "" } else { "s" }
        ));
    }
    extra.push_str(&format!(
        " {d} {} edits {d} {} template",
        key(crate::tui::action::Action::EditHandler),
        key(crate::tui::action::Action::Handler)
    ));
    f.render_widget(pane_block(app, Pane::Code, &extra), rect);
    let inner = super::inner(rect);
    let mut rows: Vec<Line> = Vec::new();
    if let Some(note) = &v.note {
        rows.push(Line::styled(
            crate::model::inert_line(note).into_owned(),
            t.hint,
        ));
    }
    let digits = v
        .rows
        .iter()
        .filter_map(|r| r.number)
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let mark = if app.ascii { "*" } else { "●" };
    let start = app.handler_start(v, inner.height as usize);
    for r in v.rows.iter().skip(start) {
        if rows.len() >= inner.height as usize {
            break;
        }
        let Some(n) = r.number else {
            rows.push(Line::styled(
                crate::model::inert_line(&r.text).into_owned(),
                t.hint,
            ));
            continue;
        };
        let mut spans = vec![
            Span::styled(format!("{n:>digits$}"), t.code_line_no),
            Span::styled(
                if r.calls.is_empty() { " " } else { mark }.to_string(),
                t.code_key,
            ),
            Span::raw(" "),
            Span::styled(crate::model::inert_line(&r.text).into_owned(), t.base),
        ];
        if !r.calls.is_empty() {
            spans.push(Span::styled(
                format!("  ← {}", crate::model::inert_line(&r.calls.join(", "))),
                t.code_comment,
            ));
        }
        rows.push(Line::from(spans));
    }
    for (row, line) in rows.into_iter().enumerate() {
        let marked = line.spans.get(1).is_some_and(|s| s.content == mark);
        put_line(f, inner, row as u16, line, marked.then_some(t.code_focus));
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

    fn hcl_pieces(line: &str) -> Vec<String> {
        let t = Theme::default();
        highlight_hcl(&t, line)
            .into_iter()
            .map(|s| s.content.to_string())
            .filter(|s| !s.trim().is_empty())
            .collect()
    }

    #[test]
    fn terraform_blocks_attributes_and_comments_split() {
        assert_eq!(
            hcl_pieces("resource \"aws_sqs_queue\" \"jobs\" {"),
            ["resource", " \"aws_sqs_queue\" \"jobs\" ", "{"]
        );
        assert_eq!(
            hcl_pieces("  visibility_timeout_seconds = 60 # longer"),
            ["visibility_timeout_seconds", " =", "60 ", "# longer"]
        );
        assert_eq!(
            hcl_pieces("  role = aws_iam_role.worker.arn"),
            ["role", " =", "aws_iam_role.worker.arn"]
        );
        assert_eq!(
            hcl_pieces("  name = \"${var.prefix}-#jobs\""),
            ["name", " =", "\"${var.prefix}-#jobs\""]
        );
        assert_eq!(hcl_pieces("# ---- main.tf"), ["# ---- main.tf"]);
        assert_eq!(hcl_pieces("  a == b"), ["a == b"]);
        let t = Theme::default();
        let styles: Vec<Style> = highlight_hcl(&t, "  count = 3")
            .iter()
            .map(|s| s.style)
            .collect();
        assert_eq!(styles[1], t.code_key);
        assert_eq!(styles.last(), Some(&t.code_number));
    }

    #[test]
    fn terraform_pieces_rebuild_the_line() {
        let t = Theme::default();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform");
        for name in ["app/main.tf", "app/variables.tf", "heredoc/main.tf"] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            for line in text.lines() {
                let joined: String = highlight_hcl(&t, line)
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect();
                assert_eq!(joined, line);
            }
        }
    }

    #[test]
    fn pieces_rebuild_the_line() {
        let t = Theme::default();
        for line in crate::document::EXAMPLE.lines() {
            let joined: String = highlight(&t, line)
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            assert_eq!(joined, line);
        }
    }
}
