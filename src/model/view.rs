//! Levels of detail: what a sketch shows at the system, service or resource
//! level. A view is what the layout draws and what `export --to json` lists.
//! At the service level glue (roles, permissions, subscriptions, ...) and
//! network plumbing fold into their owners, and each box says what it hides.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::{ConnectionKind, Position, Sketch};
use crate::catalog::{Category, Kind};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stacks, modules and boundaries as boxes.
    System,
    /// Services and the connections between them (glue folded).
    #[default]
    Service,
    /// Every resource.
    Resource,
}

impl Level {
    pub fn parse(word: &str) -> Option<Level> {
        match word.to_ascii_lowercase().as_str() {
            "system" => Some(Level::System),
            "service" => Some(Level::Service),
            "resource" => Some(Level::Resource),
            _ => None,
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Level::System => "system",
            Level::Service => "service",
            Level::Resource => "resource",
        }
    }
    /// The next level, for a key that cycles through them.
    pub fn next(self) -> Level {
        match self {
            Level::System => Level::Service,
            Level::Service => Level::Resource,
            Level::Resource => Level::System,
        }
    }
}

/// One box.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewNode {
    pub id: String,
    pub kind: Kind,
    pub type_name: String,
    pub label: String,
    pub group: Option<String>,
    /// What the box hides, as (label, count): `[("IAM", 3)]` shows as `+3 IAM`.
    pub hidden: Vec<(String, usize)>,
    pub multiplicity: Option<String>,
    pub position: Option<Position>,
    /// What a stack box holds, said in place of what it hides
    /// (`6 λ · 2 ▦ · $12.40/mo`).
    pub summary: Option<String>,
}

impl ViewNode {
    /// The word a box's first line gives after its glyph: its kind, or for
    /// a box that stands for a whole stack, `stack` (`terraform` for a
    /// Terraform root).
    pub fn heading(&self) -> &str {
        if self.summary.is_some()
            && matches!(self.type_name.as_str(), "stack" | "terraform" | "group")
        {
            &self.type_name
        } else {
            self.kind.word()
        }
    }

