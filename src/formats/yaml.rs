//! YAML in and out: the only file that names the YAML crate. Reads YAML into
//! the neutral value tree (CloudFormation short tags become their long JSON
//! form, `!Ref X` becomes `{"Ref": "X"}`), and writes neutral values back as
//! block YAML with short tags.

use std::fmt::{self, Write as _};

use serde::de::{
    Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::Number;

use crate::model::{Map, Value};

/// A YAML parse failure, with a one-based position when the parser gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads one YAML document into a neutral value. A key given twice in one
/// mapping is an error at the second one (CloudFormation refuses such a
/// template, and keeping either value would hide the other).
pub fn parse(text: &str) -> Result<Parsed, YamlError> {
    check_printable(text)?;
    check_flow_depth(text)?;
    let de = serde_yaml::Deserializer::from_str(text);
    let v = Neutral::deserialize(de).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = e.to_string();
        // The crate appends " at line X column Y"; the caller prints its own.
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        YamlError {
            line,
            column,
            message,
        }
    })?;
    Ok(Parsed { value: v.0 })
}

/// Refuses a character YAML does not allow in a file (control characters
/// other than tab and line breaks, DEL, C1 codes but NEL), at its line and
/// column. The parser would refuse it too, but only with a byte offset.
fn check_printable(text: &str) -> Result<(), YamlError> {
    let bad = |c: char| {
        let n = c as u32;
        (n < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
            || (0x7f..=0x9f).contains(&n) && n != 0x85
            || matches!(n, 0xfffe | 0xffff)
    };
    let Some(at) = text.find(bad) else {
        return Ok(());
    };
    let c = text[at..].chars().next().expect("found");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Err(YamlError {
        line: text[..at].matches('\n').count() + 1,
        column: text[line_start..at].chars().count() + 1,
        message: format!(
            "the control character U+{:04X} is not allowed in YAML; write it as an escape inside double quotes (\"\\u{:04x}\")",
            c as u32, c as u32
        ),
    })
}

/// How deep `[...]` and `{...}` may nest. The parser gives up at 128
/// levels of any kind anyway, but only after work that grows with the
/// square of the depth; no template needs a tenth of this.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Refuses flow collections nested deeper than [`MAX_FLOW_DEPTH`], in one
/// pass over the text, before the parser sees it. Brackets count where a
/// value may start (after `:`, `-`, `,`, `[`, `{` or at a line's start);
/// quoted strings and comments are skipped, so a bracket inside text does
/// not count.
fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let b = text.as_bytes();
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    // Whether the next non-blank byte starts a value.
    let mut value_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                value_start = true;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' if value_start => {
                // A quoted scalar runs to its closing quote, across lines.
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' && c == b'"' {
                        i += 1;
                    } else if b[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                value_start = false;
            }
            b'[' | b'{' if value_start => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(YamlError {
                        line,
                        column: text[line_start..i].chars().count() + 1,
                        message: format!(
                            "lists and mappings are nested more than {MAX_FLOW_DEPTH} deep here"
                        ),
                    });
                }
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                value_start = false;
            }
            b',' | b':' | b'-' => value_start = true,
            _ => value_start = false,
        }
        i += 1;
    }
    Ok(())
}

pub struct Parsed {
    pub value: Value,
}

/// Parses a value typed for a property (`512`, `true`, `[a, b]`,
/// `!Ref Table`, `two words`), refusing what does not parse: an unclosed
/// bracket or quote, or a tag with no argument (`!Ref` alone). The reason
/// says what is wrong.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let p = parse(text).map_err(|e| {
        format!(
            "`{}` is not a value: {} (at column {}); quote it to mean the text",
            text, e.message, e.column
        )
    })?;
    if let Some(tag) = empty_intrinsic(&p.value) {
        let example = if tag == "!GetAtt" {
            "Table.Arn"
        } else {
            "Table"
        };
        return Err(format!("`{tag}` needs an argument, like `{tag} {example}`"));
    }
    Ok(p.value)
}

/// The short tag of the first intrinsic function given nothing to work on.
fn empty_intrinsic(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => {
            if let Some((_, name, arg)) = as_tag(m) {
                if arg.is_null() {
                    return Some(format!("!{name}"));
                }
            }
            m.values().find_map(empty_intrinsic)
        }
        Value::Array(a) => a.iter().find_map(empty_intrinsic),
        _ => None,
    }
}

