//! The properties one resource changed by, one short line each:
//! `MemorySize 128 → 512`, `+ Environment.Variables.STAGE`, `- Timeout`.

use std::collections::BTreeMap;

use crate::model::{Map, Service, Value};

/// Longest value shown in a line before it is cut.
const SHOWN: usize = 40;

pub fn changes(old: &Service, new: &Service) -> Vec<String> {
    let mut out = Vec::new();
    if old.type_name != new.type_name {
        out.push(format!("Type {} → {}", old.type_name, new.type_name));
    }
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten_map("", &old.properties, &mut a);
    flatten_map("", &new.properties, &mut b);
    flatten_map("", &old.attributes, &mut a);
    flatten_map("", &new.attributes, &mut b);
    // In the order of the new version's keys, then the ones that went.
    for (key, v) in &b {
        match (a.get(key), v) {
            (None, _) => out.push(format!("+ {key}")),
            (Some(Value::Array(x)), Value::Array(y)) if x != y => out.extend(items(key, x, y)),
            (Some(w), _) if w != v => out.push(format!("{key} {} → {}", shown(w), shown(v))),
            _ => {}
        }
    }
    for key in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(format!("- {key}"));
    }
    out
}

/// Drift between a resource's code and its state: each value the code sets
/// literally (no `${...}` in it) that the state holds otherwise, told from
/// OLD to NEW (`memory_size 512 → 256` for state → code), or missing from
/// the state. What only the state has (computed attributes) is not drift.
pub fn drift(old: &Service, new: &Service, state_is_old: bool) -> Vec<String> {
    let (state, code) = if state_is_old { (old, new) } else { (new, old) };
    let code_root = Value::Object(code.properties.clone());
    let mut literals = Vec::new();
    literal_leaves(String::new(), &code_root, &mut literals);
    let state_root = Value::Object(state.properties.clone());
    let mut out = Vec::new();
    for (path, keys, value) in literals {
        let held = keys.iter().try_fold(&state_root, |v, k| match k {
            Key::Name(n) => v.get(n.as_str()),
            Key::Index(i) => v.get(*i),
        });
        match held {
            Some(h) if same_scalar(h, value) => {}
            Some(h) if state_is_old => out.push(format!("{path} {} → {}", shown(h), shown(value))),
            Some(h) => out.push(format!("{path} {} → {}", shown(value), shown(h))),
            None if state_is_old => out.push(format!("+ {path}")),
            None => out.push(format!("- {path}")),
        }
    }
    out
}

enum Key {
    Name(String),
    Index(usize),
}

/// Leaves of a value set literally: strings without `${`, numbers, booleans;
/// each with its dotted path and the keys to it.
fn literal_leaves<'a>(path: String, v: &'a Value, out: &mut Vec<(String, Vec<Key>, &'a Value)>) {
    fn keys_of(path: &str) -> Vec<Key> {
        let mut keys = Vec::new();
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (name, rest) = part.split_once('[').unwrap_or((part, ""));
            if !name.is_empty() {
                keys.push(Key::Name(name.to_string()));
            }
            for i in rest
                .split('[')
                .filter_map(|x| x.trim_end_matches(']').parse().ok())
            {
                keys.push(Key::Index(i));
            }
        }
        keys
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                literal_leaves(p, x, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                literal_leaves(format!("{path}[{i}]"), x, out);
            }
        }
        Value::String(s) if s.contains("${") => {}
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            let keys = keys_of(&path);
            out.push((path, keys, v));
        }
        Value::Null => {}
    }
}

/// Equal values, or scalars that read the same (`"256"` and `256`).
fn same_scalar(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    a == b || (text(a).is_some() && text(a) == text(b))
}

