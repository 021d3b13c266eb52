//! Terraform's native syntax as the sketch sees it: parsing a file with
//! positions for messages, and turning bodies and expressions into the
//! neutral value tree the model stores.
//!
//! The neutral form follows Terraform's own JSON syntax, so it needs no new
//! conventions: a string is a template, `"${aws_sqs_queue.jobs.arn}"` is the
//! expression `aws_sqs_queue.jobs.arn`, and a literal `${` is written `$${`.
//! Nested blocks are lists of their bodies under the block type
//! (`lambda_function: [{...}]`); a labelled nested block wraps its body in
//! its labels. One addition: `jsonencode(X)` keeps X as a tree under the
//! single key [`JSONENCODE`], because IAM and redrive policies live there and
//! connections are read from (and removed from) inside them.

use std::borrow::Cow;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::parser;
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::template::{Element, Template};

use crate::formats::FormatError;
use crate::model::{Map, Value};

/// The key that marks a `jsonencode(...)` call in the neutral tree.
pub const JSONENCODE: &str = "${jsonencode}";

/// A parsed file and the text its spans point into.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub body: Body,
    /// The text the parser saw: the original, or the original with heredoc
    /// closing markers tidied (same length, so spans fit both).
    pub text: Cow<'a, str>,
}

/// Parses one `.tf` file. Errors name `FILE:LINE:COL`.
pub fn parse<'a>(path: &str, text: &'a str) -> Result<Parsed<'a>, FormatError> {
    match parse_keeping_last(text) {
        Ok(body) => Ok(Parsed {
            body,
            text: Cow::Borrowed(text),
        }),
        Err(e) => {
            // Terraform accepts a heredoc's closing marker followed by spaces.
            // Should the parser refuse one, the spaces move in front of the
            // marker: the text keeps its length, so every span still fits.
            let fixed = tidy_heredoc_markers(text);
            if fixed != text {
                if let Ok(body) = parse_keeping_last(&fixed) {
                    return Ok(Parsed {
                        body,
                        text: Cow::Owned(fixed),
                    });
                }
            }
            let loc = e.location();
            let what = e.message().lines().next().unwrap_or("").trim();
            let message = if what.is_empty() {
                "invalid HCL".to_string()
            } else {
                format!("invalid HCL: {what}")
            };
            Err(
                FormatError::new(path, loc.line(), loc.column(), message).hint(
                    "check for an unclosed brace, bracket or quote on this line or just before it",
                ),
            )
        }
    }
}

/// How many duplicated object keys one file may have before the parse gives
/// up (each one costs a parse of the file).
const MAX_DUPLICATE_KEYS: usize = 64;

/// Parses a body the way Terraform reads it: a key given twice in one object
/// expression (`{ a = 1, a = 2 }`) keeps the last value. The parser refuses
/// such an object, so each earlier item is blanked out (same length, spans
/// still fit) and the parse runs again.
fn parse_keeping_last(text: &str) -> Result<Body, parser::Error> {
    let mut owned: Option<String> = None;
    let mut first_error = None;
    for _ in 0..=MAX_DUPLICATE_KEYS {
        let current = owned.as_deref().unwrap_or(text);
        let e = match parser::parse_body(current) {
            Ok(body) => return Ok(body),
            Err(e) => e,
        };
        let blanked = e
            .message()
            .contains("unique object key")
            .then(|| blank_earlier_duplicate(current, e.location().offset()))
            .flatten();
        if first_error.is_none() {
            first_error = Some(e);
        }
        match blanked {
            Some(t) => owned = Some(t),
            None => break,
        }
    }
    Err(first_error.expect("the loop ran at least once"))
}

