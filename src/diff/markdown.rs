//! The diff as Markdown, for a pull request comment: a summary table, the
//! services and connections, the cost table, new findings, the text
//! diagram in a fenced block and a Mermaid graph with the changes styled.

use std::fmt::Write;

use super::text::signed_money;
use super::{Diff, cents, picture};
use crate::cost::money;
use crate::formats::mermaid;
use crate::model::{inert, inert_line};

/// Text from an input as inline code: one line, no backtick to end it
/// early, no pipe to split a table cell.
fn code(text: &str) -> String {
    format!(
        "`{}`",
        inert_line(text).replace('`', "'").replace('|', "\\|")
    )
}

pub fn write(d: &Diff, width: usize) -> String {
    let mut out = format!("## Architecture changes ({} level)\n\n", d.level.word());
    if d.drift {
        out.push_str("Drift between a Terraform state and the code: resources on one side only, and values the code sets that the state holds otherwise.\n\n");
    }
    if d.is_empty() {
        out.push_str("No change: the same services, connections, cost and checks.\n\n");
    }
    out.push_str(&table(d));
    out.push_str(&lists(d));
    out.push_str(&cost(d));
    if !d.new_checks.is_empty() {
        out.push_str("\n### New from `stacksketch check`\n\n");
        for c in &d.new_checks {
            let _ = writeln!(out, "- {}", inert_line(c).replace('`', "'"));
        }
    }
    out.push_str("\n### Diagram\n\n`+` added, `-` removed, `~` changed.\n\n```text\n");
    // The fence must not be closed by the diagram itself.
    out.push_str(&picture::draw(d, width, false, false).replace("```", "'''"));
    out.push_str("```\n\n```mermaid\n");
    out.push_str(&graph(d));
    out.push_str("```\n");
    inert(&out).into_owned()
}

fn table(d: &Diff) -> String {
    format!(
        "| | Services | Connections |\n|---|---:|---:|\n| Added | {} | {} |\n| Removed | {} | {} |\n| Changed | {} | |\n\n**Monthly cost:** {} → {} ({})\n",
        d.added.len(),
        d.arrows_added.len(),
        d.removed.len(),
        d.arrows_removed.len(),
        d.changed.len(),
        money(d.cost.before),
        money(d.cost.after),
        signed_money(d.cost.delta()),
    )
}

fn lists(d: &Diff) -> String {
    let mut out = String::new();
    if !(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty()) {
        out.push_str("\n### Services\n\n");
    }
    for id in &d.added {
        let _ = writeln!(out, "- **added** {} ({})", code(id), d.kind_of(id));
    }
    for id in &d.removed {
        let _ = writeln!(out, "- **removed** {} ({})", code(id), d.kind_of(id));
    }
    for c in &d.changed {
        let _ = writeln!(out, "- **changed** {} ({})", code(&c.id), d.kind_of(&c.id));
        for p in &c.properties {
            let _ = writeln!(out, "  - {}", code(p));
        }
    }
    if !(d.arrows_added.is_empty() && d.arrows_removed.is_empty()) {
        out.push_str("\n### Connections\n\n");
    }
    for (word, list) in [("added", &d.arrows_added), ("removed", &d.arrows_removed)] {
        for a in list {
            let _ = writeln!(
                out,
                "- **{word}** {} → {} ({})",
                code(&a.from),
                code(&a.to),
                a.kind.word()
            );
        }
    }
    out
}

fn cost(d: &Diff) -> String {
    let moved: Vec<_> = d
        .cost
        .services
        .iter()
        .filter(|s| cents(s.delta()) != 0)
        .collect();
    if moved.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("\n### Cost\n\n| Service | Before | After | Change |\n|---|---:|---:|---:|\n");
    for s in moved {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&s.id),
            money(s.before),
            money(s.after),
            signed_money(s.delta())
        );
    }
    let _ = writeln!(
        out,
        "| **Total** | {} | {} | {} |",
        money(d.cost.before),
        money(d.cost.after),
        signed_money(d.cost.delta())
    );
    out
}

/// The union graph in Mermaid, boxes styled by their mark and arrows by
/// `linkStyle`, in the order the flowchart lists them.
fn graph(d: &Diff) -> String {
    let (view, marks) = picture::union(d, false);
    let mut out = mermaid::export_view(&view);
    let ids = mermaid::view_node_ids(&view);
    out.push_str("  classDef added fill:#dafbe1,stroke:#1a7f37,color:#1a7f37\n");
    out.push_str(
        "  classDef removed fill:#f6f8fa,stroke:#cf222e,color:#8c959f,stroke-dasharray:4 3\n",
    );
    out.push_str("  classDef changed fill:#fff8c5,stroke:#9a6700,color:#9a6700\n");
    for (class, mark) in [
        ("added", picture::Mark::Added),
        ("removed", picture::Mark::Removed),
        ("changed", picture::Mark::Changed),
    ] {
        let mut members: Vec<&str> = view
            .nodes
            .iter()
            .filter(|n| marks.boxes.get(&n.id) == Some(&mark))
            .filter_map(|n| ids.get(&n.id).map(String::as_str))
            .collect();
        members.dedup();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    let drawn = view
        .edges
        .iter()
        .filter(|e| ids.contains_key(&e.from) && ids.contains_key(&e.to));
    for (i, e) in drawn.enumerate() {
        let style = match marks.arrows.get(&super::Arrow {
            from: e.from.clone(),
            to: e.to.clone(),
            kind: e.kind,
        }) {
            Some(picture::Mark::Added) => "stroke:#1a7f37,stroke-width:2px",
            Some(picture::Mark::Removed) => "stroke:#cf222e,stroke-dasharray:4 3",
            _ => continue,
        };
        let _ = writeln!(out, "  linkStyle {i} {style}");
    }
    out
}
