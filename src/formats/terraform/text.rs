//! Terraform text at the character level: finding references inside
//! templates and expressions, writing neutral values back as HCL, and lining
//! up `=` signs and trailing comments the way `terraform fmt` does.

use crate::model::{Map, Value};

use super::syntax::JSONENCODE;

// ------------------------------------------------------------ scanning

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}
fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A reference chain such as `aws_sqs_queue.jobs.arn` or `module.app.url`:
/// the names joined by `.`, index and splat steps left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub parts: Vec<String>,
}

/// Every reference chain in a template string (a neutral string).
pub fn template_chains(s: &str) -> Vec<Chain> {
    let mut out = Vec::new();
    scan_template(s.as_bytes(), 0, None, &mut out);
    out
}

/// Every reference chain in a neutral value.
pub fn value_chains(v: &Value, out: &mut Vec<Chain>) {
    match v {
        Value::String(s) => {
            if s.contains("${") || s.contains("%{") {
                scan_template(s.as_bytes(), 0, None, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| value_chains(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                if k.starts_with("${") && k != JSONENCODE {
                    scan_template(k.as_bytes(), 0, None, out);
                }
                value_chains(x, out);
            }
        }
        _ => {}
    }
}

/// Scans template text from `i`; with `end` = Some(b'"') stops at an
/// unescaped closing quote (returning its index).
fn scan_template(b: &[u8], mut i: usize, end: Option<u8>, out: &mut Vec<Chain>) -> usize {
    while i < b.len() {
        let c = b[i];
        if Some(c) == end {
            return i;
        }
        if end.is_some() && c == b'\\' {
            i += 2;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            i = scan_expr(b, i + 2, true, out);
            i += 1;
            continue;
        }
        i += 1;
    }
    i
}

/// Index just past a quoted string starting at `i` (the opening quote).
fn skip_quoted(b: &[u8], i: usize, out: &mut Vec<Chain>) -> usize {
    let close = scan_template(b, i + 1, Some(b'"'), out);
    (close + 1).min(b.len())
}

/// Scans expression text from `i`. With `stop` it returns the index of the
/// `}` that closes the enclosing interpolation.
fn scan_expr(b: &[u8], mut i: usize, stop: bool, out: &mut Vec<Chain>) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                i = skip_quoted(b, i, out);
                continue;
            }
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                if depth == 0 {
                    if stop && c == b'}' {
                        return i;
                    }
                } else {
                    depth -= 1;
                }
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |j| j + 2);
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                if let Some((content, after)) = heredoc_at(b, i) {
                    scan_template(&b[..content.1], content.0, None, out);
                    i = after;
                    continue;
                }
            }
            _ if is_ident_start(c) && (i == 0 || !is_ident_char(b[i - 1]) && b[i - 1] != b'.') => {
                i = chain_at(b, i, out);
                continue;
            }
            _ if c.is_ascii_digit() => {
                while i < b.len() && (is_ident_char(b[i]) || b[i] == b'.') {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn chain_at(b: &[u8], start: usize, out: &mut Vec<Chain>) -> usize {
    let mut parts = Vec::new();
    let mut i = start;
    let read_ident = |i: &mut usize| -> String {
        let s = *i;
        while *i < b.len() && is_ident_char(b[*i]) {
            *i += 1;
        }
        String::from_utf8_lossy(&b[s..*i]).into_owned()
    };
    parts.push(read_ident(&mut i));
    loop {
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|&c| is_ident_start(c)) {
            i += 1;
            parts.push(read_ident(&mut i));
        } else if b.get(i) == Some(&b'.') && b.get(i + 1) == Some(&b'*') {
            i += 2;
        } else if b.get(i) == Some(&b'[') {
            // An index: scan inside for its own references, then go on.
            let close = matching(b, i);
            scan_expr(&b[..close], i + 1, false, out);
            i = (close + 1).min(b.len());
        } else {
            break;
        }
    }
    // A function call is not a reference.
    let mut j = i;
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    // A function call or a lone name (an object key, a loop variable) is
    // not a reference.
    if parts.len() >= 2 {
        out.push(Chain { parts });
    }
    i
}

/// Index of the bracket closing the one at `i` (or the end).
fn matching(b: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    let mut sink = Vec::new();
    while j < b.len() {
        match b[j] {
            b'"' => {
                j = skip_quoted(b, j, &mut sink);
                continue;
            }
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
        j += 1;
    }
    b.len()
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    (from..b.len().saturating_sub(needle.len() - 1)).find(|&j| b[j..].starts_with(needle))
}

/// A heredoc starting at `i` (`<<`): the content range and the index past
/// its closing marker.
fn heredoc_at(b: &[u8], i: usize) -> Option<((usize, usize), usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let s = j;
    while j < b.len() && is_ident_char(b[j]) {
        j += 1;
    }
    if j == s {
        return None;
    }
    let marker = &b[s..j];
    let nl = if b.get(j) == Some(&b'\r') { j + 1 } else { j };
    if b.get(nl) != Some(&b'\n') {
        return None;
    }
    let content_start = nl + 1;
    let mut line = content_start;
    while line <= b.len() {
        let e = line_end(b, line);
        let t = trim(&b[line..e]);
        if t == marker {
            let marker_end =
                line + b[line..e].iter().position(|&c| c != b' ' && c != b'\t')? + marker.len();
            return Some(((content_start, line), marker_end));
        }
        if e >= b.len() {
            break;
        }
        line = e + 1;
    }
    None
}

fn trim(s: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut z = s.len();
    while a < z && matches!(s[a], b' ' | b'\t' | b'\r') {
        a += 1;
    }
    while z > a && matches!(s[z - 1], b' ' | b'\t' | b'\r') {
        z -= 1;
    }
    &s[a..z]
}

/// The expression of a template that is one interpolation and nothing else.
pub fn single_interpolation(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if !s.starts_with("${") {
        return None;
    }
    let mut sink = Vec::new();
    let close = scan_expr(b, 2, true, &mut sink);
    if close == b.len() - 1 && b[close] == b'}' {
        let inner = &s[2..close];
        let inner = inner.strip_prefix('~').unwrap_or(inner);
        let inner = inner.strip_suffix('~').unwrap_or(inner);
        Some(inner.trim())
    } else {
        None
    }
}

/// A neutral string for an expression.
pub fn expr(e: &str) -> Value {
    Value::String(format!("${{{e}}}"))
}

// ------------------------------------------------------------ writing

/// Nested block types of the providers the sketch writes: under these keys
/// a list of mappings is written as blocks, not as an attribute.
const BLOCK_KEYS: &[&str] = &[
    "environment",
    "vpc_config",
    "dead_letter_config",
    "tracing_config",
    "ephemeral_storage",
    "image_config",
    "logging_config",
    "snap_start",
    "lambda_function",
    "lambda",
    "queue",
    "topic",
    "statement",
    "principals",
    "not_principals",
    "condition",
    "lifecycle",
    "attribute",
    "global_secondary_index",
    "local_secondary_index",
    "ttl",
    "point_in_time_recovery",
    "server_side_encryption",
    "target",
    "flexible_time_window",
    "retry_policy",
    "input_transformer",
    "sqs_target",
    "http_target",
    "kinesis_target",
    "batch_target",
    "network_configuration",
    "capacity_provider_strategy",
    "placement_constraint",
    "ecs_target",
    "inline_policy",
    "logging_configuration",
    "tracing_configuration",
    "cors_configuration",
    "jwt_configuration",
    "access_log_settings",
    "default_route_settings",
    "endpoint_configuration",
    "filter_criteria",
    "filter",
    "destination_config",
    "on_failure",
    "on_success",
    "scaling_config",
    "versioning_configuration",
    "rule",
    "cors_rule",
    "origin",
    "default_cache_behavior",
    "restrictions",
    "geo_restriction",
    "viewer_certificate",
    "s3_origin_config",
    "custom_origin_config",
    "ingress",
    "egress",
    "source",
    "required_providers",
    "default_tags",
    "encryption_configuration",
    "stream_mode_details",
    "source_parameters",
    "target_parameters",
    "validation",
    "dimension",
    "schema",
    "password_policy",
    "lambda_config",
    "event_selector",
];

pub fn is_block_key(key: &str, v: &Value) -> bool {
    (BLOCK_KEYS.contains(&key) || crate::formats::translate::is_terraform_block(key))
        && matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object))
}