/// Given the offset of a key that repeats an earlier key of its object,
/// the text with that earlier item (key, value and a comma after it)
/// replaced by spaces, line breaks kept.
fn blank_earlier_duplicate(text: &str, at: usize) -> Option<String> {
    let b = text.as_bytes();
    // The duplicate key's own text: a quoted string or an identifier.
    let key_end = if b.get(at) == Some(&b'"') {
        let mut i = at + 1;
        while i < b.len() && b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        (i + 1).min(b.len())
    } else {
        at + b[at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
            .count()
    };
    let key = text.get(at..key_end).filter(|k| !k.is_empty())?;
    // The object it is in: the nearest `{` before it whose text up to the
    // duplicate parses as an object holding the same key.
    let mut tried = 0;
    for q in (0..at).rev().filter(|&q| b[q] == b'{') {
        tried += 1;
        if tried > 256 {
            return None;
        }
        let prefix = format!("{}}}", &text[q..at]);
        let Ok(Expression::Object(o)) = parser::parse_expr(&prefix) else {
            continue;
        };
        for (k, v) in o.iter() {
            let (Some(ks), Some(vs)) = (k.span(), v.expr().span()) else {
                continue;
            };
            if prefix.get(ks.clone()) != Some(key) {
                continue;
            }
            let (start, mut end) = (q + ks.start, q + vs.end);
            let mut j = end;
            while j < at && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            if j < at && b[j] == b',' {
                end = j + 1;
            }
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..start]);
            out.extend(text[start..end].bytes().map(|c| {
                if matches!(c, b'\n' | b'\r') {
                    c as char
                } else {
                    ' '
                }
            }));
            out.push_str(&text[end..]);
            return Some(out);
        }
        return None;
    }
    None
}

/// Moves trailing blanks of lines that hold a single identifier (a heredoc
/// closing marker) in front of it.
pub fn tidy_heredoc_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => match b.strip_suffix('\r') {
                Some(bb) => (bb, "\r\n"),
                None => (b, "\n"),
            },
            None => (line, ""),
        };
        let trimmed = body.trim_end_matches([' ', '\t']);
        let marker = trimmed.trim_start_matches([' ', '\t']);
        let is_marker = !marker.is_empty()
            && marker
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && marker.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        if is_marker && trimmed.len() < body.len() {
            let trailing = &body[trimmed.len()..];
            out.push_str(trailing);
            out.push_str(trimmed);
        } else {
            out.push_str(body);
        }
        out.push_str(nl);
    }
    out
}

/// One-based line and column of a byte offset.
pub fn position(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn slice(text: &str, span: Option<std::ops::Range<usize>>) -> Option<&str> {
    span.and_then(|r| text.get(r))
}

/// A literal string as a template: `${` and `%{` are escaped.
pub fn escape_literal(s: &str) -> String {
    if s.contains("${") || s.contains("%{") {
        s.replace("${", "$${").replace("%{", "%%{")
    } else {
        s.to_string()
    }
}

/// The neutral map of a body: attributes by key, blocks as lists by type.
pub fn body_map(body: &Body, text: &str) -> Map {
    let mut m = Map::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                m.insert(a.key.as_str().to_string(), expr_value(&a.value, text));
            }
            Structure::Block(b) => {
                let item = block_item(b, text);
                let key = b.ident.as_str().to_string();
                match m.get_mut(&key) {
                    Some(Value::Array(list)) => list.push(item),
                    _ => {
                        m.insert(key, Value::Array(vec![item]));
                    }
                }
            }
        }
    }
    m
}

/// A nested block as one list item: its body, wrapped in its labels.
pub fn block_item(b: &Block, text: &str) -> Value {
    let mut v = Value::Object(body_map(&b.body, text));
    for label in b.labels.iter().rev() {
        let mut m = Map::new();
        m.insert(label.as_str().to_string(), v);
        v = Value::Object(m);
    }
    v
}

