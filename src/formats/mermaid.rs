//! The graph as a Mermaid flowchart, for documentation (GitHub renders
//! it): one node per box with its kind and name, groups as subgraphs,
//! arrows labelled with their kind.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use crate::catalog::Category;
use crate::model::{Level, Sketch, View, ViewNode, inert_line};

/// A Mermaid node id from a logical id: letters, digits and `_` only,
/// unique, and never a word Mermaid would read as syntax.
fn node_ids<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, String> {
    let mut used = HashSet::new();
    let mut out = HashMap::new();
    for id in ids {
        let mut s: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let lower = s.to_ascii_lowercase();
        if s.is_empty()
            || lower == "end"
            || lower.starts_with('o')
            || lower.starts_with('x')
            || s.starts_with(|c: char| c.is_ascii_digit())
        {
            s = format!("n_{s}");
        }
        let mut unique = s.clone();
        let mut k = 2;
        while !used.insert(unique.clone()) {
            unique = format!("{s}_{k}");
            k += 1;
        }
        out.insert(id, unique);
    }
    out
}

/// Text inside a quoted Mermaid label.
fn quote(text: &str) -> String {
    inert_line(text)
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

fn node_line(n: &ViewNode, id: &str) -> String {
    let mut text = format!(
        "{} {}<br/>{}",
        n.kind.entry().glyph,
        n.kind.word(),
        quote(&n.label)
    );
    if let Some(m) = &n.multiplicity {
        let _ = write!(text, " ×{}", quote(m));
    }
    let hidden = n.hidden_text();
    if !hidden.is_empty() {
        let _ = write!(text, "<br/>{}", quote(&hidden));
    }
    let (open, close) = match n.kind.category() {
        Category::Database | Category::Storage => ("[(", ")]"),
        Category::Api => ("([", "])"),
        Category::Compute => ("(", ")"),
        _ => ("[", "]"),
    };
    format!("{id}{open}\"{text}\"{close}")
}

/// The sketch at a level of detail as a Mermaid flowchart.
pub fn export(sketch: &Sketch, level: Level) -> String {
    export_view(&View::of(sketch, level))
}

/// The Mermaid node id of each box of a view, as [`export_view`] writes them.
pub fn view_node_ids(view: &View) -> HashMap<String, String> {
    node_ids(view.nodes.iter().map(|n| n.id.as_str()))
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// A view as a Mermaid flowchart.
pub fn export_view(view: &View) -> String {
    let ids = node_ids(view.nodes.iter().map(|n| n.id.as_str()));
    let gids = node_ids(view.groups.iter().map(|g| g.id.as_str()));
    let known: HashSet<&str> = view.groups.iter().map(|g| g.id.as_str()).collect();
    let mut members: BTreeMap<Option<&str>, Vec<&ViewNode>> = BTreeMap::new();
    for n in &view.nodes {
        let g = n.group.as_deref().filter(|g| known.contains(g));
        members.entry(g).or_default().push(n);
    }
    let mut children: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for g in &view.groups {
        let parent = g
            .parent
            .as_deref()
            .filter(|p| known.contains(p) && *p != g.id);
        children.entry(parent).or_default().push(&g.id);
    }
    let mut out = String::from("flowchart LR\n");
    let mut seen = HashSet::new();
    emit(
        view, None, 1, &ids, &gids, &members, &children, &mut seen, &mut out,
    );
    for e in &view.edges {
        let (Some(a), Some(b)) = (ids.get(e.from.as_str()), ids.get(e.to.as_str())) else {
            continue;
        };
        let label = crate::formats::dot::edge_label(e);
        let _ = writeln!(
            out,
            "  {a} -->|{}| {b}",
            quote(&label).replace('|', "#124;")
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn emit<'a>(
    view: &'a View,
    group: Option<&'a str>,
    depth: usize,
    ids: &HashMap<&str, String>,
    gids: &HashMap<&str, String>,
    members: &BTreeMap<Option<&str>, Vec<&ViewNode>>,
    children: &BTreeMap<Option<&'a str>, Vec<&'a str>>,
    seen: &mut HashSet<&'a str>,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    for n in members.get(&group).into_iter().flatten() {
        let _ = writeln!(out, "{pad}{}", node_line(n, &ids[n.id.as_str()]));
    }
    for &child in children.get(&group).into_iter().flatten() {
        // A cycle of parents would nest forever; each group is written once.
        if !seen.insert(child) {
            continue;
        }
        let label = view
            .groups
            .iter()
            .find(|g| g.id == child)
            .map_or(child, |g| g.label.as_str());
        let _ = writeln!(out, "{pad}subgraph {}[\"{}\"]", gids[child], quote(label));
        emit(
            view,
            Some(child),
            depth + 1,
            ids,
            gids,
            members,
            children,
            seen,
            out,
        );
        let _ = writeln!(out, "{pad}end");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_and_unique() {
        let ids = node_ids(["Orders", "end", "module.a.b", "module_a_b", "9x"].into_iter());
        assert_eq!(ids["Orders"], "n_Orders");
        assert_eq!(ids["end"], "n_end");
        assert_eq!(ids["module.a.b"], "module_a_b");
        assert_eq!(ids["module_a_b"], "module_a_b_2");
        assert_eq!(ids["9x"], "n_9x");
    }

    #[test]
    fn a_template_becomes_a_flowchart() {
        let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n";
        let sketch = crate::formats::read("t.yaml", text).unwrap();
        let m = export(&sketch, Level::Service);
        assert!(m.starts_with("flowchart LR\n"), "{m}");
        assert!(m.contains("F(\"λ function<br/>F\")"), "{m}");
        assert!(m.contains("Q -->|trigger: E| F"), "{m}");
    }
}
