//! What a change does to a system: the services and connections two
//! sketches differ by at a level of detail, the properties that changed,
//! the monthly bill before and after (priced with the same assumptions),
//! and what `check` finds that it did not before. The writers (text with
//! the marked diagram, Markdown, JSON) live in the submodules.

pub mod json;
pub mod markdown;
pub mod picture;
mod props;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::cost::{self, CostOptions};
use crate::formats::tfstate;
use crate::model::{ConnectionKind, Level, Service, Sketch, View, stack_of};

/// An arrow, as the diff compares them: which way and what kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    pub kind: ConnectionKind,
}

/// A box in both versions whose resources changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub id: String,
    /// `MemorySize 128 → 512`, `+ Environment.Variables.STAGE`, `- Timeout`;
    /// for a resource folded into the box, its id first (`FnRole: ...`).
    pub properties: Vec<String>,
}

/// One service's monthly cost on each side.
#[derive(Clone, Debug, PartialEq)]
pub struct CostLine {
    pub id: String,
    pub before: f64,
    pub after: f64,
}

impl CostLine {
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
}

/// The bill on each side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostDiff {
    pub before: f64,
    pub after: f64,
    /// Every service priced on either side: the new version's order, then
    /// what was removed.
    pub services: Vec<CostLine>,
}

impl CostDiff {
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
}

/// Two versions of a system compared at one level of detail.
#[derive(Clone, Debug)]
pub struct Diff {
    pub level: Level,
    /// One side is a Terraform state and the other code: the changes are
    /// drift, and arrows and findings are not compared.
    pub drift: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<Changed>,
    pub arrows_added: Vec<Arrow>,
    pub arrows_removed: Vec<Arrow>,
    pub cost: CostDiff,
    /// What `check` says of the new version that it did not of the old.
    pub new_checks: Vec<String>,
    pub old_view: View,
    pub new_view: View,
}

impl Diff {
    /// Nothing added, removed or changed, the same bill, nothing new to check.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.arrows_added.is_empty()
            && self.arrows_removed.is_empty()
            && cents(self.cost.delta()) == 0
            && self.new_checks.is_empty()
    }

    /// The kind word of a box on either side (`queue`, `function`).
    pub fn kind_of(&self, id: &str) -> &str {
        self.new_view
            .node(id)
            .or_else(|| self.old_view.node(id))
            .map_or("", |n| n.heading())
    }
}

/// An amount in whole cents, so float noise is no change.
pub fn cents(usd: f64) -> i64 {
    (usd * 100.0).round() as i64
}

/// How resources on both sides are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    /// Two versions of code: every property, and the arrows.
    Versions,
    /// A Terraform state against code: what the code sets literally; state
    /// holds no arrows and no findings to compare.
    Drift { state_is_old: bool },
}

/// Compares `old` with `new` at `level`, pricing both with `costs`. When
/// one side is a Terraform state and the other code, the diff is drift.
pub fn diff(old: &Sketch, new: &Sketch, level: Level, costs: &CostOptions) -> Diff {
    let compare = match (tfstate::is_state(old), tfstate::is_state(new)) {
        (true, false) => Compare::Drift { state_is_old: true },
        (false, true) => Compare::Drift {
            state_is_old: false,
        },
        _ => Compare::Versions,
    };
    let old_view = View::of(old, level);
    let new_view = View::of(new, level);
    let old_ids: HashSet<&str> = old_view.nodes.iter().map(|n| n.id.as_str()).collect();
    let new_ids: HashSet<&str> = new_view.nodes.iter().map(|n| n.id.as_str()).collect();
    let added: Vec<String> = new_view
        .nodes
        .iter()
        .filter(|n| !old_ids.contains(n.id.as_str()))
        .map(|n| n.id.clone())
        .collect();
    let removed: Vec<String> = old_view
        .nodes
        .iter()
        .filter(|n| !new_ids.contains(n.id.as_str()))
        .map(|n| n.id.clone())
        .collect();
    let changed = changed_boxes(old, new, &old_ids, &new_ids, &new_view, compare);
    let (arrows_added, arrows_removed, new_checks) = match compare {
        Compare::Versions => {
            let (a, r) = arrows(&old_view, &new_view);
            (a, r, new_checks(old, new, &old_view, &new_view))
        }
        Compare::Drift { .. } => Default::default(),
    };
    Diff {
        level,
        drift: compare != Compare::Versions,
        added,
        removed,
        changed,
        arrows_added,
        arrows_removed,
        cost: cost_diff(old, new, costs),
        new_checks,
        old_view,
        new_view,
    }
}

fn arrows(old: &View, new: &View) -> (Vec<Arrow>, Vec<Arrow>) {
    let set = |v: &View| -> BTreeSet<Arrow> {
        v.edges
            .iter()
            .map(|e| Arrow {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
            })
            .collect()
    };
    let (a, b) = (set(old), set(new));
    (
        b.difference(&a).cloned().collect(),
        a.difference(&b).cloned().collect(),
    )
}