pub fn is_ident(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_ident_start(b[0]) && b.iter().all(|&c| is_ident_char(c))
}

/// A key as HCL writes it: bare when it is an identifier.
pub fn key_text(k: &str) -> String {
    if is_ident(k) {
        k.to_string()
    } else if let Some(e) = single_interpolation(k) {
        format!("({e})")
    } else {
        quote(k)
    }
}

/// A template as a quoted HCL string: literal text escaped, interpolations
/// and directives copied as they are (their own strings stay unescaped).
pub fn quote(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    let mut lit_start = 0;
    while i < b.len() {
        let c = b[i];
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            let mut sink = Vec::new();
            let close = scan_expr(b, i + 2, true, &mut sink);
            if close < b.len() {
                escape_into(&s[lit_start..i], &mut out);
                out.push_str(&s[i..=close]);
                i = close + 1;
                lit_start = i;
                continue;
            }
        }
        i += 1;
    }
    escape_into(&s[lit_start..], &mut out);
    out.push('"');
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A value as an HCL expression, continuation lines indented from `indent`.
pub fn value_text(v: &Value, indent: usize) -> String {
    match v {
        Value::String(s) => string_text(s, true),
        other => nested_text(other, indent),
    }
}

/// A value inside a list, object or call: multi-line strings are quoted,
/// as some HCL readers take heredocs only as argument values.
fn nested_text(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_text(s, false),
        Value::Array(a) => {
            if a.is_empty() {
                return "[]".into();
            }
            let items: Vec<String> = a.iter().map(|x| nested_text(x, indent + 2)).collect();
            let one_line = a.iter().all(is_scalar)
                && items.iter().all(|s| !s.contains('\n'))
                && items.iter().map(|s| s.len() + 2).sum::<usize>() + indent < 100;
            if one_line {
                format!("[{}]", items.join(", "))
            } else {
                let mut out = String::from("[\n");
                for it in items {
                    out.push_str(&pad(indent + 2));
                    out.push_str(&it);
                    out.push_str(",\n");
                }
                out.push_str(&pad(indent));
                out.push(']');
                out
            }
        }
        Value::Object(m) => {
            if m.len() == 1 {
                if let Some(inner) = m.get(JSONENCODE) {
                    return format!("jsonencode({})", nested_text(inner, indent));
                }
            }
            if m.is_empty() {
                return "{}".into();
            }
            let mut out = String::from("{\n");
            for (k, x) in m {
                out.push_str(&pad(indent + 2));
                out.push_str(&key_text(k));
                out.push_str(" = ");
                out.push_str(&nested_text(x, indent + 2));
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
            out
        }
    }
}

