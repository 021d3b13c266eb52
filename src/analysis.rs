//! What looks wrong in a sketch: services with no connections, cycles, and
//! connections the catalog says make no sense. Checks run on a view, so they
//! match what is drawn at each level (the graph pane lists them).

use crate::catalog::Kind;
use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::model::{ConnectionKind, Level, Sketch, View};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// A service nothing connects to or from.
    Orphan { id: String },
    /// Services that set each other off in a loop (events, invocations,
    /// writes), in order: the kind of loop that runs up a bill.
    Cycle { ids: Vec<String> },
    /// A connection the catalog does not expect between these kinds.
    Odd {
        from: String,
        to: String,
        kind: ConnectionKind,
        from_kind: &'static str,
        to_kind: &'static str,
    },
}

impl Warning {
    /// The service to select when the user picks the warning.
    pub fn subject(&self) -> &str {
        match self {
            Warning::Orphan { id } => id,
            Warning::Cycle { ids } => ids.first().map(String::as_str).unwrap_or(""),
            Warning::Odd { from, .. } => from,
        }
    }

    /// What to tell the user; `arrow` joins services (`→`, or `->` in ASCII).
    pub fn text(&self, arrow: &str) -> String {
        match self {
            Warning::Orphan { id } => format!("{id} is not connected to anything"),
            Warning::Cycle { ids } => {
                let mut loop_ids = ids.clone();
                if let Some(first) = ids.first() {
                    loop_ids.push(first.clone());
                }
                format!(
                    "loop: {} (events can go round forever)",
                    loop_ids.join(&format!(" {arrow} "))
                )
            }
            Warning::Odd {
                from,
                to,
                kind,
                from_kind,
                to_kind,
            } => format!("{from} {arrow} {to}: a {from_kind} does not usually {kind} a {to_kind}"),
        }
    }
}

/// All warnings for a view, in a stable order: odd connections, cycles,
/// then orphans.
/// Takes back the "not connected" of what carries a join between stacks
/// (an SSM parameter another stack reads, an export): it is connected,
/// through the join.
pub fn drop_joined(sketch: &crate::model::Sketch, warnings: &mut Vec<Warning>) {
    warnings.retain(|w| match w {
        Warning::Orphan { id } => !sketch
            .joins
            .iter()
            .any(|j| j.through.iter().any(|t| t == id)),
        _ => true,
    });
}

pub fn check(view: &View) -> Vec<Warning> {
    let mut out = Vec::new();
    if view.level == Level::System {
        return out;
    }
    let kinds: HashMap<&str, crate::catalog::Kind> =
        view.nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
    for e in &view.edges {
        let (Some(a), Some(b)) = (kinds.get(e.from.as_str()), kinds.get(e.to.as_str())) else {
            continue;
        };
        if !sensible(*a, *b, e.kind) {
            out.push(Warning::Odd {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
                from_kind: a.word(),
                to_kind: b.word(),
            });
        }
    }

    let mut g: DiGraph<&str, ()> = DiGraph::new();
    let index: HashMap<&str, _> = view
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), g.add_node(n.id.as_str())))
        .collect();
    // Posting to a WebSocket API's clients sends them a message; it does not
    // call the API's routes.
    let answers = |e: &&crate::model::ViewEdge| {
        e.kind == ConnectionKind::Write
            && kinds
                .get(e.to.as_str())
                .is_some_and(|k| *k == Kind::WebSocket)
    };
    for e in view
        .edges
        .iter()
        .filter(|e| sets_off(e.kind) && !answers(e))
    {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            g.update_edge(a, b, ());
        }
    }
    let order: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut cycles: Vec<Vec<String>> = tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut ids: Vec<&str> = c.iter().map(|n| g[*n]).collect();
            ids.sort_by_key(|id| order[id]);
            ids.into_iter().map(str::to_string).collect()
        })
        .collect();
    cycles.sort_by_key(|c| order[c[0].as_str()]);
    out.extend(cycles.into_iter().map(|ids| Warning::Cycle { ids }));

    let mut linked: HashMap<&str, bool> = HashMap::new();
    for e in &view.edges {
        linked.insert(e.from.as_str(), true);
        linked.insert(e.to.as_str(), true);
    }
    for n in &view.nodes {
        if !linked.contains_key(n.id.as_str()) {
            out.push(Warning::Orphan { id: n.id.clone() });
        }
    }
    out
}

