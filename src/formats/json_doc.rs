//! JSON templates read strictly: the same value tree `serde_json` gives,
//! except that a key given twice in one object is an error at the second
//! one, where `serde_json` would silently keep the last.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::{Map, Value};

/// A JSON parse failure at a one-based line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads one JSON document, refusing duplicate keys.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    DUPLICATE.with(|d| d.take());
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Strict
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v))
        .map_err(|e| {
            let mut message = e.to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            let (line, mut column) = (e.line(), e.column());
            // The parser stands just past a duplicate key's closing quote;
            // point at its opening quote instead.
            if let Some(key) = DUPLICATE.with(|d| d.take()) {
                let quoted = serde_json::to_string(&key).unwrap_or_default();
                if let Some(l) = text.lines().nth(line.saturating_sub(1)) {
                    let upto: String = l.chars().take(column).collect();
                    if let Some(at) = upto.rfind(&quoted) {
                        column = upto[..at].chars().count() + 1;
                    }
                }
            }
            JsonError {
                line,
                column,
                message,
            }
        })?;
    Ok(v)
}

thread_local! {
    // The key a failed parse stopped at, so the message can point at it.
    static DUPLICATE: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
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
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
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
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element_seed(Strict)? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if m.contains_key(&key) {
                let message = format!(
                    "the key `{}` appears twice in one object",
                    crate::model::inert(&key)
                );
                DUPLICATE.with(|d| d.set(Some(key)));
                return Err(de::Error::custom(message));
            }
            let v = access.next_value_seed(Strict)?;
            m.insert(key, v);
        }
        Ok(Value::Object(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, 2.5, "x", null, true], "b": {"c": -3}}"#;
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).unwrap(), want);
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_its_second_place() {
        let e = parse("{\n  \"A\": {\"C\": 1,\n    \"C\": 2}\n}")
            .err()
            .unwrap();
        assert_eq!((e.line, e.column), (3, 5), "{e:?}");
        assert!(e.message.contains("`C` appears twice"), "{e:?}");
        assert_eq!(
            parse(r#"{"A": {"C": 1}, "B": {"C": 1}}"#).unwrap(),
            json!({"A": {"C": 1}, "B": {"C": 1}})
        );
    }

    #[test]
    fn trailing_text_is_refused() {
        assert!(parse("{} x").is_err());
    }
}