/// Parses a short YAML value, as typed on a command line (`512`, `true`,
/// `[a, b]`, `!Ref Table`). Anything that is not valid YAML is a string.
pub fn parse_scalar(text: &str) -> Value {
    match parse(text) {
        Ok(p) if !p.value.is_null() || text.trim() == "null" || text.trim() == "~" => p.value,
        _ => Value::String(text.to_string()),
    }
}

struct Neutral(Value);

impl<'de> Deserialize<'de> for Neutral {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NeutralVisitor).map(Neutral)
    }
}

struct NeutralVisitor;

fn number(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(f.to_string()))
}

impl<'de> Visitor<'de> for NeutralVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Neutral::deserialize(d).map(|n| n.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(Neutral(x)) = seq.next_element()? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed(&m))? {
            let Neutral(v) = access.next_value()?;
            m.insert(key, v);
        }
        Ok(Value::Object(m))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents): (String, _) = data.variant()?;
        let Neutral(value) = contents.newtype_variant()?;
        Ok(from_tag(tag.trim_start_matches('!'), value))
    }
}

/// Reads a mapping key and refuses one the mapping already holds. The check
/// runs inside the key's own visit, so the parser stamps the error with the
/// key's line and column.
struct KeySeed<'m>(&'m Map);

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl KeySeed<'_> {
    fn check<E: serde::de::Error>(&self, key: String) -> Result<String, E> {
        if self.0.contains_key(&key) {
            return Err(E::custom(format!(
                "the key `{}` appears twice in one mapping",
                crate::model::inert(&key)
            )));
        }
        Ok(key)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        self.check(key_text(&number(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        self.check(v)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        self.check("null".to_string())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
        self.check("null".to_string())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        let v = NeutralVisitor.visit_seq(seq)?;
        self.check(key_text(&v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        let v = NeutralVisitor.visit_map(map)?;
        self.check(key_text(&v))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let v = NeutralVisitor.visit_enum(data)?;
        self.check(key_text(&v))
    }
}

fn key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The long form of a CloudFormation short tag.
fn from_tag(tag: &str, value: Value) -> Value {
    let mut m = Map::new();
    match tag {
        "Ref" => {
            m.insert("Ref".into(), value);
        }
        "Condition" => {
            m.insert("Condition".into(), value);
        }
        "GetAtt" => {
            let v = match value {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                    None => Value::String(s),
                },
                other => other,
            };
            m.insert("Fn::GetAtt".into(), v);
        }
        other => {
            m.insert(format!("Fn::{other}"), value);
        }
    }
    Value::Object(m)
}

/// The short tag for a one-key intrinsic mapping, if it is one.
fn as_tag(m: &Map) -> Option<(&'static str, String, &Value)> {
    if m.len() != 1 {
        return None;
    }
    let (k, v) = m.iter().next()?;
    if k == "Ref" {
        return Some(("Ref", "Ref".into(), v));
    }
    let name = k.strip_prefix("Fn::")?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(("Fn", name.to_string(), v))
}

/// Writes a neutral value as the body of a YAML document.
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() && as_tag(m).is_none() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(
                &inline(other).unwrap_or_else(|| serde_json::to_string(other).unwrap_or_default()),
            );
            out.push('\n');
        }
    }
    out
}

/// Writes `key: value` lines for one mapping entry at an indentation.
pub fn entry_to_string(key: &str, v: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_entry(&mut out, key, v, indent);
    out
}

/// Writes an entry whose key keeps its original spelling (quotes and all).
pub fn entry_with_key_text(key_text: &str, v: &Value, indent: usize) -> String {
    let mut out = String::new();
    pad(&mut out, indent);
    out.push_str(key_text);
    out.push(':');
    write_value_after_key(&mut out, v, indent);
    out
}