    /// `+3 IAM +1 perm`, or empty; a stack box's summary.
    pub fn hidden_text(&self) -> String {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        self.hidden
            .iter()
            .map(|(l, n)| format!("+{n} {l}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ViewEdge {
    pub from: String,
    pub to: String,
    pub kind: ConnectionKind,
    pub label: Option<String>,
    /// For an arrow that joins two stacks: the join's kind and what joins
    /// them (`ssm /shop/auth/user-pool-arn`), drawn on the arrow.
    pub via: Option<String>,
    /// The join was matched by a guess, not by name; or the handler code
    /// makes the connection and the template does not declare it.
    pub inferred: bool,
    /// Drawn in the sketch but not in the code: the last export could not
    /// write it (its function's role is not in the file, say).
    pub unwritten: bool,
}

/// A frame drawn around its members.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewGroup {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    pub level: Level,
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    pub groups: Vec<ViewGroup>,
}

/// Kinds that fold into their owner at the service level besides glue.
fn folds_kind(kind: Kind) -> bool {
    kind.is_glue()
        || matches!(
            kind,
            Kind::Subnet | Kind::SecurityGroup | Kind::Layer | Kind::Vpc
        )
}

/// What folds at the service level: glue and network plumbing, Terraform
/// data sources (shown at the resource level only), and resources of no
/// known kind that only configure another one (an importer gave them an
/// owner, as for `aws_s3_bucket_versioning`).
pub(super) fn folds(s: &super::Service) -> bool {
    folds_kind(s.kind)
        || s.is_data_source()
        || (s.kind.is_generic() && s.owner.is_some())
        || crate::catalog::is_helper(&s.type_name)
}

fn fold_label(s: &super::Service) -> String {
    if s.is_data_source() {
        return "data".to_string();
    }
    let kind = s.kind;
    if crate::catalog::is_helper(&s.type_name) {
        return "helper".to_string();
    }
    if matches!(
        s.type_name.as_str(),
        "aws_s3_object" | "aws_s3_bucket_object"
    ) {
        return "code".to_string();
    }
    if kind.is_generic() {
        return "cfg".to_string();
    }
    let l = kind.entry().fold_label;
    if l.is_empty() {
        match kind.category() {
            Category::Network => "net".to_string(),
            _ => kind.word().to_string(),
        }
    } else {
        l.to_string()
    }
}

/// An imported plain reference between two services of known kinds that
/// have no connection either way (a table's encryption key, a database's
/// secret, a parameter holding an API's URL) only configures one with the
/// other: not an arrow at the service level.
fn configures(sketch: &Sketch, a: &str, b: &str, c: &super::Connection) -> bool {
    if c.kind != ConnectionKind::Ref || c.origins.is_empty() {
        return false;
    }
    let (Some(x), Some(y)) = (sketch.service(a), sketch.service(b)) else {
        return false;
    };
    let (kx, ky) = (x.kind, y.kind);
    // An alarm names what it watches.
    kx != Kind::Alarm
        && !kx.is_generic()
        && !ky.is_generic()
        && kx != Kind::Application
        && ky != Kind::Application
        && kx.natural_connection(ky).is_none()
        && ky.natural_connection(kx).is_none()
}

impl View {
    pub fn of(sketch: &Sketch, level: Level) -> View {
        match level {
            Level::Resource => Self::resources(sketch),
            Level::Service => Self::services(sketch),
            Level::System => Self::system(sketch),
        }
    }

    fn node_of(s: &super::Service) -> ViewNode {
        ViewNode {
            id: s.id.clone(),
            kind: s.kind,
            type_name: s.type_name.clone(),
            label: s.display_name().to_string(),
            group: s.group.clone(),
            hidden: Vec::new(),
            multiplicity: s.multiplicity.clone(),
            position: s.position,
            summary: None,
        }
    }

    fn groups_for(sketch: &Sketch, used: &BTreeSet<String>) -> Vec<ViewGroup> {
        // A group is drawn when it has members, or a member group does.
        let mut keep: BTreeSet<String> = BTreeSet::new();
        for g in used {
            let mut cur = Some(g.clone());
            while let Some(id) = cur {
                if !keep.insert(id.clone()) {
                    break;
                }
                cur = sketch.groups.get(&id).and_then(|g| g.parent.clone());
            }
        }
        keep.into_iter()
            .map(|id| {
                let g = sketch.groups.get(&id);
                ViewGroup {
                    label: g
                        .and_then(|g| g.label.clone())
                        .unwrap_or_else(|| id.clone()),
                    parent: g.and_then(|g| g.parent.clone()),
                    id,
                }
            })
            .collect()
    }

    fn finish(
        sketch: &Sketch,
        level: Level,
        mut nodes: Vec<ViewNode>,
        mut edges: Vec<ViewEdge>,
    ) -> View {
        edges.sort();
        edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
        if !sketch.joins.is_empty() {
            super::repo_view::mark_joins(sketch, &mut nodes, &mut edges);
        }
        let used: BTreeSet<String> = nodes.iter().filter_map(|n| n.group.clone()).collect();
        let groups = Self::groups_for(sketch, &used);
        View {
            level,
            nodes,
            edges,
            groups,
        }
    }

    fn resources(sketch: &Sketch) -> View {
        let nodes: Vec<ViewNode> = sketch.services().map(Self::node_of).collect();
        let edges = sketch
            .connections()
            .map(|(a, b, c)| ViewEdge {
                from: a.to_string(),
                to: b.to_string(),
                kind: c.kind,
                label: c.label.clone(),
                via: None,
                inferred: c.inferred,
                unwritten: c.not_written.is_some(),
            })
            .collect();
        Self::finish(sketch, Level::Resource, nodes, edges)
    }

    fn services(sketch: &Sketch) -> View {
        let visible: HashSet<&str> = sketch
            .services()
            .filter(|s| !folds(s))
            .map(|s| s.id.as_str())
            .collect();
        // Hidden services fold into their owner, following owner chains.
        let mut hidden: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
        for s in sketch.services().filter(|s| folds(s)) {
            let mut owner = s.owner.as_deref();
            let mut hops = 0;
            while let Some(o) = owner {
                if visible.contains(o) || hops > 16 {
                    break;
                }
                owner = sketch.service(o).and_then(|x| x.owner.as_deref());
                hops += 1;
            }
            if let Some(o) = owner.filter(|o| visible.contains(o)) {
                *hidden
                    .entry(o)
                    .or_default()
                    .entry(fold_label(s))
                    .or_insert(0) += 1;
            }
        }
        let nodes = sketch
            .services()
            .filter(|s| visible.contains(s.id.as_str()))
            .map(|s| {
                let mut n = Self::node_of(s);
                if let Some(h) = hidden.get(s.id.as_str()) {
                    n.hidden = h.iter().map(|(l, c)| (l.clone(), *c)).collect();
                }
                n
            })
            .collect();
        let edges = sketch
            .connections()
            .filter(|(a, b, _)| visible.contains(a) && visible.contains(b))
            .filter(|(a, b, c)| !configures(sketch, a, b, c))
            .map(|(a, b, c)| ViewEdge {
                from: a.to_string(),
                to: b.to_string(),
                kind: c.kind,
                label: c.label.clone(),
                via: None,
                inferred: c.inferred,
                unwritten: c.not_written.is_some(),
            })
            .collect();
        Self::finish(sketch, Level::Service, nodes, edges)
    }

    /// One box per top-level group; ungrouped services form the root stack.
    /// A repository read as one sketch has a box per stack instead, and its
    /// joins as arrows.
    fn system(sketch: &Sketch) -> View {
        if !sketch.stacks.is_empty() {
            return super::repo_view::system(sketch);
        }
        const ROOT: &str = "(stack)";
        let top = |group: Option<&str>| -> String {
            let mut cur = match group {
                Some(g) => g.to_string(),
                None => return ROOT.to_string(),
            };
            let mut hops = 0;
            while let Some(p) = sketch.groups.get(&cur).and_then(|g| g.parent.clone()) {
                cur = p;
                hops += 1;
                if hops > 32 {
                    break;
                }
            }
            cur
        };
        let mut members: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
        let mut of: BTreeMap<&str, String> = BTreeMap::new();
        for s in sketch.services() {
            let t = top(s.group.as_deref());
            if !folds(s) {
                *members
                    .entry(t.clone())
                    .or_default()
                    .entry(s.kind.word())
                    .or_insert(0) += 1;
            } else {
                members.entry(t.clone()).or_default();
            }
            of.insert(&s.id, t);
        }
        let app = Kind::Application;
        let nodes = members
            .iter()
            .map(|(id, kinds)| {
                let g = sketch.groups.get(id);
                let label = if id == ROOT {
                    sketch.name.clone().unwrap_or_else(|| "stack".to_string())
                } else {
                    g.and_then(|g| g.label.clone())
                        .unwrap_or_else(|| id.clone())
                };
                ViewNode {
                    id: id.clone(),
                    kind: app,
                    type_name: g
                        .map(|g| format!("{:?}", g.kind).to_lowercase())
                        .unwrap_or_else(|| "stack".into()),
                    label,
                    group: None,
                    hidden: kinds.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
                    multiplicity: None,
                    position: None,
                    summary: None,
                }
            })
            .collect();
        let mut edges = Vec::new();
        for (a, b, c) in sketch.connections() {
            let (ga, gb) = (&of[a], &of[b]);
            if ga != gb {
                edges.push(ViewEdge {
                    from: ga.clone(),
                    to: gb.clone(),
                    kind: c.kind,
                    label: None,
                    via: None,
                    inferred: false,

                    unwritten: false,
                });
            }
        }
        let mut v = Self::finish(sketch, Level::System, nodes, edges);
        v.groups.clear();
        v
    }

    /// The view with each group in `collapsed` drawn as one box: its
    /// members (and those of groups inside it) give way to a box named after
    /// the group that says what it holds (`3 λ · 1 ▦`), and their arrows to
    /// the rest of the diagram start or end at that box, one per kind.
    pub fn collapse(mut self, collapsed: &BTreeSet<String>) -> View {
        let parent: BTreeMap<&str, Option<&str>> = self
            .groups
            .iter()
            .map(|g| (g.id.as_str(), g.parent.as_deref()))
            .collect();
        // The outermost collapsed group around a group, if any.
        let outer = |g: Option<&str>| -> Option<String> {
            let mut at = g;
            let mut found = None;
            let mut steps = 0;
            while let Some(id) = at {
                if collapsed.contains(id) {
                    found = Some(id.to_string());
                }
                at = parent.get(id).copied().flatten();
                steps += 1;
                if steps > parent.len() {
                    break;
                }
            }
            found
        };
        let ids: HashSet<&str> = self.nodes.iter().map(|n| n.id.as_str()).collect();
        let into: BTreeMap<String, String> = self
            .nodes
            .iter()
            .filter_map(|n| Some((n.id.clone(), outer(n.group.as_deref())?)))
            .filter(|(_, g)| !ids.contains(g.as_str()))
            .collect();
        if into.is_empty() {
            return self;
        }
        let app = Kind::Application;
        let mut boxes: BTreeMap<String, (usize, BTreeMap<&'static str, usize>)> = BTreeMap::new();
        for n in &self.nodes {
            if let Some(g) = into.get(&n.id) {
                let e = boxes.entry(g.clone()).or_default();
                e.0 += 1;
                *e.1.entry(n.kind.entry().glyph).or_default() += 1;
            }
        }
        let first = self.nodes.iter().position(|n| into.contains_key(&n.id));
        let mut nodes: Vec<ViewNode> = Vec::new();
        let mut placed = false;
        for (i, n) in std::mem::take(&mut self.nodes).into_iter().enumerate() {
            if !into.contains_key(&n.id) {
                nodes.push(n);
                continue;
            }
            if placed || Some(i) != first {
                continue;
            }
            placed = true;
            for (g, (count, glyphs)) in &boxes {
                let mut by: Vec<(&&str, &usize)> = glyphs.iter().collect();
                by.sort_by(|a, b| b.1.cmp(a.1));
                let what: Vec<String> = by.iter().map(|(g, n)| format!("{n} {g}")).collect();
                let group = self.groups.iter().find(|x| &x.id == g);
                nodes.push(ViewNode {
                    id: g.clone(),
                    kind: app,
                    type_name: "group".to_string(),
                    label: group.map_or_else(|| g.clone(), |x| x.label.clone()),
                    group: group.and_then(|x| x.parent.clone()),
                    hidden: Vec::new(),
                    multiplicity: None,
                    position: None,
                    summary: Some(format!("{} · {count} services", what.join(" · "))),
                });
            }
        }
        self.nodes = nodes;
        let at = |id: &str| into.get(id).cloned().unwrap_or_else(|| id.to_string());
        let mut seen: HashSet<(String, String, ConnectionKind)> = HashSet::new();
        self.edges = std::mem::take(&mut self.edges)
            .into_iter()
            .filter_map(|mut e| {
                let (from, to) = (at(&e.from), at(&e.to));
                if from == to && (from != e.from || to != e.to) {
                    return None;
                }
                if !seen.insert((from.clone(), to.clone(), e.kind)) {
                    return None;
                }
                if from != e.from || to != e.to {
                    e.label = None;
                }
                e.from = from;
                e.to = to;
                Some(e)
            })
            .collect();
        let gone: HashSet<&String> = boxes.keys().collect();
        let hidden_groups: HashSet<String> = self
            .groups
            .iter()
            .filter(|g| gone.contains(&g.id) || outer(g.parent.as_deref()).is_some())
            .map(|g| g.id.clone())
            .collect();
        self.groups.retain(|g| !hidden_groups.contains(&g.id));
        self
    }

    pub fn node(&self, id: &str) -> Option<&ViewNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Connection, Service};

    #[test]
    fn data_sources_and_settings_fold() {
        let mut s = Sketch::new();
        s.add_service(Service::new(
            "aws_s3_bucket.b",
            Kind::Bucket,
            "aws_s3_bucket",
        ))
        .unwrap();
        let mut v = Service::new(
            "aws_s3_bucket_versioning.b",
            Kind::Generic,
            "aws_s3_bucket_versioning",
        );
        v.owner = Some("aws_s3_bucket.b".into());
        s.add_service(v).unwrap();
        s.add_service(Service::new(
            "module.m.data.aws_region.r",
            Kind::Generic,
            "aws_region",
        ))
        .unwrap();
        s.add_service(Service::new("random_pet.p", Kind::Generic, "random_pet"))
            .unwrap();
        let view = View::of(&s, Level::Service);
        let ids: Vec<&str> = view.nodes.iter().map(|n| n.id.as_str()).collect();
        // A helper with nothing using it is still no service.
        assert_eq!(ids, ["aws_s3_bucket.b"]);
        assert_eq!(
            view.node("aws_s3_bucket.b").unwrap().hidden_text(),
            "+1 cfg"
        );
        assert_eq!(View::of(&s, Level::Resource).nodes.len(), 4);
    }

    #[test]
    fn glue_folds_into_its_owner() {
        let mut s = Sketch::new();
        s.add_service(Service::new("Fn", Kind::Function, "AWS::Lambda::Function"))
            .unwrap();
        s.add_service(Service::new("Bucket", Kind::Bucket, "AWS::S3::Bucket"))
            .unwrap();
        let mut role = Service::new("FnRole", Kind::Role, "AWS::IAM::Role");
        role.owner = Some("Fn".into());
        s.add_service(role).unwrap();
        let mut perm = Service::new("Perm", Kind::Permission, "AWS::Lambda::Permission");
        perm.owner = Some("Fn".into());
        s.add_service(perm).unwrap();
        s.connect("Bucket", "Fn", Connection::new(ConnectionKind::Trigger))
            .unwrap();
        s.connect("Fn", "FnRole", Connection::new(ConnectionKind::Ref))
            .unwrap();

        let v = View::of(&s, Level::Service);
        assert_eq!(v.nodes.len(), 2);
        assert_eq!(v.edges.len(), 1);
        assert_eq!(v.node("Fn").unwrap().hidden_text(), "+1 IAM +1 perm");

        let r = View::of(&s, Level::Resource);
        assert_eq!((r.nodes.len(), r.edges.len()), (4, 2));

        let sys = View::of(&s, Level::System);
        assert_eq!(sys.nodes.len(), 1);
        assert!(sys.edges.is_empty());
    }
}
