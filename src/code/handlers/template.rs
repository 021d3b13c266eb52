//! Where something is in a template's text: the line of a resource, or of
//! a place in it given as a JSON pointer (`/Properties/Policies/0`), for
//! findings that say FILE:LINE. YAML, JSON and Terraform are read by their
//! indentation and keys, which is close enough to point at a line.

use std::collections::BTreeMap;

/// The template texts of a stack, keyed by how they are shown (`backend/template.yaml`).
pub struct Texts<'a> {
    pub files: &'a BTreeMap<String, String>,
}

impl Texts<'_> {
    /// `FILE:LINE` of `pointer` inside `resource`, or of the resource when
    /// the pointer cannot be followed; `None` when the resource is not found.
    pub fn at(&self, resource: &str, pointer: &str) -> Option<String> {
        for (file, text) in self.files {
            let lines: Vec<&str> = text.lines().collect();
            if let Some(start) = header_line(&lines, resource) {
                let line = follow(&lines, start, pointer);
                return Some(format!("{file}:{}", line + 1));
            }
        }
        None
    }

    /// Whether the line `at` (`FILE:LINE`) holds `key`.
    pub fn line_has(&self, at: &str, key: &str) -> bool {
        let Some((file, line)) = at.rsplit_once(':') else {
            return false;
        };
        let n: usize = line.parse().unwrap_or(0);
        self.files
            .get(file)
            .and_then(|t| t.lines().nth(n.saturating_sub(1)))
            .is_some_and(|l| l.contains(key))
    }

    /// `FILE:LINE` of a resource, or the first file when it is not found.
    pub fn at_or_file(&self, resource: &str, pointer: &str) -> String {
        self.at(resource, pointer)
            .or_else(|| self.files.keys().next().cloned())
            .unwrap_or_default()
    }
}

/// The line a resource starts on: `  Id:` in YAML, `"Id": {` in JSON,
/// `resource "type" "name"` in Terraform; `Globals:` for SAM's globals.
fn header_line(lines: &[&str], resource: &str) -> Option<usize> {
    let parts: Vec<&str> = resource.split('.').collect();
    let tf = match parts.as_slice() {
        ["module", name] => Some(format!("module \"{name}\"")),
        ["data", ty, name] => Some(format!("data \"{ty}\" \"{name}\"")),
        [ty, name] if ty.contains('_') => Some(format!("resource \"{ty}\" \"{name}\"")),
        _ => None,
    };
    lines.iter().position(|l| {
        let t = l.trim_start();
        match &tf {
            Some(h) => t.starts_with(h.as_str()),
            None => {
                (t.starts_with(resource) && t[resource.len()..].trim_start().starts_with(':'))
                    || t.starts_with(&format!("\"{resource}\""))
            }
        }
    })
}

/// The line of each pointer segment in turn, below `start`.
fn follow(lines: &[&str], start: usize, pointer: &str) -> usize {
    let floor = indent(lines[start]);
    let mut at = start;
    let mut segments = pointer.split('/').filter(|s| !s.is_empty()).peekable();
    // Terraform keeps a block's body under `Properties`, which its text does not say.
    if !lines[start].trim_end().ends_with(':') && segments.peek() == Some(&"Properties") {
        segments.next();
    }
    for seg in segments {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let found = match seg.parse::<usize>() {
            Ok(n) => nth_item(lines, at, n, floor).or(Some(at)),
            Err(_) => key_line(lines, at, &seg, floor),
        };
        match found {
            Some(j) => at = j,
            None => break,
        }
    }
    at
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// The lines below `at` inside the resource (above `floor`), blank and
/// comment lines left out.
fn below<'a>(
    lines: &'a [&'a str],
    at: usize,
    floor: usize,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    lines
        .iter()
        .enumerate()
        .skip(at + 1)
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(move |(_, l)| indent(l) > floor)
        .map(|(j, l)| (j, *l))
}

/// The line of key `seg` under the line `at`.
fn key_line(lines: &[&str], at: usize, seg: &str, floor: usize) -> Option<usize> {
    let here = indent(lines[at]);
    let dash = lines[at].trim_start().starts_with("- ");
    below(lines, at, floor)
        .take_while(|(_, l)| indent(l) > here || (dash && indent(l) > here))
        .find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            let quoted = format!("\"{seg}\"");
            let rest = t
                .strip_prefix(quoted.as_str())
                .or_else(|| t.strip_prefix(seg));
            rest.is_some_and(|r| r.trim_start().starts_with([':', '=', '{']))
        })
        .map(|(j, _)| j)
}

/// The line of the `n`th item of a YAML list under the line `at`;
/// `None` where items have no dash (Terraform blocks, JSON).
fn nth_item(lines: &[&str], at: usize, n: usize, floor: usize) -> Option<usize> {
    let here = indent(lines[at]);
    let mut items = below(lines, at, floor)
        .take_while(|(_, l)| indent(l) >= here)
        .filter(|(_, l)| l.trim_start().starts_with('-'));
    let first = items.next()?;
    let item_indent = indent(first.1);
    std::iter::once(first)
        .chain(items.filter(|(_, l)| indent(l) == item_indent))
        .nth(n)
        .map(|(j, _)| j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_lines() {
        let yaml = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - SQSSendMessagePolicy:\n            QueueName: q\n        - DynamoDBCrudPolicy:\n            TableName: t\n      Environment:\n        Variables:\n          TABLE: x\n";
        let files = BTreeMap::from([("template.yaml".to_string(), yaml.to_string())]);
        let t = Texts { files: &files };
        assert_eq!(t.at("Fn", "").unwrap(), "template.yaml:2");
        assert_eq!(
            t.at("Fn", "/Properties/Policies/1").unwrap(),
            "template.yaml:8"
        );
        assert_eq!(
            t.at("Fn", "/Properties/Policies/0").unwrap(),
            "template.yaml:6"
        );
        assert_eq!(
            t.at("Fn", "/Properties/Environment/Variables/TABLE")
                .unwrap(),
            "template.yaml:12"
        );
        let tf = "resource \"aws_lambda_function\" \"f\" {\n  handler = \"a.b\"\n  environment {\n    variables = {\n      TABLE = x\n    }\n  }\n}\n";
        let files = BTreeMap::from([("main.tf".to_string(), tf.to_string())]);
        let t = Texts { files: &files };
        assert_eq!(
            t.at(
                "aws_lambda_function.f",
                "/Properties/environment/0/variables/TABLE"
            )
            .unwrap(),
            "main.tf:5"
        );
    }
}
