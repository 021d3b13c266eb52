//! Writing a changed document back over its original text so that only what
//! changed moves: untouched entries keep their bytes, comments and order.
//! Works on block YAML and on JSON by walking the old and new values side by
//! side and the text's own structure; where the text does not follow the
//! value's shape, the smallest enclosing entry is written anew.

use super::yaml;
use crate::model::{Map, Value};

// ---------------------------------------------------------------- YAML

#[derive(Clone, Copy, Debug, PartialEq)]
enum LineKind {
    Blank,
    Comment,
    Content,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    indent: usize,
    kind: LineKind,
}

fn scan_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < text.len() {
        let end = match text[start..].find('\n') {
            Some(i) => start + i + 1,
            None => text.len(),
        };
        let line = &text[start..end];
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let rest = line[indent..].trim_end();
        let kind = if rest.is_empty() {
            LineKind::Blank
        } else if rest.starts_with('#')
            || rest == "---"
            || rest.starts_with("--- ")
            || rest == "..."
            || (indent == 0 && rest.starts_with('%'))
        {
            LineKind::Comment
        } else {
            LineKind::Content
        };
        let _ = bytes;
        out.push(Line {
            start,
            end,
            indent,
            kind,
        });
        start = end;
    }
    out
}

struct Entry {
    key: String,
    /// The key as written, without the colon.
    key_text_end: usize,
    first: usize,
    /// One past the last line of the entry.
    last: usize,
    /// The value starts on the key's own line.
    inline: bool,
}

/// Parses `key:` at the start of `s`; returns the key and the byte length up
/// to (not including) the colon.
fn parse_key(s: &str) -> Option<(String, usize)> {
    if s.starts_with("- ")
        || s == "-"
        || s.starts_with("? ")
        || s.starts_with('[')
        || s.starts_with('{')
    {
        return None;
    }
    let (key, len) = if let Some(rest) = s.strip_prefix('"') {
        let mut i = 0;
        let b = rest.as_bytes();
        while i < b.len() && b[i] != b'"' {
            if b[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let quoted = &s[..i + 2];
        (serde_json::from_str::<String>(quoted).ok()?, i + 2)
    } else if let Some(rest) = s.strip_prefix('\'') {
        let mut i = 0;
        let b = rest.as_bytes();
        loop {
            if i >= b.len() {
                return None;
            }
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        (rest[..i].replace("''", "'"), i + 2)
    } else {
        let mut end = None;
        let b = s.as_bytes();
        for i in 0..b.len() {
            if b[i] == b':'
                && (i + 1 == b.len()
                    || b[i + 1] == b' '
                    || b[i + 1] == b'\t'
                    || b[i + 1] == b'\n'
                    || b[i + 1] == b'\r')
            {
                end = Some(i);
                break;
            }
            if b[i] == b' ' && b.get(i + 1) == Some(&b'#') {
                return None;
            }
        }
        let e = end?;
        (s[..e].trim_end().to_string(), e)
    };
    if !s[len..].starts_with(':') {
        return None;
    }
    Some((key, len))
}

fn line_text<'a>(text: &'a str, l: &Line) -> &'a str {
    text[l.start..l.end].trim_end_matches(['\n', '\r'])
}

/// The entries of a block mapping whose keys sit at `indent`, in lines `from..to`.
fn map_entries(
    text: &str,
    lines: &[Line],
    from: usize,
    to: usize,
    indent: usize,
) -> Option<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    // Open `[` / `{` of a flow collection that runs over several lines.
    let mut depth = 0i32;
    for (i, l) in lines.iter().enumerate().take(to).skip(from) {
        if depth > 0 && l.kind != LineKind::Blank {
            out.last_mut()?.last = i + 1;
            depth += flow_delta(&line_text(text, l)[l.indent..]);
            continue;
        }
        match l.kind {
            LineKind::Blank => continue,
            LineKind::Comment if l.indent <= indent || out.is_empty() => continue,
            _ => {}
        }
        let s = &line_text(text, l)[l.indent..];
        if l.indent == indent && l.kind == LineKind::Content && !(s.starts_with("- ") || s == "-") {
            let (key, len) = parse_key(s)?;
            let after = s[len + 1..].trim();
            let inline = !(after.is_empty() || after.starts_with('#'));
            depth = flow_opened(after);
            out.push(Entry {
                key,
                key_text_end: l.start + l.indent + len,
                first: i,
                last: i + 1,
                inline,
            });
        } else if l.indent >= indent {
            let e = out.last_mut()?;
            e.last = i + 1;
            // Only a value's first line can open a flow collection; a line
            // that goes on a multi-line scalar may start with `{` as text.
            depth = s.strip_prefix("- ").map(flow_opened).unwrap_or(0);
        } else {
            return None;
        }
    }
    Some(out)
}

