//! The graph as JSON, for scripts: `{"nodes":[...],"edges":[...]}`, sorted
//! and stable. `id` is the logical id (or Terraform address) and `kind` the
//! catalog word.

use serde::Serialize;

use crate::model::{Level, Sketch, View};

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
            kind: n.kind.word(),
            type_name: &n.type_name,
            label: &n.label,
            group: n.group.as_deref(),
            multiplicity: n.multiplicity.as_deref(),
            hidden: Some(n.hidden_text()).filter(|h| !h.is_empty()),
        })
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(b.id));
    let mut edges: Vec<Edge> = view
        .edges
        .iter()
        .map(|e| Edge {
            from: &e.from,
            to: &e.to,
            kind: e.kind.word(),
        })
        .collect();
    edges.sort_by(|a, b| (a.from, a.to, a.kind).cmp(&(b.from, b.to, b.kind)));
    let mut s =
        serde_json::to_string_pretty(&Graph { nodes, edges }).expect("the graph serializes");
    s.push('\n');
    s
}
