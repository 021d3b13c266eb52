//! Writing a changed block over its original text: untouched attributes,
//! nested blocks and object items keep their bytes (comments included);
//! what changed is written anew; the block's `=` signs are lined up again.

use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Block, Body, Structure};

use super::syntax::JSONENCODE;
use super::text;
use crate::model::{Map, Value};

type Edits = Vec<(Range<usize>, String)>;

fn line_start(t: &str, at: usize) -> usize {
    t[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end_incl(t: &str, at: usize) -> usize {
    t[at..].find('\n').map_or(t.len(), |i| at + i + 1)
}

fn indent_at(t: &str, at: usize) -> usize {
    let s = line_start(t, at);
    t[s..].bytes().take_while(|&b| b == b' ').count()
}

/// Whether `span` sits alone on its lines (only blanks before it, only
/// blanks, a comma or a comment after it).
fn alone(t: &str, span: &Range<usize>) -> bool {
    let before = &t[line_start(t, span.start)..span.start];
    let after_end = line_end_incl(t, span.end);
    let after = t[span.end..after_end].trim();
    before.trim().is_empty()
        && (after.is_empty()
            || after == ","
            || after.starts_with('#')
            || after.starts_with("//")
            || after.starts_with(", #"))
}

/// The range that deletes a whole item: its lines, newline included.
fn line_range(t: &str, span: &Range<usize>) -> Range<usize> {
    line_start(t, span.start)..line_end_incl(t, span.end.saturating_sub(1).max(span.start))
}

/// The new text of block `b` (its span in `t`) for a body going from `old`
/// to `new`, aligned; `None` when the block must be written anew.
pub fn block(t: &str, b: &Block, old: &Map, new: &Map) -> Option<String> {
    let span = b.span()?;
    let mut edits = Vec::new();
    body(t, &b.body, &span, old, new, &mut edits)?;
    let mut out = t[span.clone()].to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut last = usize::MAX;
    for (r, s) in edits {
        if r.end > last || r.start < span.start || r.end > span.end {
            return None;
        }
        last = r.start;
        out.replace_range(r.start - span.start..r.end - span.start, &s);
    }
    // Align the block as it sits on its line, then cut the indent back off.
    let pre = &t[line_start(t, span.start)..span.start];
    if !pre.trim().is_empty() {
        return Some(out);
    }
    let aligned = text::align(&format!("{pre}{out}"));
    Some(aligned[pre.len()..].to_string())
}

/// Edits that turn a body (inside `outer`, which ends with its `}`) from
/// `old` into `new`.
fn body(
    t: &str,
    b: &Body,
    outer: &Range<usize>,
    old: &Map,
    new: &Map,
    edits: &mut Edits,
) -> Option<()> {
    let close = outer.end.checked_sub(1)?;
    if t.as_bytes().get(close) != Some(&b'}') {
        return None;
    }
    let inner_indent = b
        .iter()
        .next()
        .and_then(|s| s.span())
        .map(|r| indent_at(t, r.start))
        .unwrap_or(indent_at(t, outer.start) + 2);
    let mut blocks: Vec<(&str, Vec<&Block>)> = Vec::new();
    for s in b.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                let span = a.span()?;
                let (o, n) = (old.get(key), new.get(key));
                match (o, n) {
                    (Some(o), Some(n)) if o == n => {}
                    (_, None) => edits.push((removal(t, &span), String::new())),
                    (o, Some(n)) => {
                        let o = o.cloned().unwrap_or(Value::Null);
                        value(t, &a.value, &o, n, indent_at(t, span.start), edits)?;
                    }
                }
            }
            Structure::Block(blk) => {
                let key = blk.ident.as_str();
                match blocks.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, v)) => v.push(blk),
                    None => blocks.push((key, vec![blk])),
                }
            }
        }
    }
    for (key, list) in &blocks {
        let o = old
            .get(*key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let n = match new.get(*key) {
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return None,
            None => Vec::new(),
        };
        if o == n {
            continue;
        }
        if o.len() != list.len() {
            return None;
        }
        if n.is_empty() {
            for blk in list {
                edits.push((removal(t, &blk.span()?), String::new()));
            }
            continue;
        }
        if n.len() == o.len() {
            for (i, blk) in list.iter().enumerate() {
                if o[i] != n[i] {
                    nested(t, blk, &o[i], &n[i], edits)?;
                }
            }
            continue;
        }
        if n.len() > o.len() && n[..o.len()] == o[..] {
            let last = list.last()?.span()?;
            let at = line_end_incl(t, last.end);
            let ind = indent_at(t, last.start);
            let mut s = String::new();
            for item in &n[o.len()..] {
                s.push('\n');
                s.push_str(&item_text(key, item, ind)?);
            }
            edits.push((at..at, s));
            continue;
        }
        // Items removed from the middle: drop the blocks no longer there.
        let mut j = 0;
        let mut keep = vec![false; o.len()];
        for (i, item) in o.iter().enumerate() {
            if j < n.len() && *item == n[j] {
                keep[i] = true;
                j += 1;
            }
        }
        if j != n.len() {
            return None;
        }
        for (i, blk) in list.iter().enumerate() {
            if !keep[i] {
                edits.push((removal(t, &blk.span()?), String::new()));
            }
        }
    }
    // New keys go before the closing brace.
    let mut added = String::new();
    for (k, v) in new {
        if old.contains_key(k) {
            continue;
        }
        if text::is_block_key(k, v) {
            for item in v.as_array().expect("checked") {
                added.push('\n');
                added.push_str(&item_text(k, item, inner_indent)?);
            }
        } else {
            added.push_str(&" ".repeat(inner_indent));
            added.push_str(&text::key_text(k));
            added.push_str(" = ");
            added.push_str(&text::value_text(v, inner_indent));
            added.push('\n');
        }
    }
    if !added.is_empty() {
        let ls = line_start(t, close);
        if !t[ls..close].trim().is_empty() || ls <= outer.start {
            return None;
        }
        edits.push((ls..ls, added));
    }
    Some(())
}