/// How many flow brackets a value opens and leaves open on its line; only a
/// value that starts a flow collection counts (brackets inside a plain
/// scalar are just text).
fn flow_opened(value: &str) -> i32 {
    let mut v = value.trim_start();
    while v.starts_with('!') || v.starts_with('&') {
        v = v.split_once(' ').map(|(_, r)| r.trim_start()).unwrap_or("");
    }
    if v.starts_with('[') || v.starts_with('{') {
        flow_delta(v).max(0)
    } else {
        0
    }
}

/// How many flow brackets a line opens minus closes, outside quotes and
/// comments.
fn flow_delta(s: &str) -> i32 {
    let mut d = 0;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\''
                    if prev == ' ' || prev == '[' || prev == '{' || prev == ',' || prev == ':' =>
                {
                    quote = Some(c)
                }
                '#' if prev == ' ' => break,
                '[' | '{' => d += 1,
                ']' | '}' => d -= 1,
                _ => {}
            },
        }
        prev = c;
    }
    d
}

/// First content line in `from..to`.
fn first_content(lines: &[Line], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| lines[i].kind == LineKind::Content)
}

// ------------------------------------------------------- line endings, BOM

/// Runs a patch on the text without its byte order mark and, when every
/// line ends in CRLF, with LF endings; puts both back on the result, so
/// new and changed lines end like the file's own and the mark stays.
fn in_own_conventions(text: &str, patch: impl FnOnce(&str) -> Option<String>) -> Option<String> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let lf_count = body.bytes().filter(|&b| b == b'\n').count();
    let crlf_count = body.matches("\r\n").count();
    let crlf = crlf_count > 0 && crlf_count == lf_count;
    let out = if crlf {
        patch(&body.replace("\r\n", "\n"))?.replace('\n', "\r\n")
    } else {
        patch(body)?
    };
    Some(if bom.is_empty() {
        out
    } else {
        format!("{bom}{out}")
    })
}

/// Writes `new` over the YAML `text` whose value is `old`. `None` when the
/// text's top level is not a block mapping this can follow. The file's
/// line endings (LF or CRLF) and byte order mark are kept.
pub fn yaml_document(text: &str, old: &Value, new: &Value) -> Option<String> {
    if old == new {
        return Some(text.to_string());
    }
    in_own_conventions(text, |t| yaml_body(t, old, new))
}

fn yaml_body(text: &str, old: &Value, new: &Value) -> Option<String> {
    if old == new {
        return Some(text.to_string());
    }
    let (Value::Object(o), Value::Object(n)) = (old, new) else {
        return None;
    };
    let lines = scan_lines(text);
    let first = first_content(&lines, 0, lines.len())?;
    let indent = lines[first].indent;
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(&text[..lines[first].start]);
    yaml_mapping(text, &lines, first, lines.len(), indent, o, n, &mut out)?;
    if !text.is_empty() && !text.ends_with('\n') && out.ends_with('\n') && !n.is_empty() {
        // Keep a file that had no final newline without one.
        let tail_changed = !out.ends_with(&text[lines.last()?.start..]);
        if !tail_changed {
            out.pop();
        }
    }
    Some(out)
}