/// The box a resource is drawn in at a view's level: itself, the owner it
/// folds into, or (at the system level) its stack or top group.
fn box_of(sketch: &Sketch, ids: &HashSet<&str>, id: &str) -> Option<String> {
    let mut cur = Some(id);
    for _ in 0..17 {
        let Some(c) = cur else { break };
        if ids.contains(c) {
            return Some(c.to_string());
        }
        cur = sketch.service(c).and_then(|s| s.owner.as_deref());
    }
    if let Some(st) = stack_of(id).filter(|st| ids.contains(st)) {
        return Some(st.to_string());
    }
    let mut group = sketch.service(id).and_then(|s| s.group.clone());
    for _ in 0..33 {
        let Some(g) = group else { break };
        if ids.contains(g.as_str()) {
            return Some(g);
        }
        group = sketch.groups.get(&g).and_then(|x| x.parent.clone());
    }
    ids.contains("(stack)").then(|| "(stack)".to_string())
}

/// Boxes on both sides whose resources changed, added or went, in the new
/// view's order; a folded resource's changes are told on its box.
/// A SAM resource with what its `Globals` section sets and it does not, so
/// that a change made in `Globals` shows on each resource it reaches.
fn with_globals<'a>(sketch: &Sketch, s: &'a Service) -> std::borrow::Cow<'a, Service> {
    let globals = s
        .type_name
        .strip_prefix("AWS::Serverless::")
        .and_then(|section| sketch.sections.get("Globals")?.get(section)?.as_object());
    let Some(globals) = globals else {
        return std::borrow::Cow::Borrowed(s);
    };
    let mut merged = s.clone();
    for (k, v) in globals {
        if !merged.properties.contains_key(k) {
            merged.properties.insert(k.clone(), v.clone());
        }
    }
    std::borrow::Cow::Owned(merged)
}

fn changed_boxes(
    old: &Sketch,
    new: &Sketch,
    old_ids: &HashSet<&str>,
    new_ids: &HashSet<&str>,
    new_view: &View,
    compare: Compare,
) -> Vec<Changed> {
    let mut lines: HashMap<String, Vec<String>> = HashMap::new();
    let both = |b: &String| old_ids.contains(b.as_str()) && new_ids.contains(b.as_str());
    for s in new.services() {
        let Some(b) = box_of(new, new_ids, &s.id).filter(both) else {
            continue;
        };
        let here = |line: String| {
            if b == s.id {
                line
            } else {
                format!("{}: {line}", s.id)
            }
        };
        let found = match old.service(&s.id) {
            Some(o) => match compare {
                Compare::Versions => props::changes(&with_globals(old, o), &with_globals(new, s)),
                Compare::Drift { state_is_old } => props::drift(o, s, state_is_old),
            }
            .into_iter()
            .map(here)
            .collect(),
            None => vec![format!("+ {} ({})", s.id, s.type_name)],
        };
        lines.entry(b).or_default().extend(found);
    }
    for s in old.services().filter(|s| new.service(&s.id).is_none()) {
        if let Some(b) = box_of(old, old_ids, &s.id).filter(both) {
            let line = format!("- {} ({})", s.id, s.type_name);
            lines.entry(b).or_default().push(line);
        }
    }
    new_view
        .nodes
        .iter()
        .filter_map(|n| {
            let properties = lines.remove(&n.id).filter(|l| !l.is_empty())?;
            Some(Changed {
                id: n.id.clone(),
                properties,
            })
        })
        .collect()
}

fn cost_diff(old: &Sketch, new: &Sketch, costs: &CostOptions) -> CostDiff {
    let (b, a) = (cost::estimate(old, costs), cost::estimate(new, costs));
    let before: HashMap<&str, f64> = b
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.monthly_usd))
        .collect();
    let after_ids: HashSet<&str> = a.services.iter().map(|s| s.id.as_str()).collect();
    let mut services: Vec<CostLine> = a
        .services
        .iter()
        .map(|s| CostLine {
            id: s.id.clone(),
            before: before.get(s.id.as_str()).copied().unwrap_or(0.0),
            after: s.monthly_usd,
        })
        .collect();
    services.extend(
        b.services
            .iter()
            .filter(|s| !after_ids.contains(s.id.as_str()))
            .map(|s| CostLine {
                id: s.id.clone(),
                before: s.monthly_usd,
                after: 0.0,
            }),
    );
    CostDiff {
        before: b.total_monthly_usd,
        after: a.total_monthly_usd,
        services,
    }
}

/// What `check` reports for a sketch at a view's level.
fn findings(sketch: &Sketch, view: &View) -> Vec<String> {
    let mut warnings = crate::analysis::check(view);
    crate::analysis::drop_joined(sketch, &mut warnings);
    warnings
        .iter()
        .map(|w| w.text("->"))
        .chain(crate::analysis::unresolved_joins(sketch))
        .collect()
}

/// A finding without its `FILE:LINE: ` place, which moves with any edit.
fn unplaced(finding: &str) -> &str {
    match finding.split_once(": ") {
        Some((at, rest))
            if at
                .rsplit(':')
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            rest
        }
        _ => finding,
    }
}

fn new_checks(old: &Sketch, new: &Sketch, old_view: &View, new_view: &View) -> Vec<String> {
    let before: BTreeMap<String, ()> = findings(old, old_view)
        .iter()
        .map(|f| (unplaced(f).to_string(), ()))
        .collect();
    findings(new, new_view)
        .into_iter()
        .filter(|f| !before.contains_key(unplaced(f)))
        .collect()
}

#[cfg(test)]
mod tests;
