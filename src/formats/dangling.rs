//! References left behind by a delete: after a service is deleted, a
//! written template may still name it somewhere the edit could not cut it
//! out cleanly (inside a `!Sub` string, an `!If`, a property the recipes do
//! not know). CloudFormation refuses such a template (cfn-lint E1010,
//! E1020, E3003), so the writer lists each one where it is instead.

use std::collections::HashSet;

use crate::formats::refs;
use crate::model::Value;

/// One reference to a deleted id, at a one-based line of the written text.
#[derive(Clone, Debug, PartialEq)]
pub struct Dangling {
    pub line: usize,
    /// The resource or output that holds the reference.
    pub from: String,
    pub target: String,
    /// A property the delete took out with the reference, leaving `from`
    /// without something it may need.
    pub lost: Option<String>,
}

impl Dangling {
    pub fn text(&self, file: &str) -> String {
        match &self.lost {
            None => format!(
                "{file}:{}: `{}` still refers to `{}`, which the delete removes",
                self.line, self.from, self.target
            ),
            Some(p) => format!(
                "{file}:{}: `{}` would lose `{p}`, which names `{}`, which the delete removes; delete `{}` too or point `{p}` elsewhere first",
                self.line, self.from, self.target, self.from
            ),
        }
    }
}

/// Properties a resource does well without, so a delete may take them out
/// with the reference they held (an event, a policy, a variable, a target).
const OPTIONAL: &[&str] = &[
    "Events",
    "Policies",
    "Environment",
    "Targets",
    "Layers",
    "DeadLetterQueue",
    "DeadLetterConfig",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "EventInvokeConfig",
    "DestinationConfig",
    "LogGroupName",
    "Tags",
    "Description",
    "Variables",
    "Connectors",
    "ManagedPolicyArns",
    "Roles",
    "Users",
    "Groups",
    "AlarmActions",
    "OKActions",
    "InsufficientDataActions",
    "NotificationConfiguration",
    "Subscription",
    "Enrichment",
    "HealthCheckId",
    "VpcSecurityGroupIds",
];

/// Properties of resources kept by a delete that the delete took out whole
/// although they are not [`OPTIONAL`]: a pipe's `Source`, a stream
/// consumer's `StreamARN`. The resource would not deploy without them.
pub fn stripped(before: &str, after: &str, gone: &HashSet<String>) -> Vec<Dangling> {
    let parse = |t: &str| match crate::formats::sam::parse_document("", t) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    };
    let (Some(a), Some(b)) = (parse(before), parse(after)) else {
        return Vec::new();
    };
    fn resources(m: &crate::model::Map) -> Option<&crate::model::Map> {
        m.get("Resources").and_then(Value::as_object)
    }
    fn props(r: &Value) -> Option<&crate::model::Map> {
        r.get("Properties").and_then(Value::as_object)
    }
    let (Some(ra), Some(rb)) = (resources(&a), resources(&b)) else {
        return Vec::new();
    };
    let lines: Vec<&str> = after.lines().collect();
    let mut out = Vec::new();
    for (id, r) in rb {
        let (Some(pa), Some(pb)) = (ra.get(id).and_then(props), props(r)) else {
            continue;
        };
        for (k, v) in pa {
            if OPTIONAL.contains(&k.as_str()) {
                continue;
            }
            let mut lost = Vec::new();
            match pb.get(k) {
                None => lost.extend(naming(v, gone).map(|t| (k.clone(), t))),
                Some(after) => keys_lost(k, v, after, gone, &mut lost),
            }
            out.extend(lost.into_iter().map(|(path, t)| Dangling {
                line: line_of(&lines, id, "\u{0}"),
                from: id.clone(),
                target: t,
                lost: Some(path),
            }));
        }
    }
    out
}

/// The same findings at their lines in the template the edit started from,
/// where the user goes to fix them (the edited text was not written).
pub fn in_source(mut found: Vec<Dangling>, before: &str, after: &str) -> Vec<Dangling> {
    let lines: Vec<&str> = before.lines().collect();
    let written: Vec<&str> = after.lines().collect();
    for d in &mut found {
        let start = line_of(&lines, &d.from, "\u{0}");
        d.line = match &d.lost {
            // The property is gone from the edited text: its key in the source.
            Some(path) => {
                let leaf = path.rsplit('.').next().unwrap_or(path);
                line_of(&lines, &d.from, leaf.split('[').next().unwrap_or(leaf))
            }
            // The same line as the edited text has, in the source.
            None => written
                .get(d.line.saturating_sub(1))
                .and_then(|w| {
                    lines
                        .iter()
                        .enumerate()
                        .skip(start.saturating_sub(1))
                        .find(|(_, l)| l.trim() == w.trim())
                })
                .map_or(start, |(i, _)| i + 1),
        };
    }
    found.sort_by_key(|d| d.line);
    found
}

/// The first deleted id that `v` names.
fn naming(v: &Value, gone: &HashSet<String>) -> Option<String> {
    let mut target = None;
    refs::visit_targets(v, &mut |t, _| {
        if target.is_none() && gone.contains(base_id(t)) {
            target = Some(base_id(t).to_string());
        }
    });
    target
}