/// Writes one `- item` of a block sequence at an indentation.
pub fn seq_item_to_string(v: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_seq(&mut out, std::slice::from_ref(v), indent);
    out
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn write_map(out: &mut String, m: &Map, indent: usize) {
    for (k, v) in m {
        pad(out, indent);
        write_entry_rest(out, k, v, indent);
    }
}

fn write_entry(out: &mut String, k: &str, v: &Value, indent: usize) {
    pad(out, indent);
    write_entry_rest(out, k, v, indent);
}

fn write_entry_rest(out: &mut String, k: &str, v: &Value, indent: usize) {
    out.push_str(&scalar_str(k));
    out.push(':');
    write_value_after_key(out, v, indent);
}

/// Writes a value that follows `key:` or `- `; `indent` is the key's column.
fn write_value_after_key(out: &mut String, v: &Value, indent: usize) {
    if let Some(s) = inline(v) {
        out.push(' ');
        out.push_str(&s);
        out.push('\n');
        return;
    }
    match v {
        Value::String(s) => {
            out.push(' ');
            write_block_string(out, s, indent + 2);
        }
        Value::Object(m) => {
            if let Some((_, name, inner)) = as_tag(m) {
                let _ = write!(out, " !{name}");
                match inner {
                    Value::Object(im) if !im.is_empty() => {
                        out.push('\n');
                        write_map(out, im, indent + 2);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_seq(out, a, indent + 2);
                    }
                    Value::String(s) => {
                        out.push(' ');
                        write_block_string(out, s, indent + 2);
                    }
                    other => {
                        out.push(' ');
                        out.push_str(&inline(other).unwrap_or_else(|| "null".into()));
                        out.push('\n');
                    }
                }
            } else {
                out.push('\n');
                write_map(out, m, indent + 2);
            }
        }
        Value::Array(a) => {
            out.push('\n');
            write_seq(out, a, indent + 2);
        }
        _ => unreachable!("scalars are inline"),
    }
}

fn write_seq(out: &mut String, a: &[Value], indent: usize) {
    for v in a {
        pad(out, indent);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() && as_tag(m).is_none() => {
                // The first entry shares the dash's line.
                let mut first = true;
                for (k, x) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        pad(out, indent + 2);
                    }
                    write_entry_rest(out, k, x, indent + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() && inline(v).is_none() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => write_value_after_key(out, other, indent),
        }
    }
}

/// A multi-line string as a literal block, or a quoted one when a block
/// cannot carry it exactly.
fn write_block_string(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let blockable = !body.is_empty()
        && !body.starts_with([' ', '\t'])
        && !s.contains('\r')
        && !body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        && body
            .lines()
            .all(|l| l.trim_end() == l || !l.trim().is_empty());
    if !blockable {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
        out.push('\n');
        return;
    }
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// The one-line form of a value, when it has one.
fn inline(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.contains('\n') => Some(scalar_str(s)),
        Value::String(_) => None,
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Object(m) => {
            let (kind, name, inner) = as_tag(m)?;
            match (kind, name.as_str(), inner) {
                ("Fn", "GetAtt", Value::Array(parts))
                    if parts.len() == 2
                        && parts
                            .iter()
                            .all(|p| p.as_str().is_some_and(|s| !s.contains('\n'))) =>
                {
                    let text = format!("{}.{}", parts[0].as_str()?, parts[1].as_str()?);
                    Some(format!("!GetAtt {}", scalar_str(&text)))
                }
                (_, _, inner @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                    Some(format!("!{name} {}", inline(inner)?))
                }
                (_, _, Value::Array(items)) if items.iter().all(is_flow_scalar) => Some(format!(
                    "!{name} [{}]",
                    items
                        .iter()
                        .map(flow_scalar)
                        .collect::<Option<Vec<_>>>()?
                        .join(", ")
                )),
                _ => None,
            }
        }
        Value::Array(a) if a.len() <= 8 && a.iter().all(is_flow_scalar) => {
            let parts = a.iter().map(flow_scalar).collect::<Option<Vec<_>>>()?;
            let line = format!("[{}]", parts.join(", "));
            (line.len() <= 80).then_some(line)
        }
        Value::Array(_) => None,
    }
}

fn is_flow_scalar(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.contains('\n'),
        Value::Number(_) | Value::Bool(_) | Value::Null => true,
        _ => false,
    }
}

/// A scalar inside a flow sequence, where `,[]{}` need quoting too.
fn flow_scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let plain = scalar_str(s);
            if plain.starts_with(['"', '\'']) || !s.contains([',', '[', ']', '{', '}']) {
                Some(plain)
            } else {
                serde_json::to_string(s).ok()
            }
        }
        other => inline(other),
    }
}