/// The deletion of an item, with the comment lines right above it.
fn removal(t: &str, span: &Range<usize>) -> Range<usize> {
    if !alone(t, span) {
        return span.clone();
    }
    let r = line_range(t, span);
    let mut start = r.start;
    while start > 0 {
        let prev = line_start(t, start - 1);
        let l = t[prev..start].trim();
        if l.starts_with('#') || l.starts_with("//") {
            start = prev;
        } else {
            break;
        }
    }
    // The last item of a body takes the blank line that set it apart, so
    // the closing brace does not follow a blank line.
    let closes = t[r.end..].trim_start_matches([' ', '\t']).starts_with('}');
    if closes {
        if t[..start].ends_with("\n\n") {
            start -= 1;
        } else if t[..start].ends_with("\r\n\r\n") {
            start -= 2;
        }
    }
    start..r.end
}

fn item_text(key: &str, item: &Value, indent: usize) -> Option<String> {
    let m = item.as_object()?;
    Some(text::block_text(key, &[], m, indent))
}

/// A changed nested block, labels unwrapped.
fn nested(t: &str, blk: &Block, o: &Value, n: &Value, edits: &mut Edits) -> Option<()> {
    let (mut o, mut n) = (o, n);
    for l in &blk.labels {
        o = o.get(l.as_str())?;
        n = n.get(l.as_str())?;
    }
    let span = blk.span()?;
    body(t, &blk.body, &span, o.as_object()?, n.as_object()?, edits)
}

/// Edits that turn expression `e` from `old` into `new`.
fn value(
    t: &str,
    e: &Expression,
    old: &Value,
    new: &Value,
    indent: usize,
    edits: &mut Edits,
) -> Option<()> {
    let span = e.span()?;
    match (e, old, new) {
        (Expression::FuncCall(f), Value::Object(o), Value::Object(n))
            if o.contains_key(JSONENCODE) && n.contains_key(JSONENCODE) && f.args.len() == 1 =>
        {
            let arg = f.args.iter().next()?;
            return value(t, arg, &o[JSONENCODE], &n[JSONENCODE], indent, edits);
        }
        (Expression::Object(obj), Value::Object(o), Value::Object(n))
            if !o.contains_key(JSONENCODE)
                && !n.contains_key(JSONENCODE)
                && t[span.clone()].contains('\n')
                && object(t, obj, &span, o, n, indent, edits).is_some() =>
        {
            return Some(());
        }
        _ => {}
    }
    edits.push((span, text::value_text(new, indent)));
    Some(())
}

fn key_of(k: &ObjectKey, t: &str) -> Option<String> {
    Some(match k {
        ObjectKey::Ident(i) => i.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
        ObjectKey::Expression(e) => format!("${{{}}}", t.get(e.span()?)?.trim()),
    })
}