/// Keys of a kept object that the delete took out with a reference (a
/// destination's `RoleARN`, a target's `RoleArn`): the object may not do
/// without them. Lists may lose items; their items are compared only when
/// none was lost.
fn keys_lost(
    path: &str,
    before: &Value,
    after: &Value,
    gone: &HashSet<String>,
    out: &mut Vec<(String, String)>,
) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if OPTIONAL.contains(&k.as_str()) {
                    continue;
                }
                let here = format!("{path}.{k}");
                match b.get(k) {
                    None => out.extend(naming(v, gone).map(|t| (here, t))),
                    Some(w) => keys_lost(&here, v, w, gone, out),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                keys_lost(&format!("{path}[{i}]"), v, w, gone, out);
            }
        }
        _ => {}
    }
}

/// The resource an id names: SAM's generated `Function.Alias` and
/// `Function.Version` belong to `Function`.
fn base_id(t: &str) -> &str {
    t.split('.').next().unwrap_or(t)
}

/// The references in `text` (a SAM/CloudFormation template) to ids in
/// `gone` that the template no longer defines, in order of the text.
pub fn dangling(text: &str, gone: &HashSet<String>) -> Vec<Dangling> {
    if gone.is_empty() {
        return Vec::new();
    }
    let Ok(Value::Object(top)) = crate::formats::sam::parse_document("", text) else {
        return Vec::new();
    };
    let keys = |section: &str| -> Vec<String> {
        top.get(section)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let defined: HashSet<String> = keys("Resources")
        .into_iter()
        .chain(keys("Parameters"))
        .collect();
    let missing = |t: &str| {
        let t = base_id(t);
        gone.contains(t) && !defined.contains(t)
    };
    let mut found: Vec<(String, String)> = Vec::new();
    for section in ["Resources", "Outputs"] {
        let Some(m) = top.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (id, body) in m {
            let mut targets: Vec<String> = Vec::new();
            refs::visit_targets(body, &mut |t, _| {
                let t = base_id(t);
                if missing(t) && !targets.iter().any(|x| x == t) {
                    targets.push(t.to_string());
                }
            });
            if let Some(d) = body.get("DependsOn") {
                let names: Vec<&str> = match d {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                for t in names {
                    if missing(t) && !targets.iter().any(|x| x == t) {
                        targets.push(t.to_string());
                    }
                }
            }
            found.extend(targets.into_iter().map(|t| (id.clone(), t)));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Dangling> = found
        .into_iter()
        .map(|(from, target)| Dangling {
            line: line_of(&lines, &from, &target),
            from,
            target,
            lost: None,
        })
        .collect();
    out.sort_by_key(|d| d.line);
    out
}

/// The first line at or after the key `from:` that names `target` as a
/// whole word; the key's own line when none does (or `target` is NUL).
fn line_of(lines: &[&str], from: &str, target: &str) -> usize {
    let is_key = |l: &str| {
        let t = l.trim_start().trim_start_matches(['"', '\'']);
        t.strip_prefix(from).is_some_and(|r| {
            r.trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        })
    };
    let start = lines.iter().position(|l| is_key(l)).unwrap_or(0);
    if target.starts_with('\u{0}') {
        return start + 1;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let names = |l: &str| {
        l.match_indices(target).any(|(i, _)| {
            !l[..i].chars().next_back().is_some_and(word)
                && !l[i + target.len()..].chars().next().is_some_and(word)
        })
    };
    lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| names(l))
        .map_or(start + 1, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_names_a_deleted_id_and_where() {
        let text = "Resources:\n  Worker:\n    Type: AWS::Serverless::Function\n    DependsOn: Gone\n    Properties:\n      Description: !Sub 'uses ${Gone.Arn}'\n      Other: !Ref Kept\nOutputs:\n  O:\n    Value: !GetAtt Gone.Arn\n";
        let gone: HashSet<String> = ["Gone".to_string(), "Kept".to_string()].into();
        let d = dangling(text, &gone);
        let got: Vec<(usize, &str, &str)> = d
            .iter()
            .map(|d| (d.line, d.from.as_str(), d.target.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "Worker", "Gone"),
                (7, "Worker", "Kept"),
                (10, "O", "Gone")
            ]
        );
    }

    #[test]
    fn a_needed_property_taken_out_is_listed_an_optional_one_is_not() {
        let before = "Resources:\n  C:\n    Type: AWS::Kinesis::StreamConsumer\n    Properties:\n      ConsumerName: c\n      StreamARN: !GetAtt S.Arn\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables:\n          S: !Ref S\n";
        let after = "Resources:\n  C:\n    Type: AWS::Kinesis::StreamConsumer\n    Properties:\n      ConsumerName: c\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {}\n";
        let gone: HashSet<String> = ["S".to_string()].into();
        let d = stripped(before, after, &gone);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].from.as_str()), (2, "C"));
        assert_eq!(d[0].lost.as_deref(), Some("StreamARN"));
    }

    #[test]
    fn an_id_defined_again_is_not_dangling() {
        let text = "Parameters:\n  Gone:\n    Type: String\nResources:\n  W:\n    Type: X\n    Properties:\n      A: !Ref Gone\n";
        let gone: HashSet<String> = ["Gone".to_string()].into();
        assert!(dangling(text, &gone).is_empty());
    }
}