#[allow(clippy::too_many_arguments)]
fn yaml_mapping(
    text: &str,
    lines: &[Line],
    from: usize,
    to: usize,
    indent: usize,
    old: &Map,
    new: &Map,
    out: &mut String,
) -> Option<()> {
    let entries = map_entries(text, lines, from, to, indent)?;
    let live = live_entries(entries.iter().map(|e| e.key.as_str()), old)?;
    let mut cursor = lines[from].start;
    let end_of = |i: usize| {
        if i < lines.len() {
            lines[i].start
        } else {
            text.len()
        }
    };

    // A new key goes before the first old key that follows it in `new`
    // (so `Transform` lands at the top of a template), else after the last
    // entry.
    let mut anchored: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    let mut pending: Vec<&str> = Vec::new();
    for k in new.keys() {
        if !old.contains_key(k) {
            pending.push(k);
        } else if !pending.is_empty() && entries.iter().any(|e| &e.key == k) {
            anchored.insert(k, std::mem::take(&mut pending));
        }
    }
    let spaced = entries
        .windows(2)
        .any(|w| (w[0].last..w[1].first).any(|i| lines[i].kind == LineKind::Blank));
    let emit_new = |keys: &[&str], out: &mut String| {
        for k in keys {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if spaced && !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&yaml::entry_to_string(k, &new[*k], indent));
        }
    };
    let mut gap_from = from;
    for (i, (e, live)) in entries.iter().zip(&live).enumerate() {
        let start = lines[e.first].start;
        if let Some(keys) = anchored.remove(e.key.as_str()) {
            if i == 0 {
                // Before the first entry: right after what precedes it.
                out.push_str(&text[cursor..start]);
                cursor = start;
                out.push_str(&yaml::entry_to_string(keys[0], &new[keys[0]], indent));
                emit_new(&keys[1..], out);
                if spaced {
                    out.push('\n');
                }
            } else {
                emit_new(&keys, out);
            }
        }
        let deleted = *live && !new.contains_key(&e.key);
        if deleted {
            // The entry goes with the comments written right above it; the
            // blank lines before it go too, so no run of blank lines is left.
            let mut keep_to = e.first;
            while keep_to > gap_from && lines[keep_to - 1].kind == LineKind::Comment {
                keep_to -= 1;
            }
            while keep_to > gap_from && lines[keep_to - 1].kind == LineKind::Blank {
                keep_to -= 1;
            }
            out.push_str(&text[cursor..lines[keep_to].start.max(cursor)]);
        } else {
            out.push_str(&text[cursor..start]);
        }
        let span_end = end_of(e.last);
        let old_v = &old[&e.key];
        gap_from = e.last;
        cursor = span_end;
        if !live {
            // A duplicate key the last one overrides: it means nothing, and stays.
            out.push_str(&text[start..span_end]);
            continue;
        }
        match new.get(&e.key) {
            Some(new_v) if new_v == old_v => out.push_str(&text[start..span_end]),
            Some(new_v) => yaml_entry(text, lines, e, indent, old_v, new_v, out),
            None => {}
        }
    }
    // New keys go right after the last entry, before any trailing comments,
    // spaced like the entries before them.
    emit_new(&pending, out);
    out.push_str(&text[cursor..end_of(to)]);
    Some(())
}

