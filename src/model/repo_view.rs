//! The levels of detail of a repository read as one sketch: at the system
//! level one box per stack, with a summary of what it holds, and the joins
//! between stacks as arrows; at the other levels the joins' arrows between
//! services carry what joins them, and what no stack provides is an
//! external box.

use std::collections::BTreeMap;

use super::view::folds;
use super::{
    ConnectionKind, Dialect, Join, JoinKind, Level, Sketch, View, ViewEdge, ViewNode, stack_of,
};
use crate::catalog::Kind;

/// The id of the external box standing for what no stack provides.
pub fn external_id(join: &Join) -> String {
    format!("external:{}", join.via)
}

fn external_kind(kind: JoinKind) -> Kind {
    match kind {
        JoinKind::Ssm => Kind::Parameter,
        JoinKind::Bus => Kind::EventBus,
        _ => Kind::Generic,
    }
}

fn external_node(join: &Join) -> ViewNode {
    ViewNode {
        id: external_id(join),
        kind: external_kind(join.kind),
        type_name: "external".to_string(),
        label: join.via.clone(),
        group: None,
        hidden: Vec::new(),
        multiplicity: None,
        position: None,
        summary: Some(format!("external {}", join.kind.word())),
    }
}

/// How a join reads on an arrow: `ssm /shop/auth/user-pool-arn`, with a
/// `?` after the kind when it was a guess.
pub fn join_label(kind: JoinKind, via: &str, inferred: bool) -> String {
    format!("{}{} {}", kind.word(), if inferred { "?" } else { "" }, via)
}

/// What a stack holds, by glyph, most first (`6 λ · 2 ▦ · 1 ≡`), and
/// its monthly cost when it was priced.
pub fn stack_summary(sketch: &Sketch, stack: &str, monthly: Option<f64>) -> String {
    let mut counts: BTreeMap<&'static str, (usize, &'static str)> = BTreeMap::new();
    for s in sketch.services() {
        if stack_of(&s.id) != Some(stack) || folds(s) || s.kind.is_generic() {
            continue;
        }
        let e = counts
            .entry(s.kind.word())
            .or_insert((0, s.kind.entry().glyph));
        e.0 += 1;
    }
    let mut v: Vec<(&str, usize, &str)> = counts.into_iter().map(|(w, (n, g))| (w, n, g)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(5)
        .map(|(_, n, g)| format!("{n} {g}"))
        .collect();
    if v.len() > 5 {
        parts.push(format!("+{}", v[5..].iter().map(|x| x.1).sum::<usize>()));
    }
    if parts.is_empty() {
        parts.push("empty".to_string());
    }
    if let Some(m) = monthly {
        // Adding zero turns the -0.0 of an empty sum into 0.
        let m = (m * 100.0).round() / 100.0 + 0.0;
        parts.push(format!("${m:.2}/mo"));
    }
    parts.join(" · ")
}

/// The arrow kind a join draws at the system level: the kind of the first
/// arrow it draws between services, else what the join means.
pub fn arrow_kind(join: &Join) -> ConnectionKind {
    if let Some((_, _, k)) = join.arrows.first() {
        return *k;
    }
    match join.kind {
        JoinKind::Bus => ConnectionKind::Publish,
        _ => ConnectionKind::Ref,
    }
}

/// One box per stack (nested stacks too), one external box per thing no
/// stack provides, and one arrow per pair of stacks and kind of join,
/// carrying every name that joins them.
pub fn system(sketch: &Sketch) -> View {
    let app = Kind::Application;
    let mut nodes: Vec<ViewNode> = sketch
        .stacks
        .iter()
        .map(|st| ViewNode {
            id: st.id.clone(),
            kind: app,
            type_name: match st.dialect {
                Dialect::Terraform => "terraform",
                Dialect::Sam => "stack",
            }
            .to_string(),
            label: if st.id == "." {
                sketch.name.clone().unwrap_or_else(|| ".".to_string())
            } else {
                st.id.clone()
            },
            group: None,
            hidden: Vec::new(),
            multiplicity: None,
            position: None,
            summary: Some(stack_summary(sketch, &st.id, st.monthly)),
        })
        .collect();
    let mut grouped: BTreeMap<(String, String, JoinKind), (ConnectionKind, Vec<String>, bool)> =
        BTreeMap::new();
    for j in &sketch.joins {
        let from = j.from.clone().unwrap_or_else(|| external_id(j));
        let to = j.to.clone().unwrap_or_else(|| external_id(j));
        if j.from.is_none() || j.to.is_none() {
            let ext = external_node(j);
            if !nodes.iter().any(|n| n.id == ext.id) {
                nodes.push(ext);
            }
        }
        if from == to {
            continue;
        }
        let e = grouped
            .entry((from, to, j.kind))
            .or_insert((arrow_kind(j), Vec::new(), true));
        if !e.1.contains(&j.via) {
            e.1.push(j.via.clone());
        }
        e.2 &= j.inferred;
    }
    let mut edges: Vec<ViewEdge> = grouped
        .into_iter()
        .map(|((from, to, jk), (kind, names, inferred))| {
            let via = join_label(jk, &names.join(", "), inferred);
            ViewEdge {
                from,
                to,
                kind,
                label: Some(via.clone()),
                via: Some(via),
                inferred,

                unwritten: false,
            }
        })
        .collect();
    edges.sort();
    View {
        level: Level::System,
        nodes,
        edges,
        groups: Vec::new(),
    }
}