fn string_text(s: &str, heredoc: bool) -> String {
    if let Some(e) = single_interpolation(s) {
        return e.to_string();
    }
    if heredoc && s.ends_with('\n') && s.matches('\n').count() >= 2 && !s.contains('\r') {
        let mut marker = "EOT".to_string();
        while s.lines().any(|l| l.trim() == marker) {
            marker.push('_');
        }
        return format!("<<{marker}\n{s}{marker}");
    }
    quote(s)
}

/// The lines of a body at `indent`, without alignment (see [`align`]).
pub fn body_text(body: &Map, indent: usize) -> String {
    let mut out = String::new();
    let mut prev_block = false;
    // Arguments first, then nested blocks, then `depends_on` and `lifecycle`,
    // as Terraform's own style guide orders them.
    let rank = |k: &str, v: &Value| -> u8 {
        match k {
            "count" | "for_each" | "provider" => 0,
            "depends_on" => 3,
            "lifecycle" => 4,
            _ if is_block_key(k, v) => 2,
            _ => 1,
        }
    };
    let mut entries: Vec<(&String, &Value)> = body.iter().collect();
    entries.sort_by_key(|(k, v)| rank(k, v));
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if is_block_key(k, v) {
            for item in v.as_array().expect("checked") {
                if i > 0 || prev_block {
                    out.push('\n');
                }
                out.push_str(&block_text(
                    k,
                    &[],
                    item.as_object().expect("checked"),
                    indent,
                ));
                prev_block = true;
            }
        } else {
            if prev_block {
                out.push('\n');
            }
            prev_block = false;
            out.push_str(&pad(indent));
            // A block body takes identifiers only.
            if is_ident(k) {
                out.push_str(k);
            } else {
                out.push_str(&crate::formats::names::snake_case(k));
            }
            out.push_str(" = ");
            out.push_str(&value_text(v, indent));
            out.push('\n');
        }
    }
    out
}