/// Whether an arrow of this kind makes its target do something, so a loop
/// of them can run by itself. Reading, logging, auth and plain references
/// do not.
fn sets_off(kind: ConnectionKind) -> bool {
    !matches!(
        kind,
        ConnectionKind::Read | ConnectionKind::Ref | ConnectionKind::Log | ConnectionKind::Auth
    )
}

/// Whether the catalog expects this connection. A service that may write to
/// a store may also read it (the catalog lists the natural direction only).
fn sensible(from: crate::catalog::Kind, to: crate::catalog::Kind, kind: ConnectionKind) -> bool {
    from.allows(to, kind)
        || (kind == ConnectionKind::Read && from.allows(to, ConnectionKind::Write))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::run_script;
    use crate::model::Sketch;

    fn sketch(lines: &[&str]) -> Sketch {
        let mut s = Sketch::new();
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        run_script(&mut s, &lines).unwrap();
        s
    }

    #[test]
    fn finds_orphans_cycles_and_odd_connections() {
        let s = sketch(&[
            "add queue Jobs",
            "add function Worker",
            "add function Other",
            "add bucket Files",
            "add table Lonely",
            "connect Jobs Worker",
            "connect Worker Other",
            "connect Other Worker",
            "connect Files Jobs read",
            "add bucket Docs",
            "connect Worker Docs read",
            "connect Docs Worker ref",
        ]);
        let w = check(&View::of(&s, Level::Service));
        let texts: Vec<String> = w.iter().map(|w| w.text("→")).collect();
        assert!(
            w.contains(&Warning::Orphan {
                id: "Lonely".into()
            }),
            "{texts:?}"
        );
        assert!(
            w.contains(&Warning::Cycle {
                ids: vec!["Worker".into(), "Other".into()]
            }),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t == "Files → Jobs: a bucket does not usually read a queue"),
            "{texts:?}"
        );
        assert_eq!(w.len(), 3, "{texts:?}");
    }

    #[test]
    fn a_tidy_sketch_has_no_warnings() {
        // Reading a bucket it could write, and a read that closes a circle,
        // are both ordinary.
        let s = sketch(&[
            "add queue Jobs",
            "add function Worker",
            "add bucket Files",
            "connect Jobs Worker",
            "connect Files Worker",
            "connect Worker Files read",
        ]);
        assert!(check(&View::of(&s, Level::Service)).is_empty());
    }
}

/// Joins between stacks that resolve in no stack of the repository (an
/// import with no export, an SSM parameter read that no stack writes, a
/// bus no stack defines or publishes to), one line each, `FILE:LINE:`
/// first; joins matched by a guess or with wildcards are said so.
pub fn unresolved_joins(sketch: &Sketch) -> Vec<String> {
    let mut out = Vec::new();
    for j in &sketch.joins {
        let what = match j.kind {
            crate::model::JoinKind::Export => "imports",
            crate::model::JoinKind::Ssm => "reads the SSM parameter",
            crate::model::JoinKind::Bus => "uses the event bus",
            crate::model::JoinKind::RemoteState => "reads the remote state",
            _ => "uses",
        };
        let wild = if j.wildcard {
            " (placeholders taken as wildcards)"
        } else {
            ""
        };
        match (&j.from, &j.to) {
            (None, Some(to)) => out.push(format!(
                "{}: stack `{to}` {what} `{}`{wild}, which no stack here provides",
                j.at, j.via
            )),
            (Some(from), None) => out.push(format!(
                "{}: stack `{from}` {what} `{}`{wild}, which no stack here takes",
                j.at, j.via
            )),
            _ => {}
        }
    }
    out
}

/// Joins that were matched by a guess or with placeholders taken as
/// wildcards, one `note:` line each, so the reader knows which arrows to
/// check.
pub fn join_notes(sketch: &Sketch) -> Vec<String> {
    let mut out = Vec::new();
    for j in &sketch.joins {
        let (Some(from), Some(to)) = (&j.from, &j.to) else {
            continue;
        };
        if j.inferred {
            out.push(format!(
                "{}: note: stack `{to}` takes `{}` from `{from}` by a guess from its parameter's name; give the parameter a default or an override to be sure",
                j.at, j.via
            ));
        } else if j.wildcard {
            out.push(format!(
                "{}: note: stack `{to}` takes `{}` from `{from}`, matched with `${{...}}` placeholders taken as wildcards",
                j.at, j.via
            ));
        }
    }
    out
}