/// At the service and resource levels: the arrows joins drew carry what
/// joins them, and what no stack provides becomes an external box.
pub fn mark_joins(sketch: &Sketch, nodes: &mut Vec<ViewNode>, edges: &mut Vec<ViewEdge>) {
    for j in &sketch.joins {
        let label = join_label(j.kind, &j.via, j.inferred);
        let unresolved = j.from.is_none() || j.to.is_none();
        for (a, b, k) in &j.arrows {
            if let Some(e) = edges
                .iter_mut()
                .find(|e| e.from == *a && e.to == *b && e.kind == *k)
            {
                if e.via.is_none() {
                    e.via = Some(label.clone());
                    e.inferred = j.inferred;
                }
                continue;
            }
            if !unresolved {
                continue;
            }
            let ext = external_id(j);
            let (a_ok, b_ok) = (
                *a == ext || nodes.iter().any(|n| n.id == *a),
                *b == ext || nodes.iter().any(|n| n.id == *b),
            );
            if !(a_ok && b_ok) {
                continue;
            }
            if !nodes.iter().any(|n| n.id == ext) {
                nodes.push(external_node(j));
            }
            edges.push(ViewEdge {
                from: a.clone(),
                to: b.clone(),
                kind: *k,
                label: None,
                via: Some(label.clone()),
                inferred: j.inferred,

                unwritten: false,
            });
        }
    }
    edges.sort();
}

impl ViewEdge {
    /// What the arrow says of the join it draws, short enough for a
    /// diagram: a long name keeps its last part (`ssm …/user-pool-arn`),
    /// and further names are counted (`+1`). A function's dead-letter queue
    /// says `on failure` rather than `write`.
    pub fn via_label(&self) -> Option<String> {
        if self.via.is_none() && self.label.as_deref() == Some(super::ON_FAILURE) {
            return Some(super::ON_FAILURE.to_string());
        }
        let via = self.via.as_deref()?;
        let (head, names) = via.split_once(' ').unwrap_or((via, ""));
        let list: Vec<&str> = names.split(", ").filter(|n| !n.is_empty()).collect();
        let first = list.first().copied().unwrap_or("");
        let short = if first.chars().count() > 24 {
            let parts: Vec<&str> = first.rsplitn(2, '/').collect();
            if parts.len() == 2 && parts[0].chars().count() <= 30 {
                format!("…/{}", parts[0])
            } else {
                let tail: String = first
                    .chars()
                    .rev()
                    .take(30)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                format!("…{tail}")
            }
        } else {
            first.to_string()
        };
        let more = if list.len() > 1 {
            format!(" +{}", list.len() - 1)
        } else {
            String::new()
        };
        Some(format!("{head} {short}{more}"))
    }
}

impl View {
    /// The view of one stack of a repository (and the stacks nested in
    /// it), with the services of other stacks it is joined to, so that
    /// drilling into a stack still shows what it talks to.
    pub fn within_stack(mut self, sketch: &Sketch, stack: &str) -> View {
        let mut mine: Vec<&str> = vec![stack];
        loop {
            let more: Vec<&str> = sketch
                .stacks
                .iter()
                .filter(|s| {
                    s.parent.as_deref().is_some_and(|p| mine.contains(&p))
                        && !mine.contains(&s.id.as_str())
                })
                .map(|s| s.id.as_str())
                .collect();
            if more.is_empty() {
                break;
            }
            mine.extend(more);
        }
        let inside = |id: &str| stack_of(id).is_some_and(|s| mine.contains(&s));
        let keep: std::collections::BTreeSet<String> = self
            .nodes
            .iter()
            .filter(|n| inside(&n.id))
            .map(|n| n.id.clone())
            .chain(self.edges.iter().flat_map(|e| {
                let (a, b) = (inside(&e.from), inside(&e.to));
                let mut v = Vec::new();
                if a && !b {
                    v.push(e.to.clone());
                }
                if b && !a {
                    v.push(e.from.clone());
                }
                v
            }))
            .collect();
        self.nodes.retain(|n| keep.contains(&n.id));
        self.edges.retain(|e| {
            keep.contains(&e.from) && keep.contains(&e.to) && (inside(&e.from) || inside(&e.to))
        });
        let mut used: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for n in &self.nodes {
            let mut cur = n.group.clone();
            let mut hops = 0;
            while let Some(g) = cur {
                if !used.insert(g.clone()) || hops > 32 {
                    break;
                }
                cur = self
                    .groups
                    .iter()
                    .find(|x| x.id == g)
                    .and_then(|x| x.parent.clone());
                hops += 1;
            }
        }
        self.groups.retain(|g| used.contains(&g.id));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{stack_of, strip_stack};

    #[test]
    fn ids_carry_their_stack() {
        assert_eq!(stack_of("backend/auth:UserPool"), Some("backend/auth"));
        assert_eq!(strip_stack("backend/auth:UserPool"), "UserPool");
        assert_eq!(stack_of("aws_x.y[\"a:b\"]"), None);
        assert_eq!(strip_stack("UserPool"), "UserPool");
        assert_eq!(crate::model::short_name("infra:aws_lambda_function.w"), "w");
    }

    #[test]
    fn long_join_names_shorten_on_arrows() {
        let e = ViewEdge {
            from: "a".into(),
            to: "b".into(),
            kind: ConnectionKind::Ref,
            label: None,
            via: Some(join_label(
                JoinKind::Ssm,
                "/serverless-shopping-cart-demo/auth/user-pool-arn, /x/y",
                true,
            )),
            inferred: true,

            unwritten: false,
        };
        assert_eq!(e.via_label().as_deref(), Some("ssm? …/user-pool-arn +1"));
    }
}