/// A whole block: `ident "label" ... {` body `}` and a newline.
pub fn block_text(ident: &str, labels: &[&str], body: &Map, indent: usize) -> String {
    let mut out = pad(indent);
    out.push_str(ident);
    for l in labels {
        out.push(' ');
        out.push_str(&quote(l));
    }
    if body.is_empty() {
        out.push_str(" {}\n");
        return out;
    }
    out.push_str(" {\n");
    out.push_str(&body_text(body, indent + 2));
    out.push_str(&pad(indent));
    out.push_str("}\n");
    out
}

// ------------------------------------------------------------ alignment

struct LogicalLine {
    start: usize,
    /// End of the line's text (before its newline).
    end: usize,
    /// The `=` of a one-line assignment.
    assign: Option<usize>,
    /// A comment after other tokens.
    comment: Option<usize>,
}

/// Splits HCL text into lines as `terraform fmt` sees them: a heredoc or a
/// block comment belongs to the line it starts on.
fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut start = 0;
    let mut tokens = 0usize;
    let mut eq: Option<usize> = None;
    let mut net = 0i32;
    let mut heredoc_after_eq = false;
    let mut comment: Option<usize> = None;
    let mut sink = Vec::new();
    let finish = |out: &mut Vec<LogicalLine>,
                  start: usize,
                  end: usize,
                  eq: Option<usize>,
                  net: i32,
                  comment: Option<usize>| {
        let end = if end > start && b[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        out.push(LogicalLine {
            start,
            end,
            assign: eq.filter(|_| net == 0),
            comment,
        });
    };
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            finish(&mut out, start, i, eq, net, comment);
            i += 1;
            start = i;
            tokens = 0;
            eq = None;
            net = 0;
            heredoc_after_eq = false;
            comment = None;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        let tok_start = i;
        let mut is_comment = false;
        match c {
            b'#' => {
                i = line_end(b, i);
                is_comment = true;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                is_comment = true;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |j| j + 2);
                is_comment = true;
            }
            b'"' => i = skip_quoted(b, i, &mut sink),
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_at(b, i) {
                Some((_, after)) => {
                    if eq.is_some() {
                        heredoc_after_eq = true;
                    }
                    i = after;
                }
                None => i += 2,
            },
            b'{' | b'[' | b'(' | b'}' | b']' | b')' => {
                if eq.is_some() && !heredoc_after_eq {
                    net += if matches!(c, b'{' | b'[' | b'(') {
                        1
                    } else {
                        -1
                    };
                }
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = matches!(b.get(i + 1), Some(b'=') | Some(b'>'))
                    && !(c == b'!' && b.get(i + 1) == Some(&b'>'));
                if c == b'=' && !two && eq.is_none() && tokens > 0 {
                    eq = Some(i);
                }
                i += if two { 2 } else { 1 };
            }
            _ if is_ident_char(c) || c == b'.' => {
                while i < b.len() && (is_ident_char(b[i]) || b[i] == b'.') {
                    i += 1;
                }
            }
            _ => {
                // One character of anything else (a multi-byte char moves on
                // by its whole length).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if is_comment {
            comment = (tokens > 0).then_some(tok_start);
        } else {
            comment = None;
        }
        tokens += 1;
    }
    if start < b.len() {
        finish(&mut out, start, b.len(), eq, net, comment);
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Lines up the `=` of consecutive one-line assignments and the trailing
/// comments of consecutive lines, as `terraform fmt` does. Nothing else moves.
pub fn align(text: &str) -> String {
    let lines = logical_lines(text);
    // New text of each line: (lead, rest) where rest starts at `=` or is the whole line.
    let mut leads: Vec<Option<(String, usize)>> = vec![None; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].assign.is_none() {
            i += 1;
            continue;
        }
        let s = i;
        while i < lines.len() && lines[i].assign.is_some() {
            i += 1;
        }
        let max = (s..i)
            .map(|k| {
                let l = &lines[k];
                width(text[l.start..l.assign.expect("in chain")].trim_end())
            })
            .max()
            .unwrap_or(0);
        for (k, lead) in leads.iter_mut().enumerate().take(i).skip(s) {
            let l = &lines[k];
            let w = width(text[l.start..l.assign.expect("in chain")].trim_end());
            *lead = Some((
                format!(
                    "{}{}",
                    text[l.start..l.assign.expect("in chain")].trim_end(),
                    pad(max - w + 1)
                ),
                l.assign.expect("in chain"),
            ));
        }
    }
    // Each line's text before its comment, with the assignment aligned.
    let body_of = |k: usize| -> String {
        let l = &lines[k];
        let stop = l.comment.unwrap_or(l.end);
        match &leads[k] {
            Some((lead, at)) if *at <= stop => format!("{lead}{}", &text[*at..stop]),
            _ => text[l.start..stop].to_string(),
        }
    };
    let mut bodies: Vec<String> = (0..lines.len()).map(body_of).collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].comment.is_none() {
            i += 1;
            continue;
        }
        let s = i;
        while i < lines.len() && lines[i].comment.is_some() {
            i += 1;
        }
        // Only the last physical line of a logical line carries the comment.
        let last_line = |b: &str| b.rsplit('\n').next().map_or(0, |x| width(x.trim_end()));
        let max = (s..i).map(|k| last_line(&bodies[k])).max().unwrap_or(0);
        for (k, body) in bodies.iter_mut().enumerate().take(i).skip(s) {
            let w = last_line(body);
            let trimmed = body.trim_end().to_string();
            *body = format!("{trimmed}{}", pad(max - w + 1));
            let l = &lines[k];
            let c = l.comment.expect("in chain");
            body.push_str(&text[c..l.end]);
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for (k, l) in lines.iter().enumerate() {
        out.push_str(&text[cursor..l.start]);
        out.push_str(&bodies[k]);
        cursor = l.end;
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parts(s: &str) -> Vec<String> {
        template_chains(s)
            .into_iter()
            .map(|c| c.parts.join("."))
            .collect()
    }

    #[test]
    fn finds_references_in_templates() {
        assert_eq!(parts("${aws_sqs_queue.q.arn}"), ["aws_sqs_queue.q.arn"]);
        assert_eq!(
            parts("arn:${var.p}:${module.m.out}/$${not.this}"),
            ["var.p", "module.m.out"]
        );
        assert_eq!(
            parts("${jsonencode({ a = aws_s3_bucket.b[0].arn, c = \"${local.x}\" })}"),
            ["aws_s3_bucket.b.arn", "local.x"]
        );
        assert_eq!(
            parts("${[for s in aws_subnet.all : s.id]}"),
            ["aws_subnet.all", "s.id"]
        );
        assert!(parts("plain aws_sqs_queue.q text").is_empty());
    }

    #[test]
    fn single_interpolations() {
        assert_eq!(single_interpolation("${a.b}"), Some("a.b"));
        assert_eq!(single_interpolation("${a}-${b}"), None);
        assert_eq!(single_interpolation("${f(\"}\")}"), Some("f(\"}\")"));
        assert_eq!(single_interpolation("x${a}"), None);
    }

    #[test]
    fn writes_values_and_blocks() {
        let body = json!({
            "name": "jobs",
            "arn": "${aws_sqs_queue.q.arn}",
            "tags": {"Team": "a", "x:y": "b"},
            "policy": {JSONENCODE: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage"]}]}},
            "environment": [{"variables": {"X": "1"}}],
        });
        let text = align(&block_text(
            "resource",
            &["aws_sqs_queue", "q"],
            body.as_object().unwrap(),
            0,
        ));
        let want = "resource \"aws_sqs_queue\" \"q\" {\n  name = \"jobs\"\n  arn  = aws_sqs_queue.q.arn\n  tags = {\n    Team  = \"a\"\n    \"x:y\" = \"b\"\n  }\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        Effect = \"Allow\"\n        Action = [\"sqs:SendMessage\"]\n      },\n    ]\n  })\n\n  environment {\n    variables = {\n      X = \"1\"\n    }\n  }\n}\n";
        assert_eq!(text, want);
    }

    #[test]
    fn alignment_follows_fmt() {
        let src = "a = 1\nlonger = 2 # c\nx = {\n  k = 1\n}\np = <<EOT\nz = 1\nEOT\nq = 3\n\nzz = 4 # d\nz = 5 # e\n";
        let want = "a      = 1\nlonger = 2 # c\nx = {\n  k = 1\n}\np = <<EOT\nz = 1\nEOT\nq = 3\n\nzz = 4 # d\nz  = 5 # e\n";
        assert_eq!(align(src), want);
        assert_eq!(align(want), want);
    }
}
