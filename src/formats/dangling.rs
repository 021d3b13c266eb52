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
}

impl Dangling {
    pub fn text(&self, file: &str) -> String {
        format!(
            "{file}:{}: `{}` still refers to `{}`, which the delete removes",
            self.line, self.from, self.target
        )
    }
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
    let missing = |t: &str| gone.contains(t) && !defined.contains(t);
    let mut found: Vec<(String, String)> = Vec::new();
    for section in ["Resources", "Outputs"] {
        let Some(m) = top.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (id, body) in m {
            let mut targets: Vec<String> = Vec::new();
            refs::visit_targets(body, &mut |t, _| {
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
        })
        .collect();
    out.sort_by_key(|d| d.line);
    out
}

/// The first line at or after the key `from:` that names `target` as a
/// whole word; the key's own line when none does.
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
    fn an_id_defined_again_is_not_dangling() {
        let text = "Parameters:\n  Gone:\n    Type: String\nResources:\n  W:\n    Type: X\n    Properties:\n      A: !Ref Gone\n";
        let gone: HashSet<String> = ["Gone".to_string()].into();
        assert!(dangling(text, &gone).is_empty());
    }
}
