//! Property maps: how a kind's CloudFormation properties and Terraform
//! arguments say the same thing, declared once as a list of rules and run in
//! both directions. A rule names what it reads on each side; what no rule
//! names has no counterpart, is reported, and is not written under the
//! other language's name.

use serde_json::json;

use super::to_sam::ToSam;
use super::to_tf::ToTf;
use crate::formats::names::{pascal_case, snake_case};
use crate::model::{Map, Service, Value};

/// What one side of a translation knows about the resource it works on.
pub struct Cx<'a> {
    /// The service as it is in the sketch being translated.
    pub s: &'a Service,
    /// The CloudFormation type (source or target).
    pub cfn: &'a str,
    /// The Terraform type (source or target).
    pub tf: &'a str,
    /// The Terraform address (`aws_sqs_queue.jobs`).
    pub addr: &'a str,
    /// The Terraform resource name (`jobs`).
    pub name: &'a str,
}

pub type ToTfFn = fn(&mut ToTf, &Cx, &Map, &mut Map);
pub type ToCfnFn = fn(&mut ToSam, &Cx, &Map, &mut Map);

/// Hand-written translation of a few properties, both ways. It reads the
/// properties and arguments it names, and no rule else reads them.
pub struct Custom {
    pub cfn: &'static [&'static str],
    pub tf: &'static [&'static str],
    pub to_tf: ToTfFn,
    pub to_cfn: ToCfnFn,
}