/// A string as a YAML scalar, plain when that reads back as the same string.
pub fn scalar_str(s: &str) -> String {
    match serde_yaml::to_string(s) {
        Ok(out) => {
            let t = out.strip_suffix('\n').unwrap_or(&out);
            if t.contains('\n') {
                serde_json::to_string(s).unwrap_or_default()
            } else if !t.starts_with(['\'', '"']) && yaml11_special(t) {
                format!("'{}'", t.replace('\'', "''"))
            } else {
                t.to_string()
            }
        }
        Err(_) => serde_json::to_string(s).unwrap_or_default(),
    }
}

/// Plain scalars that YAML 1.1 readers (PyYAML, and so cfn-lint) would not
/// read as strings: dates, `y`/`n`/`on`/`off`, base-60 and octal numbers.
fn yaml11_special(t: &str) -> bool {
    let b = t.as_bytes();
    let date = b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && t[5..]
            .split(['-', 'T', ' ', ':', '.'])
            .all(|p| p.bytes().all(|c| c.is_ascii_digit() || c == b'Z'));
    let word = matches!(
        t.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    );
    let sexagesimal = t.contains(':')
        && t.split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit() || c == b'_'));
    let octal = b.len() > 1 && b[0] == b'0' && b.iter().all(u8::is_ascii_digit);
    date || word || sexagesimal || octal
}

/// A serde struct as YAML (for the native sketch file).
pub fn serialize<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_yaml::to_string(v).map_err(|e| e.to_string())
}

/// A serde struct from YAML (for the native sketch file and config).
pub fn deserialize<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        YamlError {
            line,
            column,
            message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_and_long_tags_read_the_same() {
        let a = parse("A: !Ref X\nB: !GetAtt Y.Arn\nC: !Sub '${X}-y'\nD: !If [c, a, b]\n")
            .unwrap()
            .value;
        let b = parse(
            "A:\n  Ref: X\nB:\n  Fn::GetAtt: [Y, Arn]\nC:\n  Fn::Sub: '${X}-y'\nD:\n  Fn::If: [c, a, b]\n",
        )
        .unwrap()
        .value;
        assert_eq!(a, b);
        assert_eq!(a["B"], json!({"Fn::GetAtt": ["Y", "Arn"]}));
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_its_second_place() {
        let e = parse("A: 1\nB:\n  C: 1\n  C: 2\n").err().unwrap();
        assert_eq!((e.line, e.column), (4, 3), "{e:?}");
        assert!(e.message.contains("`C` appears twice"), "{e:?}");
        // The same key in two different mappings is fine.
        assert!(parse("A: {C: 1}\nB: {C: 2}\n").is_ok());
    }

    #[test]
    fn deep_flow_nesting_is_refused_where_it_starts() {
        let n = MAX_FLOW_DEPTH + 1;
        let deep = format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n));
        let e = parse(&deep).err().unwrap();
        assert_eq!((e.line, e.column), (1, 4 + MAX_FLOW_DEPTH), "{e:?}");
        assert!(e.message.contains("nested"), "{e:?}");
        // Brackets in text, quoted or plain, and in comments do not count.
        let text = format!(
            "a: \"{0}\"\nb: '{0}'\nc: x{0}\n# {0}\nd: [[1], {{e: [2]}}]\n",
            "[".repeat(n)
        );
        assert!(parse(&text).is_ok(), "{:?}", parse(&text).err());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("a: 1\nb: [1, 2\nc: 3\n").err().unwrap();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn writing_reads_back() {
        let v = json!({
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Handler": "index.handler",
                "Env": {"Variables": {"T": {"Ref": "Table"}, "A": {"Fn::GetAtt": ["Q", "Arn"]}}},
                "Code": "line one\nline two\n",
                "Yes": "yes",
                                "Num": "012",
                "Date": "2010-09-09",
                "On": "on",
                "Time": "12:30",
                "Empty": "",
                "Policies": [{"S3ReadPolicy": {"BucketName": {"Ref": "B"}}}, "AWSLambdaBasicExecutionRole"],
                "Join": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
                "Sub": {"Fn::Sub": ["${x}", {"x": {"Ref": "B"}}]},
                "Nested": [[1, 2], [{"a": 1}]],
                "Colon": "a: b",
                "List": ["a,b", "c"],
            }
        });
        let text = to_string(&v);
        let back = parse(&text).unwrap().value;
        assert_eq!(back, v, "\n{text}");
        assert!(text.contains("T: !Ref Table"), "{text}");
        assert!(text.contains("A: !GetAtt Q.Arn"), "{text}");
    }
}
