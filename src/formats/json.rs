//! The graph as JSON, for scripts: `{"nodes":[...],"edges":[...]}`, sorted
//! and stable. `id` is the logical id (or Terraform address) and `kind` the
//! catalog word.

use serde::Serialize;

use crate::model::{Level, Sketch, View, is_unsafe};

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: &'a str,
    #[serde(rename = "type")]
    type_name: &'a str,
    label: &'a str,
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multiplicity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hidden: Option<String>,
}

#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    /// Between stacks: the kind of join (`ssm`, `export`, `bus`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    join: Option<&'a str>,
    /// Between stacks: the export, parameter or bus name that joins them.
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    inferred: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    wildcard: bool,
    /// For an arrow inferred from handler code: where the code makes the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a str>,
}

#[derive(Serialize)]
struct Graph<'a> {
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
}

/// The sketch's graph at a level of detail, as pretty JSON.
pub fn export(sketch: &Sketch, level: Level) -> String {
    let view = View::of(sketch, level);
    let mut nodes: Vec<Node> = view
        .nodes
        .iter()
        .map(|n| Node {
            id: &n.id,
            kind: if n.type_name == "stack" {
                "stack"
            } else {
                n.kind.word()
            },
            type_name: &n.type_name,
            label: &n.label,
            group: n.group.as_deref(),
            multiplicity: n.multiplicity.as_deref(),
            hidden: Some(n.hidden_text()).filter(|h| !h.is_empty()),
        })
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(b.id));
    let joins = &sketch.joins;
    let mut edges: Vec<Edge> = if level == Level::System && !sketch.stacks.is_empty() {
        // One edge per join, each with the name that joins the stacks.
        joins
            .iter()
            .map(|j| {
                let ext = |end: &Option<String>| {
                    view.nodes
                        .iter()
                        .find(|n| match end {
                            Some(s) => n.id == *s,
                            None => n.type_name == "external" && n.label == j.via,
                        })
                        .map_or("", |n| n.id.as_str())
                };
                Edge {
                    from: ext(&j.from),
                    to: ext(&j.to),
                    kind: crate::model::join_arrow_kind(j).word(),
                    join: Some(j.kind.word()),
                    via: Some(&j.via),
                    inferred: j.inferred,
                    wildcard: j.wildcard,
                    evidence: None,
                }
            })
            .collect()
    } else {
        view.edges
            .iter()
            .map(|e| {
                let j = e.via.as_ref().and_then(|_| {
                    joins.iter().find(|j| {
                        j.arrows
                            .iter()
                            .any(|(a, b, k)| *a == e.from && *b == e.to && *k == e.kind)
                    })
                });
                Edge {
                    from: &e.from,
                    to: &e.to,
                    kind: e.kind.word(),
                    join: j.map(|j| j.kind.word()),
                    via: j.map(|j| j.via.as_str()),
                    inferred: e.inferred,
                    wildcard: j.is_some_and(|j| j.wildcard),
                    evidence: sketch
                        .connection(&e.from, &e.to, Some(e.kind))
                        .and_then(|c| c.evidence.as_deref()),
                }
            })
            .collect()
    };
    edges.sort_by(|a, b| (a.from, a.to, a.kind, a.via).cmp(&(b.from, b.to, b.kind, b.via)));
    let mut s =
        serde_json::to_string_pretty(&Graph { nodes, edges }).expect("the graph serializes");
    s.push('\n');
    inert_json(s)
}

/// JSON with the characters that could act on a terminal (DEL, C1 codes,
/// bidirectional controls, which serde leaves raw) written as `\uXXXX`
/// escapes. Outside strings JSON has none of them, so the meaning stays.
pub fn inert_json(json: String) -> String {
    if !json.chars().any(is_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_the_json_meaning() {
        let raw = serde_json::to_string(&"a\u{7f}\u{9b}\u{202e}b").unwrap();
        let safe = inert_json(raw);
        assert_eq!(safe, "\"a\\u007f\\u009b\\u202eb\"");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{7f}\u{9b}\u{202e}b");
    }
}