/// One correspondence between a CloudFormation property and a Terraform
/// argument.
pub enum Rule {
    /// The same value under another name.
    Rename(&'static str, &'static str),
    /// A CloudFormation object that Terraform writes as a block (a list of
    /// one object); its fields map by their own rules.
    Block(&'static str, &'static str, &'static [Rule]),
    /// A CloudFormation list of objects that Terraform writes as repeated
    /// blocks; each item's fields map by their own rules.
    Blocks(&'static str, &'static str, &'static [Rule]),
    /// A field of a CloudFormation object that Terraform has at the top:
    /// `Nested("StreamSpecification", "StreamViewType", "stream_view_type")`.
    Nested(&'static str, &'static str, &'static str),
    /// A CloudFormation property that Terraform writes as one field of a
    /// block: `InBlock("Tracing", "tracing_config", "mode")`.
    InBlock(&'static str, &'static str, &'static str),
    /// Tags as CloudFormation's list of `Key`/`Value` and Terraform's map.
    Tags(&'static str, &'static str),
    /// Tags as a map on both sides (SAM's resources, SSM parameters).
    TagMap(&'static str, &'static str),
    /// A JSON document: an object (or JSON text) in CloudFormation,
    /// `jsonencode(...)` in Terraform.
    Json(&'static str, &'static str),
    /// A JSON value that CloudFormation takes as text (a target's `Input`),
    /// `jsonencode(...)` in Terraform.
    JsonText(&'static str, &'static str),
    /// Written by hand both ways.
    Custom(&'static Custom),
    /// A CloudFormation property that says a connection (events, policies,
    /// connectors, authorizers): the exporter writes it from the arrow.
    Connection(&'static str),
    /// A CloudFormation property with no Terraform counterpart, and why.
    CfnOnly(&'static str, &'static str),
    /// A Terraform argument with no CloudFormation counterpart, and why.
    TfOnly(&'static str, &'static str),
    /// The Cloud Control provider: every argument is the CloudFormation
    /// property of the same name in snake_case.
    ByName,
}

/// Every rule of some groups.
fn all(groups: &[&'static [Rule]]) -> impl Iterator<Item = &'static Rule> {
    groups.iter().flat_map(|g| g.iter())
}

pub(crate) fn is_intrinsic(v: &Value) -> bool {
    matches!(v, Value::Object(o) if o.len() == 1
        && o.keys().next().is_some_and(|k| k == "Ref" || k.starts_with("Fn::") || k == "Condition"))
}

/// Whether an intrinsic function appears anywhere in a value.
fn holds_intrinsic(v: &Value) -> bool {
    is_intrinsic(v)
        || match v {
            Value::Array(a) => a.iter().any(holds_intrinsic),
            Value::Object(o) => o.values().any(holds_intrinsic),
            _ => false,
        }
}

/// A translated value as the JSON text CloudFormation takes: text (or an
/// intrinsic giving text) as it is, JSON as its text, JSON naming
/// resources as text made by `Fn::Sub` when each reference is a whole
/// value; `None` when it cannot be made text.
pub(crate) fn json_text(x: Value) -> Option<Value> {
    match x {
        Value::String(_) => Some(x),
        x if is_intrinsic(&x) => Some(x),
        x if !holds_intrinsic(&x) => Some(Value::String(x.to_string())),
        x => json_sub(&x),
    }
}

/// JSON holding references as JSON text made by `Fn::Sub`: each `Ref` and
/// `Fn::GetAtt` (and one-string `Fn::Sub`) that is a whole string value
/// becomes a `${...}` placeholder; `None` when another intrinsic is there.
pub(crate) fn json_sub(v: &Value) -> Option<Value> {
    fn escape(s: &str) -> String {
        s.replace("${", "${!")
    }
    fn walk(v: &Value) -> Option<Value> {
        if is_intrinsic(v) {
            let (k, x) = v.as_object()?.iter().next()?;
            let placeholder = match (k.as_str(), x) {
                ("Ref", Value::String(r)) => format!("${{{r}}}"),
                ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
                    format!("${{{}.{}}}", a[0].as_str()?, a[1].as_str()?)
                }
                ("Fn::GetAtt", Value::String(d)) => format!("${{{d}}}"),
                // A Sub string's own text, when JSON writes it as it is.
                ("Fn::Sub", Value::String(t))
                    if !t.contains(['"', '\\']) && !t.chars().any(char::is_control) =>
                {
                    t.clone()
                }
                _ => return None,
            };
            return Some(Value::String(placeholder));
        }
        Some(match v {
            Value::String(s) => Value::String(escape(s)),
            Value::Array(a) => Value::Array(a.iter().map(walk).collect::<Option<_>>()?),
            Value::Object(o) => {
                let mut m = Map::new();
                for (k, x) in o {
                    m.insert(escape(k), walk(x)?);
                }
                Value::Object(m)
            }
            other => other.clone(),
        })
    }
    let text = serde_json::to_string(&walk(v)?).ok()?;
    Some(json!({ "Fn::Sub": text }))
}

/// A Terraform block's body: the first item of a list, or an object.
fn block_of(v: &Value) -> Option<&Map> {
    match v {
        Value::Array(a) => a.first()?.as_object(),
        Value::Object(o) => Some(o),
        _ => None,
    }
}

// ================================================ CloudFormation → Terraform

/// Runs the rules over CloudFormation properties; the names no rule read.
pub fn to_tf(
    t: &mut ToTf,
    cx: &Cx,
    rules: &[&'static [Rule]],
    p: &Map,
    m: &mut Map,
) -> Vec<String> {
    let mut read: Vec<String> = Vec::new();
    // Renames first, in the order of the properties.
    for (k, v) in p {
        for r in all(rules) {
            if let Rule::Rename(c, tf) = r {
                if c == k {
                    let tv = t.value(v);
                    if !tv.is_null() {
                        m.insert((*tf).to_string(), tv);
                    }
                    read.push(k.clone());
                }
            }
        }
    }
    let mut left = Vec::new();
    for r in all(rules) {
        match r {
            Rule::Rename(..) => {}
            Rule::Block(c, tf, inner) | Rule::Blocks(c, tf, inner) => {
                let Some(v) = p.get(*c) else { continue };
                read.push((*c).to_string());
                // A value that is no object (an intrinsic choosing one) has
                // no block to write.
                let one = |t: &mut ToTf, v: &Value, left: &mut Vec<String>| -> Value {
                    match v.as_object() {
                        Some(o) if !is_intrinsic(v) => {
                            let mut b = Map::new();
                            for k in to_tf(t, cx, &[*inner], o, &mut b) {
                                left.push(format!("{c}.{k}"));
                            }
                            Value::Object(b)
                        }
                        _ => {
                            left.push((*c).to_string());
                            Value::Null
                        }
                    }
                };
                let out = match (r, v) {
                    (Rule::Blocks(..), Value::Array(items)) => Value::Array(
                        items
                            .iter()
                            .map(|i| one(t, i, &mut left))
                            .filter(|b| !b.is_null())
                            .collect(),
                    ),
                    (Rule::Blocks(..), _) => {
                        left.push((*c).to_string());
                        Value::Null
                    }
                    _ => match one(t, v, &mut left) {
                        b @ Value::Object(_) => json!([b]),
                        other => other,
                    },
                };
                if !out.is_null() {
                    m.insert((*tf).to_string(), out);
                }
            }
            Rule::Nested(c, field, tf) => {
                if let Some(v) = p.get(*c).and_then(|o| o.get(*field)) {
                    let tv = t.value(v);
                    if !tv.is_null() {
                        m.insert((*tf).to_string(), tv);
                    }
                }
            }
            Rule::InBlock(c, tf, field) => {
                if let Some(v) = p.get(*c) {
                    read.push((*c).to_string());
                    let tv = t.value(v);
                    if !tv.is_null() {
                        let mut b = m.get(*tf).and_then(block_of).cloned().unwrap_or_default();
                        b.insert((*field).to_string(), tv);
                        m.insert((*tf).to_string(), json!([b]));
                    }
                }
            }
            Rule::Tags(c, tf) | Rule::TagMap(c, tf) => {
                if let Some(v) = p.get(*c) {
                    read.push((*c).to_string());
                    let tv = t.tags(v);
                    m.insert((*tf).to_string(), tv);
                }
            }
            Rule::Json(c, tf) | Rule::JsonText(c, tf) => {
                if let Some(v) = p.get(*c) {
                    read.push((*c).to_string());
                    let tv = t.json_doc(v);
                    m.insert((*tf).to_string(), tv);
                }
            }
            Rule::Custom(cu) => {
                read.extend(cu.cfn.iter().map(|k| (*k).to_string()));
                (cu.to_tf)(t, cx, p, m);
            }
            Rule::Connection(c) => read.push((*c).to_string()),
            Rule::CfnOnly(c, why) => {
                if p.contains_key(*c) {
                    read.push((*c).to_string());
                    t.note(format!("{c} {why}; left out of"), cx.s.id.clone());
                }
            }
            Rule::TfOnly(..) => {}
            Rule::ByName => {
                for (k, v) in p {
                    if read.contains(k) {
                        continue;
                    }
                    let tv = if k == "Tags" {
                        t.tags(v)
                    } else {
                        t.snake_value(v)
                    };
                    if !tv.is_null() {
                        m.insert(snake_case(k), tv);
                    }
                    read.push(k.clone());
                }
            }
        }
    }
    // Fields of objects that `Nested` rules read in part.
    for (k, v) in p {
        if read.contains(k) {
            continue;
        }
        let nested: Vec<&str> = all(rules)
            .filter_map(|r| match r {
                Rule::Nested(c, f, _) if c == k => Some(*f),
                _ => None,
            })
            .collect();
        if nested.is_empty() {
            left.push(k.clone());
        } else if let Some(o) = v.as_object() {
            for f in o.keys() {
                if !nested.contains(&f.as_str()) {
                    left.push(format!("{k}.{f}"));
                }
            }
        }
    }
    left
}

// ================================================ Terraform → CloudFormation

/// Runs the rules over Terraform arguments; the names no rule read.
pub fn to_cfn(
    t: &mut ToSam,
    cx: &Cx,
    rules: &[&'static [Rule]],
    p: &Map,
    m: &mut Map,
) -> Vec<String> {
    let mut read: Vec<String> = Vec::new();
    for r in all(rules) {
        match r {
            Rule::Rename(c, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    if !m.contains_key(*c) {
                        let cv = t.value(v);
                        m.insert((*c).to_string(), cv);
                    }
                }
            }
            Rule::Block(c, tf, inner) | Rule::Blocks(c, tf, inner) => {
                let Some(v) = p.get(*tf) else { continue };
                read.push((*tf).to_string());
                let one = |t: &mut ToSam, b: &Map| -> Value {
                    let mut o = Map::new();
                    for k in to_cfn(t, cx, &[*inner], b, &mut o) {
                        t.left_out(cx, &format!("{tf}.{k}"));
                    }
                    Value::Object(o)
                };
                let out = match (r, v) {
                    (Rule::Blocks(..), Value::Array(items)) => Value::Array(
                        items
                            .iter()
                            .filter_map(Value::as_object)
                            .map(|b| one(t, b))
                            .collect(),
                    ),
                    (Rule::Block(..), _) => match block_of(v) {
                        Some(b) => one(t, b),
                        None => t.value(v),
                    },
                    (_, other) => t.value(other),
                };
                if out.as_object().is_none_or(|o| !o.is_empty()) {
                    m.insert((*c).to_string(), out);
                }
            }
            Rule::Nested(c, field, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    let cv = t.value(v);
                    let o = m
                        .entry((*c).to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Some(o) = o.as_object_mut() {
                        o.insert((*field).to_string(), cv);
                    }
                }
            }
            Rule::InBlock(c, tf, field) => {
                if let Some(b) = p.get(*tf).and_then(block_of) {
                    if let Some(v) = b.get(*field) {
                        let cv = t.value(v);
                        m.insert((*c).to_string(), cv);
                    }
                }
            }
            Rule::Tags(c, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    match t.value(v) {
                        Value::Object(tm) => {
                            let list: Vec<Value> = tm
                                .into_iter()
                                .map(|(k, x)| json!({"Key": k, "Value": x}))
                                .collect();
                            m.insert((*c).to_string(), Value::Array(list));
                        }
                        _ => t.left_out(cx, tf),
                    }
                }
            }
            Rule::TagMap(c, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    match t.value(v) {
                        o @ Value::Object(_) => {
                            m.insert((*c).to_string(), o);
                        }
                        _ => t.left_out(cx, tf),
                    }
                }
            }
            Rule::Json(c, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    let cv = match t.value(v) {
                        Value::String(s) => serde_json::from_str::<Value>(&s)
                            .ok()
                            .filter(Value::is_object)
                            .map(|o| t.value(&o)),
                        o @ Value::Object(_) => Some(o),
                        _ => None,
                    };
                    match cv {
                        Some(o) => {
                            m.insert((*c).to_string(), o);
                        }
                        None => t.left_out(cx, tf),
                    }
                }
            }
            Rule::JsonText(c, tf) => {
                if let Some(v) = p.get(*tf) {
                    read.push((*tf).to_string());
                    let x = t.value(v);
                    match json_text(x) {
                        Some(text) => {
                            m.insert((*c).to_string(), text);
                        }
                        None => t.left_out(cx, tf),
                    }
                }
            }
            Rule::Custom(cu) => {
                if cu.tf == ["*"] {
                    read.extend(p.keys().cloned());
                } else {
                    read.extend(cu.tf.iter().map(|k| (*k).to_string()));
                }
                (cu.to_cfn)(t, cx, p, m);
            }
            Rule::Connection(_) | Rule::CfnOnly(..) => {}
            Rule::TfOnly(tf, why) => {
                if p.contains_key(*tf) {
                    read.push((*tf).to_string());
                    t.note(format!("{tf} {why}; left out of"), cx.s.id.clone());
                }
            }
            Rule::ByName => {
                for (k, v) in p {
                    if read.contains(k) {
                        continue;
                    }
                    let cv = t.value(v);
                    m.insert(pascal_case(k), cv);
                    read.push(k.clone());
                }
            }
        }
    }
    // `InBlock` rules read a block together.
    for r in all(rules) {
        if let Rule::InBlock(_, tf, _) = r {
            if p.contains_key(*tf) && !read.iter().any(|x| x == tf) {
                read.push((*tf).to_string());
                let fields: Vec<&str> = all(rules)
                    .filter_map(|r| match r {
                        Rule::InBlock(_, b, f) if *b == *tf => Some(*f),
                        _ => None,
                    })
                    .collect();
                if let Some(b) = p.get(*tf).and_then(block_of) {
                    for k in b.keys() {
                        if !fields.contains(&k.as_str()) {
                            t.left_out(cx, &format!("{tf}.{k}"));
                        }
                    }
                }
            }
        }
    }
    p.keys().filter(|k| !read.contains(k)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_naming_resources_is_sub_text() {
        let v = json!({
            "QueueUrl": {"Ref": "Jobs"},
            "Arn": {"Fn::GetAtt": ["Jobs", "Arn"]},
            "Note": "costs ${5}",
            "Path": {"Fn::Sub": "/jobs/${Jobs}"},
        });
        let sub = json_sub(&v).unwrap();
        let text = sub["Fn::Sub"].as_str().unwrap();
        let back: Value = serde_json::from_str(text).unwrap();
        assert_eq!(back["QueueUrl"], "${Jobs}");
        assert_eq!(back["Arn"], "${Jobs.Arn}");
        // Literal `${` is escaped so Sub leaves it alone.
        assert_eq!(back["Note"], "costs ${!5}");
        assert_eq!(back["Path"], "/jobs/${Jobs}");
        // What Sub cannot say inside text is not made text.
        assert!(json_sub(&json!({"A": {"Fn::Join": ["", ["a", "b"]]}})).is_none());
        assert!(json_sub(&json!({"A": {"Fn::Sub": "say \"hi\""}})).is_none());
    }
}