/// Item-level edits of a multi-line object whose items sit on their own lines.
#[allow(clippy::too_many_arguments)]
fn object(
    t: &str,
    obj: &hcl::edit::expr::Object,
    span: &Range<usize>,
    old: &Map,
    new: &Map,
    indent: usize,
    edits: &mut Edits,
) -> Option<()> {
    let mut local: Edits = Vec::new();
    let mut item_indent = indent + 2;
    for (i, (k, v)) in obj.iter().enumerate() {
        let key = key_of(k, t)?;
        let ks = k.span()?;
        let vs = v.expr().span()?;
        let whole = ks.start..vs.end;
        if !alone(t, &whole) {
            return None;
        }
        if i == 0 {
            item_indent = indent_at(t, ks.start);
        }
        match (old.get(&key), new.get(&key)) {
            (Some(o), Some(n)) if o == n => {}
            (_, None) => local.push((removal(t, &whole), String::new())),
            (o, Some(n)) => {
                let o = o.cloned().unwrap_or(Value::Null);
                value(t, v.expr(), &o, n, indent_at(t, ks.start), &mut local)?;
            }
        }
    }
    let mut added = String::new();
    for (k, v) in new {
        if !old.contains_key(k) {
            added.push_str(&" ".repeat(item_indent));
            added.push_str(&text::key_text(k));
            added.push_str(" = ");
            added.push_str(&text::value_text(v, item_indent));
            added.push('\n');
        }
    }
    if !added.is_empty() {
        let close = span.end - 1;
        let ls = line_start(t, close);
        if !t[ls..close].trim().is_empty() {
            return None;
        }
        local.push((ls..ls, added));
    }
    edits.extend(local);
    Some(())
}

/// The range of a whole top-level block to delete, with its comment lines
/// and one of the blank lines around it.
pub fn block_removal(t: &str, span: &Range<usize>) -> Range<usize> {
    let r = removal(t, span);
    let before_blank = t[..r.start].ends_with("\n\n") || r.start == 0;
    let after = &t[r.end..];
    if before_blank && after.starts_with('\n') {
        r.start..r.end + 1
    } else if before_blank && after.starts_with("\r\n") {
        r.start..r.end + 2
    } else {
        r
    }
}

/// A new value for a top-level attribute (a local value).
pub fn attribute_value(t: &str, e: &Expression, new: &Value) -> Option<(Range<usize>, String)> {
    let vs = e.span()?;
    Some((vs.clone(), text::value_text(new, indent_at(t, vs.start))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::terraform::syntax;
    use serde_json::json;

    fn rewrite(src: &str, f: impl Fn(&mut Map)) -> String {
        let p = syntax::parse("t.tf", src).unwrap();
        let b = p.body.iter().next().unwrap().as_block().unwrap().clone();
        let old = syntax::body_map(&b.body, src);
        let mut new = old.clone();
        f(&mut new);
        let span = b.span().unwrap();
        let text = block(src, &b, &old, &new).unwrap();
        format!("{}{}{}", &src[..span.start], text, &src[span.end..])
    }

    const SRC: &str = "# queue\nresource \"aws_lambda_function\" \"w\" {\n  # the name\n  function_name = \"w\" # keep\n  role          = aws_iam_role.w.arn\n\n  environment {\n    variables = {\n      # first\n      A = \"1\"\n    }\n  }\n}\n";

    #[test]
    fn unchanged_parts_keep_their_bytes() {
        let out = rewrite(SRC, |m| {
            m["environment"][0]["variables"]["TOPIC"] = json!("${aws_sns_topic.t.arn}");
        });
        assert_eq!(
            out,
            SRC.replace(
                "      A = \"1\"\n",
                "      A     = \"1\"\n      TOPIC = aws_sns_topic.t.arn\n"
            )
        );
    }

    #[test]
    fn new_and_removed_attributes() {
        let out = rewrite(SRC, |m| {
            m.shift_remove("role");
            m.insert("timeout".into(), json!(10));
        });
        assert!(out.contains("  function_name = \"w\" # keep\n"), "{out}");
        assert!(!out.contains("role"), "{out}");
        assert!(out.contains("  timeout = 10\n}\n"), "{out}");
        assert!(out.starts_with("# queue\n"), "{out}");
    }

    #[test]
    fn the_last_item_of_a_body_takes_its_blank_line_with_it() {
        let src = "resource \"aws_lambda_function\" \"f\" {\n  timeout = 10\n\n  environment {\n    variables = {\n      A = \"1\"\n    }\n  }\n}\n";
        let out = rewrite(src, |m| {
            m.shift_remove("environment");
        });
        assert_eq!(
            out,
            "resource \"aws_lambda_function\" \"f\" {\n  timeout = 10\n}\n"
        );
    }

    #[test]
    fn blocks_added_and_removed() {
        let out = rewrite(SRC, |m| {
            m.shift_remove("environment");
        });
        assert!(!out.contains("environment"), "{out}");
        let out = rewrite(SRC, |m| {
            m.insert("vpc_config".into(), json!([{"subnet_ids": []}]));
        });
        assert!(
            out.contains("\n  vpc_config {\n    subnet_ids = []\n  }\n}\n"),
            "{out}"
        );
    }
}