fn yaml_entry(
    text: &str,
    lines: &[Line],
    e: &Entry,
    indent: usize,
    old: &Value,
    new: &Value,
    out: &mut String,
) {
    let key_line = &lines[e.first];
    let head = &text[key_line.start..lines[e.first].end];
    let end_of = |i: usize| {
        if i < lines.len() {
            lines[i].start
        } else {
            text.len()
        }
    };
    // A mapping or list emptied by the edit is written `{}` or `[]`: under
    // its key alone it would read as null.
    let emptied = match new {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !e.inline && !emptied {
        if let Some(child) = first_content(lines, e.first + 1, e.last) {
            let ci = lines[child].indent;
            let starts_seq = {
                let s = &line_text(text, &lines[child])[ci..];
                s.starts_with("- ") || s == "-"
            };
            match (old, new) {
                (Value::Object(o), Value::Object(n)) if ci > indent && !starts_seq => {
                    let mut buf = String::new();
                    buf.push_str(head);
                    if yaml_mapping(text, lines, e.first + 1, e.last, ci, o, n, &mut buf).is_some()
                    {
                        out.push_str(&buf);
                        return;
                    }
                }
                (Value::Array(o), Value::Array(n)) if starts_seq => {
                    let mut buf = String::new();
                    buf.push_str(head);
                    if yaml_sequence(text, lines, e.first + 1, e.last, ci, o, n, &mut buf).is_some()
                    {
                        out.push_str(&buf);
                        return;
                    }
                }
                _ => {}
            }
        }
    }
    let key_text = &text[key_line.start + key_line.indent..e.key_text_end];
    out.push_str(&yaml::entry_with_key_text(key_text, new, indent));
    let _ = end_of;
}

#[allow(clippy::too_many_arguments)]
fn yaml_sequence(
    text: &str,
    lines: &[Line],
    from: usize,
    to: usize,
    indent: usize,
    old: &[Value],
    new: &[Value],
    out: &mut String,
) -> Option<()> {
    // Item spans: each starts at a `-` line at `indent`.
    let mut items: Vec<(usize, usize)> = Vec::new();
    for i in from..to {
        let l = &lines[i];
        if l.kind == LineKind::Blank || (l.kind == LineKind::Comment && l.indent <= indent) {
            continue;
        }
        let s = &line_text(text, l)[l.indent..];
        if l.indent == indent && (s.starts_with("- ") || s == "-") {
            items.push((i, i + 1));
        } else if l.indent > indent {
            items.last_mut()?.1 = i + 1;
        } else {
            return None;
        }
    }
    if items.len() != old.len() {
        return None;
    }
    let end_of = |i: usize| {
        if i < lines.len() {
            lines[i].start
        } else {
            text.len()
        }
    };
    let pairs = lcs(old, new);
    let mut cursor = lines[from].start;
    let mut ni = 0;
    let emit_new = |upto: usize, ni: &mut usize, out: &mut String| {
        while *ni < upto {
            // After a last line with no line break, an item starts its own line.
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&yaml::seq_item_to_string(&new[*ni], indent));
            *ni += 1;
        }
    };
    for (oi, &(first, last)) in items.iter().enumerate() {
        let start = lines[first].start;
        out.push_str(&text[cursor..start]);
        match pairs.iter().find(|(o, _)| *o == oi) {
            Some(&(_, n)) => {
                emit_new(n, &mut ni, out);
                out.push_str(&text[start..end_of(last)]);
                ni = n + 1;
            }
            None => {}
        }
        cursor = end_of(last);
    }
    emit_new(new.len(), &mut ni, out);
    out.push_str(&text[cursor..end_of(to)]);
    Some(())
}

/// Index pairs of a longest common subsequence of equal items.
fn lcs(a: &[Value], b: &[Value]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if t[i + 1][j] >= t[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// For each entry of a mapping as written, whether it is the one that counts
/// (the last of its key). `None` when the written keys are not `old`'s keys in
/// `old`'s order (a parser keeps a repeated key where it first appeared).
fn live_entries<'a>(keys: impl Iterator<Item = &'a str>, old: &Map) -> Option<Vec<bool>> {
    let keys: Vec<&str> = keys.collect();
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut first_seen: Vec<&str> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if last.insert(k, i).is_none() {
            first_seen.push(k);
        }
    }
    if first_seen.len() != old.len() || first_seen.iter().zip(old.keys()).any(|(a, b)| a != b) {
        return None;
    }
    Some(keys.iter().enumerate().map(|(i, k)| last[k] == i).collect())
}

// ---------------------------------------------------------------- JSON

struct Member {
    key: String,
    start: usize,
    value_start: usize,
    value_end: usize,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    // b[i] is the opening quote.
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// Members of the object starting at `open` (a `{`); also the index of its `}`.
fn members(text: &str, open: usize) -> Option<(Vec<Member>, usize)> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, open + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b'}') {
        return Some((out, i));
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let kend = skip_string(b, i)?;
        let key: String = serde_json::from_str(&text[i..kend]).ok()?;
        let colon = skip_ws(b, kend);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let vs = skip_ws(b, colon + 1);
        let ve = skip_value(b, vs)?;
        out.push(Member {
            key,
            start: i,
            value_start: vs,
            value_end: ve,
        });
        let next = skip_ws(b, ve);
        match b.get(next) {
            Some(b',') => i = skip_ws(b, next + 1),
            Some(b'}') => return Some((out, next)),
            _ => return None,
        }
    }
}

