//! References between resources inside property trees: CloudFormation's
//! `Ref`, `Fn::GetAtt` and `Fn::Sub`, and Terraform's `type.name.attr`
//! traversals inside expression text. Finding them gives connections;
//! rewriting them keeps a template valid when a service is renamed.

use crate::model::Value;

/// One reference found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub target: String,
    /// The attribute (`Arn`, `StreamArn`), if any.
    pub attr: Option<String>,
    /// JSON pointer of the intrinsic within the walked value.
    pub pointer: String,
}

pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every CloudFormation reference in `v`; `pointer` is `v`'s own pointer.
pub fn cfn_refs(v: &Value, pointer: &str, out: &mut Vec<Reference>) {
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                let (k, inner) = m.iter().next().expect("one entry");
                match k.as_str() {
                    "Ref" => {
                        if let Some(t) = inner.as_str() {
                            if !t.starts_with("AWS::") {
                                out.push(Reference {
                                    target: t.to_string(),
                                    attr: None,
                                    pointer: pointer.to_string(),
                                });
                            }
                        }
                        return;
                    }
                    "Fn::GetAtt" => {
                        let parts: Option<(String, Option<String>)> = match inner {
                            Value::String(s) => Some(match s.split_once('.') {
                                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                                None => (s.clone(), None),
                            }),
                            Value::Array(a) => a.first().and_then(Value::as_str).map(|t| {
                                (
                                    t.to_string(),
                                    a.get(1).and_then(Value::as_str).map(str::to_string),
                                )
                            }),
                            _ => None,
                        };
                        if let Some((target, attr)) = parts {
                            out.push(Reference {
                                target,
                                attr,
                                pointer: pointer.to_string(),
                            });
                        } else {
                            cfn_refs(inner, &format!("{pointer}/Fn::GetAtt"), out);
                        }
                        return;
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match inner {
                            Value::String(s) => (Some(s.as_str()), None),
                            Value::Array(a) => (a.first().and_then(Value::as_str), a.get(1)),
                            _ => (None, None),
                        };
                        let locals: Vec<&str> = vars
                            .and_then(Value::as_object)
                            .map(|m| m.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        if let Some(t) = text {
                            for (name, attr) in sub_names(t) {
                                if !locals.contains(&name) && !name.starts_with("AWS::") {
                                    out.push(Reference {
                                        target: name.to_string(),
                                        attr: attr.map(str::to_string),
                                        pointer: pointer.to_string(),
                                    });
                                }
                            }
                        }
                        if let Some(vars) = vars {
                            cfn_refs(vars, &format!("{pointer}/Fn::Sub/1"), out);
                        }
                        return;
                    }
                    _ => {}
                }
            }
            for (k, x) in m {
                cfn_refs(x, &format!("{pointer}/{}", escape(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                cfn_refs(x, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The `${Name}` and `${Name.Attr}` placeholders of a `Fn::Sub` string;
/// `${!Literal}` is an escape and names nothing.
pub fn sub_names(s: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find('}') else { break };
        let inner = rest[..end].trim();
        rest = &rest[end + 1..];
        if inner.starts_with('!') || inner.is_empty() {
            continue;
        }
        match inner.split_once('.') {
            Some((a, b)) => out.push((a, Some(b))),
            None => out.push((inner, None)),
        }
    }
    out
}

/// The targets of a CloudFormation value, in order, without repeats.
pub fn cfn_targets(v: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    cfn_refs(v, "", &mut refs);
    let mut out: Vec<String> = Vec::new();
    for r in refs {
        if !out.contains(&r.target) {
            out.push(r.target);
        }
    }
    out
}

/// Rewrites CloudFormation references to `old` so they name `new`. Returns
/// whether anything changed.
pub fn rename_cfn(v: &mut Value, old: &str, new: &str) -> bool {
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                let key = m.keys().next().expect("one entry").clone();
                let inner = m.get_mut(&key).expect("key exists");
                match key.as_str() {
                    "Ref" => {
                        if inner.as_str() == Some(old) {
                            *inner = Value::String(new.to_string());
                            return true;
                        }
                        return false;
                    }
                    "Fn::GetAtt" => {
                        match inner {
                            Value::Array(a) if a.first().and_then(Value::as_str) == Some(old) => {
                                a[0] = Value::String(new.to_string());
                                return true;
                            }
                            Value::String(s) if s.split('.').next() == Some(old) => {
                                *s = format!("{new}{}", &s[old.len()..]);
                                return true;
                            }
                            _ => {}
                        }
                        return false;
                    }
                    "Fn::Sub" => {
                        let mut changed = false;
                        let text = match inner {
                            Value::String(s) => Some(s),
                            Value::Array(a) => a.get_mut(0).and_then(|x| match x {
                                Value::String(s) => Some(s),
                                _ => None,
                            }),
                            _ => None,
                        };
                        if let Some(s) = text {
                            let replaced = rename_in_sub(s, old, new);
                            if replaced != *s {
                                *s = replaced;
                                changed = true;
                            }
                        }
                        if let Value::Array(a) = inner {
                            if let Some(vars) = a.get_mut(1) {
                                changed |= rename_cfn(vars, old, new);
                            }
                        }
                        return changed;
                    }
                    _ => {}
                }
            }
            let mut changed = false;
            for x in m.values_mut() {
                changed |= rename_cfn(x, old, new);
            }
            changed
        }
        Value::Array(a) => {
            let mut changed = false;
            for x in a {
                changed |= rename_cfn(x, old, new);
            }
            changed
        }
        _ => false,
    }
}

fn rename_in_sub(s: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        let end = rest.find('}').unwrap_or(rest.len());
        let inner = &rest[..end];
        let name = inner.split('.').next().unwrap_or(inner);
        if name == old {
            out.push_str(new);
            out.push_str(&inner[old.len()..]);
        } else {
            out.push_str(inner);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Rewrites `DependsOn` (a string or a list of strings).
pub fn rename_depends_on(v: &mut Value, old: &str, new: &str) -> bool {
    match v {
        Value::String(s) if s == old => {
            *s = new.to_string();
            true
        }
        Value::Array(a) => a
            .iter_mut()
            .fold(false, |c, x| rename_depends_on(x, old, new) || c),
        _ => false,
    }
}

/// Rewrites Terraform traversals of the address `old` (`aws_sqs_queue.jobs`)
/// to `new` inside expression strings.
pub fn rename_tf(v: &mut Value, old: &str, new: &str) -> bool {
    match v {
        Value::String(s) => {
            let r = replace_traversal(s, old, new);
            if r != *s {
                *s = r;
                true
            } else {
                false
            }
        }
        Value::Object(m) => m
            .values_mut()
            .fold(false, |c, x| rename_tf(x, old, new) || c),
        Value::Array(a) => a.iter_mut().fold(false, |c, x| rename_tf(x, old, new) || c),
        _ => false,
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Replaces whole-token occurrences of a traversal.
pub fn replace_traversal(s: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(j) = s[i..].find(old) {
        let at = i + j;
        let before_ok = s[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c) && c != '.');
        let after = s[at + old.len()..].chars().next();
        let after_ok = after.is_none_or(|c| !is_ident(c));
        out.push_str(&s[i..at]);
        if before_ok && after_ok {
            out.push_str(new);
        } else {
            out.push_str(old);
        }
        i = at + old.len();
    }
    out.push_str(&s[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_every_intrinsic() {
        let v = json!({
            "A": {"Ref": "Table"},
            "B": {"Fn::GetAtt": ["Queue", "Arn"]},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"},
            "D": {"Fn::Sub": ["${X}-${Y.Name}", {"X": {"Ref": "Topic"}}]},
            "E": {"Fn::Sub": "${!NotARef}"},
            "F": {"Ref": "AWS::Region"},
        });
        let t = cfn_targets(&v);
        assert_eq!(t, ["Table", "Queue", "Bucket", "Y", "Topic"]);
        let mut refs = Vec::new();
        cfn_refs(&v, "/Properties", &mut refs);
        assert_eq!(refs[1].pointer, "/Properties/B");
        assert_eq!(refs[1].attr.as_deref(), Some("Arn"));
    }

    #[test]
    fn rename_rewrites_all_forms() {
        let mut v = json!({
            "A": {"Ref": "Old"},
            "B": {"Fn::GetAtt": ["Old", "Arn"]},
            "C": {"Fn::Sub": "${Old}-${Old.Arn}-${Older}"},
            "D": {"Ref": "Other"},
        });
        assert!(rename_cfn(&mut v, "Old", "New"));
        assert_eq!(
            v,
            json!({
                "A": {"Ref": "New"},
                "B": {"Fn::GetAtt": ["New", "Arn"]},
                "C": {"Fn::Sub": "${New}-${New.Arn}-${Older}"},
                "D": {"Ref": "Other"},
            })
        );
    }

    #[test]
    fn terraform_traversals() {
        assert_eq!(
            replace_traversal(
                "${aws_sqs_queue.jobs.arn} aws_sqs_queue.jobs2",
                "aws_sqs_queue.jobs",
                "aws_sqs_queue.work"
            ),
            "${aws_sqs_queue.work.arn} aws_sqs_queue.jobs2"
        );
    }
}
