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
    let mut path = pointer.to_string();
    walk(v, &mut path, &mut |target, attr, path| {
        out.push(Reference {
            target: target.to_string(),
            attr: attr.map(str::to_string),
            pointer: path.to_string(),
        })
    });
}

/// Calls `f(target, attribute)` for every reference in `v`, without building
/// pointers (the fast path for lookups).
pub fn visit_targets(v: &Value, f: &mut impl FnMut(&str, Option<&str>)) {
    let mut path = String::new();
    walk_inner(v, &mut path, false, &mut |t, a, _| f(t, a));
}

fn walk(v: &Value, path: &mut String, f: &mut impl FnMut(&str, Option<&str>, &str)) {
    walk_inner(v, path, true, f)
}

/// One walk for both uses; `track` says whether `path` is kept up to date.
fn walk_inner(
    v: &Value,
    path: &mut String,
    track: bool,
    f: &mut impl FnMut(&str, Option<&str>, &str),
) {
    let push = |path: &mut String, seg: &str| -> usize {
        let len = path.len();
        if track {
            path.push('/');
            path.push_str(&escape(seg));
        }
        len
    };
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                let (k, inner) = m.iter().next().expect("one entry");
                match k.as_str() {
                    "Ref" => {
                        if let Some(t) = inner.as_str() {
                            if !t.starts_with("AWS::") {
                                f(t, None, path);
                            }
                        }
                        return;
                    }
                    "Fn::GetAtt" => {
                        match inner {
                            Value::String(s) => match s.split_once('.') {
                                Some((a, b)) => f(a, Some(b), path),
                                None => f(s, None, path),
                            },
                            Value::Array(a) if a.first().is_some_and(Value::is_string) => {
                                let t = a[0].as_str().expect("checked");
                                f(t, a.get(1).and_then(Value::as_str), path)
                            }
                            other => {
                                let len = push(path, "Fn::GetAtt");
                                walk_inner(other, path, track, f);
                                path.truncate(len);
                            }
                        }
                        return;
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match inner {
                            Value::String(s) => (Some(s.as_str()), None),
                            Value::Array(a) => (a.first().and_then(Value::as_str), a.get(1)),
                            _ => (None, None),
                        };
                        let locals = vars.and_then(Value::as_object);
                        if let Some(t) = text {
                            for (name, attr) in sub_names(t) {
                                if !locals.is_some_and(|l| l.contains_key(name))
                                    && !name.starts_with("AWS::")
                                {
                                    f(name, attr, path);
                                }
                            }
                        }
                        if let Some(vars) = vars {
                            let len = path.len();
                            if track {
                                path.push_str("/Fn::Sub/1");
                            }
                            walk_inner(vars, path, track, f);
                            path.truncate(len);
                        }
                        return;
                    }
                    _ => {}
                }
            }
            for (k, x) in m {
                let len = push(path, k);
                walk_inner(x, path, track, f);
                path.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = path.len();
                if track {
                    path.push('/');
                    path.push_str(&i.to_string());
                }
                walk_inner(x, path, track, f);
                path.truncate(len);
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
    let mut out: Vec<String> = Vec::new();
    visit_targets(v, &mut |t, _| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    });
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