fn column_of(text: &str, at: usize) -> usize {
    at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The indentation unit a JSON text uses (two spaces when it cannot tell).
fn indent_unit(text: &str) -> usize {
    text.lines()
        .skip(1)
        .map(|l| l.bytes().take_while(|&b| b == b' ').count())
        .find(|&n| n > 0)
        .unwrap_or(2)
}

fn json_value(v: &Value, column: usize, unit: usize) -> String {
    let indent = " ".repeat(unit);
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("a value serializes");
    let s = String::from_utf8(buf).expect("JSON is UTF-8");
    let pad = " ".repeat(column);
    s.replace('\n', &format!("\n{pad}"))
}

/// Writes `new` over the JSON `text` whose value is `old`, in the file's
/// own line endings and with its byte order mark.
pub fn json_document(text: &str, old: &Value, new: &Value) -> Option<String> {
    if old == new {
        return Some(text.to_string());
    }
    in_own_conventions(text, |t| json_body(t, old, new))
}

fn json_body(text: &str, old: &Value, new: &Value) -> Option<String> {
    let b = text.as_bytes();
    let open = skip_ws(b, 0);
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let (Value::Object(o), Value::Object(n)) = (old, new) else {
        return None;
    };
    let unit = indent_unit(text);
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(&text[..open]);
    let end = json_object(text, open, o, n, unit, &mut out)?;
    out.push_str(&text[end..]);
    Some(out)
}

/// Writes the object at `open`; returns the index just past its `}`.
fn json_object(
    text: &str,
    open: usize,
    old: &Map,
    new: &Map,
    unit: usize,
    out: &mut String,
) -> Option<usize> {
    let (ms, close) = members(text, open)?;

    let member_col = ms
        .first()
        .map(|m| column_of(text, m.start))
        .unwrap_or(column_of(text, open) + unit);
    let default_sep = format!(",\n{}", " ".repeat(member_col));
    let mut pieces: Vec<(Option<usize>, String)> = Vec::new();
    let live = live_entries(ms.iter().map(|m| m.key.as_str()), old)?;
    for (idx, m) in ms.iter().enumerate() {
        let old_v = &old[&m.key];
        if !live[idx] {
            pieces.push((Some(idx), text[m.start..m.value_end].to_string()));
            continue;
        }
        match new.get(&m.key) {
            Some(v) if v == old_v => {
                pieces.push((Some(idx), text[m.start..m.value_end].to_string()))
            }
            Some(v) => {
                let mut s = text[m.start..m.value_start].to_string();
                let done = match (old_v, v) {
                    (Value::Object(oo), Value::Object(nn))
                        if text.as_bytes()[m.value_start] == b'{' =>
                    {
                        let mut inner = String::new();
                        json_object(text, m.value_start, oo, nn, unit, &mut inner).map(|_| inner)
                    }
                    _ => None,
                };
                s.push_str(&done.unwrap_or_else(|| json_value(v, member_col, unit)));
                pieces.push((Some(idx), s));
            }
            None => {}
        }
    }
    for (k, v) in new {
        if !old.contains_key(k) {
            let key = serde_json::to_string(k).expect("a key serializes");
            pieces.push((None, format!("{key}: {}", json_value(v, member_col, unit))));
        }
    }
    out.push('{');
    if ms.is_empty() {
        if pieces.is_empty() {
            out.push_str(&text[open + 1..close + 1]);
            return Some(close + 1);
        }
        out.push('\n');
        out.push_str(&" ".repeat(member_col));
    } else {
        out.push_str(&text[open + 1..ms[0].start]);
    }
    let mut prev: Option<usize> = None;
    for (n, (orig, s)) in pieces.iter().enumerate() {
        if n > 0 {
            match (prev, orig) {
                (Some(p), Some(o)) if *o == p + 1 => {
                    out.push_str(&text[ms[p].value_end..ms[*o].start])
                }
                _ => out.push_str(&default_sep),
            }
        }
        out.push_str(s);
        prev = *orig;
    }
    match ms.last() {
        Some(last) => out.push_str(&text[last.value_end..close + 1]),
        None => {
            out.push('\n');
            out.push_str(&" ".repeat(column_of(text, open)));
            out.push('}');
        }
    }
    Some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOC: &str = "# top comment\nA: 1\nB:\n  # about c\n  C: !Ref X   # trailing\n  D: [1, 2]\nList:\n- one\n- two\n\n# end\n";

    fn parse(t: &str) -> Value {
        yaml::parse(t).unwrap().value
    }

    #[test]
    fn unchanged_is_byte_for_byte() {
        let v = parse(DOC);
        assert_eq!(yaml_document(DOC, &v, &v).unwrap(), DOC);
    }

    #[test]
    fn a_deep_change_keeps_the_rest() {
        let old = parse(DOC);
        let mut new = old.clone();
        new["B"]["D"] = json!([1, 2, 3]);
        new["B"]["E"] = json!("new");
        let out = yaml_document(DOC, &old, &new).unwrap();
        assert_eq!(parse(&out), new);
        assert!(
            out.contains("# about c\n  C: !Ref X   # trailing\n"),
            "{out}"
        );
        assert!(out.starts_with("# top comment\nA: 1\n"), "{out}");
        assert!(out.ends_with("\n# end\n"), "{out}");
    }

    #[test]
    fn sequences_keep_untouched_items() {
        let old = parse(DOC);
        let mut new = old.clone();
        new["List"] = json!(["zero", "one", "three"]);
        let out = yaml_document(DOC, &old, &new).unwrap();
        assert_eq!(parse(&out), new);
        assert!(out.contains("List:\n- zero\n- one\n- three\n"), "{out}");
    }

    #[test]
    fn an_item_after_a_last_line_without_a_line_break() {
        let text = "A:\n  L:\n    - one";
        let old = parse(text);
        let mut new = old.clone();
        new["A"]["L"] = json!(["one", "two"]);
        let out = yaml_document(text, &old, &new).unwrap();
        assert_eq!(parse(&out), new, "{out}");
        assert!(out.starts_with(text), "{out}");
    }

    #[test]
    fn removal_and_addition() {
        let old = parse(DOC);
        let mut new = old.clone();
        new.as_object_mut().unwrap().shift_remove("A");
        new["Z"] = json!({"k": "v"});
        let out = yaml_document(DOC, &old, &new).unwrap();
        assert_eq!(parse(&out), new);
        assert!(!out.contains("A: 1"));
    }

    #[test]
    fn an_emptied_mapping_is_not_null() {
        let old = parse(DOC);
        let mut new = old.clone();
        new["B"] = serde_json::json!({});
        new["List"] = serde_json::json!([]);
        let out = yaml_document(DOC, &old, &new).unwrap();
        assert_eq!(parse(&out), new, "{out}");
    }

    #[test]
    fn crlf_and_a_byte_order_mark_stay() {
        let lf = "# head\nA:\n  x: 1\nB: 2\n";
        let old = parse(lf);
        let mut new = old.clone();
        new["A"]["x"] = 5.into();
        new["C"] = "new".into();
        let crlf = lf.replace('\n', "\r\n");
        let out = yaml_document(&crlf, &old, &new).unwrap();
        assert_eq!(out, "# head\r\nA:\r\n  x: 5\r\nB: 2\r\nC: new\r\n");
        let bom = format!("\u{feff}{crlf}");
        let out = yaml_document(&bom, &old, &new).unwrap();
        assert_eq!(
            out,
            format!("\u{feff}# head\r\nA:\r\n  x: 5\r\nB: 2\r\nC: new\r\n")
        );
        let json = "\u{feff}{\r\n  \"A\": {\r\n    \"x\": 1\r\n  },\r\n  \"B\": 2\r\n}\r\n";
        let mut new = old.clone();
        new["A"]["x"] = 5.into();
        let out = json_document(json, &old, &new).unwrap();
        assert_eq!(out, json.replace("\"x\": 1", "\"x\": 5"));
    }

    #[test]
    fn json_patch() {
        let text = "{\n    \"A\": 1,\n    \"B\": {\n        \"C\": \"x\",\n        \"D\": [1]\n    },\n    \"E\": true\n}\n";
        let old: Value = serde_json::from_str(text).unwrap();
        assert_eq!(json_document(text, &old, &old).unwrap(), text);
        let mut new = old.clone();
        new["B"]["D"] = json!([1, 2]);
        new.as_object_mut().unwrap().shift_remove("E");
        new["F"] = json!({"G": null});
        let out = json_document(text, &old, &new).unwrap();
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, new, "{out}");
        assert!(out.contains("        \"C\": \"x\",\n"), "{out}");
    }
}