/// The neutral value of an expression.
pub fn expr_value(e: &Expression, text: &str) -> Value {
    match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => slice(text, n.span())
            .and_then(|s| serde_json::from_str::<serde_json::Number>(s.trim()).ok())
            .map(Value::Number)
            .or_else(|| {
                let v = n.value();
                v.as_u64()
                    .map(Value::from)
                    .or_else(|| v.as_i64().map(Value::from))
                    .or_else(|| v.as_f64().map(Value::from))
            })
            .unwrap_or(Value::Null),
        Expression::String(s) => Value::String(escape_literal(s.value())),
        Expression::Array(a) => Value::Array(a.iter().map(|x| expr_value(x, text)).collect()),
        Expression::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o.iter() {
                m.insert(key_text(k, text), expr_value(v.expr(), text));
            }
            Value::Object(m)
        }
        Expression::StringTemplate(t) => Value::String(template_text(t, text)),
        Expression::HeredocTemplate(h) => Value::String(template_text(&h.template, text)),
        Expression::FuncCall(f)
            if f.name.name.as_str() == "jsonencode"
                && !f.name.is_namespaced()
                && f.args.len() == 1
                && !f.args.expand_final() =>
        {
            let arg = f.args.iter().next().expect("one argument");
            let mut m = Map::new();
            m.insert(JSONENCODE.to_string(), expr_value(arg, text));
            Value::Object(m)
        }
        other => {
            let src = slice(text, other.span())
                .map(str::to_string)
                .unwrap_or_else(|| other.to_string());
            Value::String(format!("${{{}}}", src.trim()))
        }
    }
}

fn key_text(k: &ObjectKey, text: &str) -> String {
    match k {
        ObjectKey::Ident(i) => i.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
        ObjectKey::Expression(e) => {
            let src = slice(text, e.span())
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string());
            format!("${{{}}}", src.trim())
        }
    }
}

/// A template's source form: literals escaped, interpolations and
/// directives as written.
fn template_text(t: &Template, text: &str) -> String {
    let mut out = String::new();
    for el in t.iter() {
        match el {
            Element::Literal(l) => out.push_str(&escape_literal(l.value())),
            Element::Interpolation(i) => match slice(text, i.span()) {
                Some(s) => out.push_str(s),
                None => {
                    out.push_str("${");
                    out.push_str(&i.expr.to_string());
                    out.push('}');
                }
            },
            Element::Directive(d) => {
                if let Some(s) = slice(text, d.span()) {
                    out.push_str(s);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn neutral(src: &str) -> Map {
        let p = parse("t.tf", src).unwrap();
        body_map(&p.body, &p.text)
    }

    #[test]
    fn expressions_follow_terraform_json() {
        let m = neutral(
            "a = \"x-${var.y}\"\nb = aws_sqs_queue.q.arn\nc = [1, true, null]\nd = \"$${lit}\"\ne = { k = 1, \"x:y\" = \"z\" }\nf = jsonencode({ A = [\"s3:GetObject\"] })\ng = <<EOT\nline ${local.x}\nEOT\n",
        );
        assert_eq!(m["a"], json!("x-${var.y}"));
        assert_eq!(m["b"], json!("${aws_sqs_queue.q.arn}"));
        assert_eq!(m["c"], json!([1, true, null]));
        assert_eq!(m["d"], json!("$${lit}"));
        assert_eq!(m["e"], json!({"k": 1, "x:y": "z"}));
        assert_eq!(m["f"], json!({JSONENCODE: {"A": ["s3:GetObject"]}}));
        assert_eq!(m["g"], json!("line ${local.x}\n"));
    }

    #[test]
    fn blocks_are_lists_of_bodies() {
        let m = neutral(
            "lambda_function {\n  arn = 1\n}\nlambda_function {\n  arn = 2\n}\ndynamic \"x\" {\n  for_each = []\n}\n",
        );
        assert_eq!(m["lambda_function"], json!([{"arn": 1}, {"arn": 2}]));
        assert_eq!(m["dynamic"], json!([{"x": {"for_each": []}}]));
    }

    #[test]
    fn heredoc_markers_with_trailing_spaces_parse() {
        let src = "resource \"x\" \"y\" {\n  policy = <<POLICY\n{}\nPOLICY  \n}\n";
        let p = parse("t.tf", src).unwrap();
        assert_eq!(p.body.len(), 1);
        assert_eq!(tidy_heredoc_markers(src).len(), src.len());
        assert!(tidy_heredoc_markers(src).contains("\n  POLICY\n"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("main.tf", "resource \"x\" \"y\" {\n  a = \n}\n").unwrap_err();
        assert_eq!(e.file, "main.tf");
        assert!(e.line >= 2, "{e}");
    }
}
