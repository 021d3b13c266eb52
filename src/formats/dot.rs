//! The graph as a Graphviz DOT digraph, for documentation: one node per
//! box with its kind and name, groups as clusters, arrows labelled with
//! their kind.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use crate::catalog::Category;
use crate::model::{Level, Sketch, View, ViewEdge, ViewNode, inert, is_unsafe};

/// A double-quoted DOT string.
pub fn quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            // Shown as a visible escape (`\e`), its backslash doubled for DOT.
            c if is_unsafe(c) => {
                s.push_str(&inert(c.encode_utf8(&mut [0; 4])).replace('\\', "\\\\"))
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// An arrow's label for documentation: its kind, and its own label if any.
pub fn edge_label(e: &ViewEdge) -> String {
    match e.label.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => format!("{}: {l}", e.kind.word()),
        None => e.kind.word().to_string(),
    }
}

fn node_line(n: &ViewNode) -> String {
    let mut label = format!("{} {}\n{}", n.kind.entry().glyph, n.kind.word(), n.label);
    if let Some(m) = &n.multiplicity {
        let _ = write!(label, " ×{m}");
    }
    let hidden = n.hidden_text();
    if !hidden.is_empty() {
        let _ = write!(label, "\n{hidden}");
    }
    let shape = match n.kind.category() {
        Category::Database | Category::Storage => "cylinder",
        _ => "box",
    };
    format!("{} [label={}, shape={shape}];", quote(&n.id), quote(&label))
}

/// The sketch at a level of detail as a DOT digraph, left to right.
pub fn export(sketch: &Sketch, level: Level) -> String {
    let view = View::of(sketch, level);
    let known: HashSet<&str> = view.groups.iter().map(|g| g.id.as_str()).collect();
    let mut members: BTreeMap<Option<&str>, Vec<&ViewNode>> = BTreeMap::new();
    for n in &view.nodes {
        let g = n.group.as_deref().filter(|g| known.contains(g));
        members.entry(g).or_default().push(n);
    }
    let mut children: BTreeMap<Option<&str>, Vec<(&str, &str)>> = BTreeMap::new();
    for g in &view.groups {
        let parent = g
            .parent
            .as_deref()
            .filter(|p| known.contains(p) && *p != g.id);
        children.entry(parent).or_default().push((&g.id, &g.label));
    }
    let name = sketch.name.as_deref().unwrap_or("stacksketch");
    let mut out = format!("digraph {} {{\n", quote(name));
    out.push_str("  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    let mut seen = HashSet::new();
    emit(None, 1, &members, &children, &mut seen, &mut out);
    for e in &view.edges {
        let label = edge_label(e);
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            quote(&e.from),
            quote(&e.to),
            quote(&label)
        );
    }
    out.push_str("}\n");
    out
}

fn emit<'a>(
    group: Option<&'a str>,
    depth: usize,
    members: &BTreeMap<Option<&str>, Vec<&ViewNode>>,
    children: &BTreeMap<Option<&'a str>, Vec<(&'a str, &'a str)>>,
    seen: &mut HashSet<&'a str>,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    for n in members.get(&group).into_iter().flatten() {
        let _ = writeln!(out, "{pad}{}", node_line(n));
    }
    for &(child, label) in children.get(&group).into_iter().flatten() {
        // A cycle of parents would nest forever; each group is written once.
        if !seen.insert(child) {
            continue;
        }
        let _ = writeln!(
            out,
            "{pad}subgraph {} {{",
            quote(&format!("cluster_{child}"))
        );
        let _ = writeln!(out, "{pad}  label={};", quote(label));
        emit(Some(child), depth + 1, members, children, seen, out);
        let _ = writeln!(out, "{pad}}}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape_what_dot_reads() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn a_template_becomes_a_digraph() {
        let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n";
        let sketch = crate::formats::read("t.yaml", text).unwrap();
        let d = export(&sketch, Level::Service);
        assert!(d.starts_with("digraph \"t\" {\n"), "{d}");
        assert!(d.contains("\"Q\" -> \"F\" [label=\"trigger: E\"];"), "{d}");
        assert!(d.trim_end().ends_with('}'));
    }
}