/// A list's items added and removed (`+ Policies[] {...}`), or that it
/// was only reordered.
fn items(key: &str, old: &[Value], new: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|v| !old.contains(v))
        .map(|v| format!("+ {key}[] {}", shown(v)))
        .collect();
    out.extend(
        old.iter()
            .filter(|v| !new.contains(v))
            .map(|v| format!("- {key}[] {}", shown(v))),
    );
    if out.is_empty() {
        out.push(format!("{key} reordered"));
    }
    out
}

/// Dotted paths to the values under a map. Lists, and functions such as
/// `{"Ref": ...}` or `{"Fn::GetAtt": ...}`, are values of their own.
fn flatten_map<'a>(prefix: &str, map: &'a Map, out: &mut BTreeMap<String, &'a Value>) {
    for (k, v) in map {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(m) if !m.is_empty() && !is_function(m) => flatten_map(&key, m, out),
            _ => {
                out.insert(key, v);
            }
        }
    }
}

fn is_function(m: &Map) -> bool {
    m.len() == 1
        && m.keys()
            .next()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// A value on one line, cut to [`SHOWN`] characters.
fn shown(v: &Value) -> String {
    let full = match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    };
    let one_line = full.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= SHOWN {
        one_line
    } else {
        let cut: String = one_line.chars().take(SHOWN - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;
    use serde_json::json;

    fn function(props: Value) -> Service {
        let mut s = Service::new("F", Kind::Function, "AWS::Serverless::Function");
        s.properties = props.as_object().unwrap().clone();
        s
    }

    #[test]
    fn lines_say_what_changed() {
        let old = function(json!({"MemorySize": 128, "Timeout": 3, "Handler": "app.handler"}));
        let new = function(json!({
            "MemorySize": 512,
            "Handler": "app.handler",
            "Environment": {"Variables": {"STAGE": "prod"}}
        }));
        assert_eq!(
            changes(&old, &new),
            [
                "+ Environment.Variables.STAGE",
                "MemorySize 128 → 512",
                "- Timeout"
            ]
        );
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn drift_is_what_the_code_sets_literally_and_the_state_holds_otherwise() {
        let mut state = function(json!({
            "memory_size": 512, "runtime": "python3.12", "arn": "arn:aws:...",
            "environment": [{"variables": {"STAGE": "dev"}}]
        }));
        state.type_name = "aws_lambda_function".into();
        let mut code = function(json!({
            "memory_size": 256, "runtime": "python3.12", "role": "${aws_iam_role.r.arn}",
            "timeout": 10,
            "environment": [{"variables": {"STAGE": "prod"}}]
        }));
        code.type_name = "aws_lambda_function".into();
        assert_eq!(
            drift(&state, &code, true),
            [
                "memory_size 512 → 256",
                "+ timeout",
                "environment[0].variables.STAGE dev → prod"
            ]
        );
        assert_eq!(drift(&code, &state, false)[0], "memory_size 256 → 512");
    }

    #[test]
    fn lists_say_which_items_came_and_went() {
        let old = function(json!({"Policies": ["A", {"B": 1}]}));
        let new = function(json!({"Policies": [{"B": 1}, "C"]}));
        assert_eq!(changes(&old, &new), ["+ Policies[] C", "- Policies[] A"]);
        let swapped = function(json!({"Policies": [{"B": 1}, "A"]}));
        assert_eq!(changes(&old, &swapped), ["Policies reordered"]);
    }

    #[test]
    fn functions_and_long_values_are_one_value() {
        let old = function(json!({"Role": {"Fn::GetAtt": ["R", "Arn"]}, "Code": "x"}));
        let new = function(json!({"Role": {"Fn::GetAtt": ["S", "Arn"]}, "Code": "y".repeat(80)}));
        let c = changes(&old, &new);
        assert_eq!(
            c[1],
            r#"Role {"Fn::GetAtt":["R","Arn"]} → {"Fn::GetAtt":["S","Arn"]}"#
        );
        assert!(c[0].ends_with('…') && c[0].chars().count() < 60, "{}", c[0]);
    }
}
