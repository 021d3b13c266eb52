//! A diagram too big to fold into its width, cut into parts drawn one
//! below the other. Each part holds services that are connected to each
//! other (grown breadth-first from the first service not yet placed), and
//! an arrow to a service in another part ends at a stand-in box that names
//! the service and the part where it is drawn, like an off-page connector.

use std::collections::{HashMap, HashSet};

use crate::model::{View, ViewEdge, ViewGroup, ViewNode};

use super::{Layout, LayoutOptions, layout};

/// More services of one kind in other parts than this get one stand-in.
const MAX_STAND_INS: usize = 4;

/// One part of a diagram: what it shows and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub view: View,
    pub layout: Layout,
    /// Ids of the stand-in boxes for services drawn in other parts.
    pub elsewhere: Vec<String>,
}

/// Lays out `view` within `opts.max_width` columns: whole when it folds
/// into that width, else in as few parts as it takes. A part of one service
/// that is still too wide is kept as it is (the width is below the widest
/// box). Deterministic, like [`layout`].
pub fn fit(view: &View, opts: &LayoutOptions) -> Vec<Part> {
    let whole = layout(view, opts);
    let Some(limit) = opts.max_width else {
        return vec![whole_part(view, whole)];
    };
    if whole.width <= limit || view.nodes.len() < 2 {
        return vec![whole_part(view, whole)];
    }
    let opts = LayoutOptions {
        previous: None,
        ..opts.clone()
    };
    let n = view.nodes.len();
    let index: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); n];
    // Each arrow's ends, and the arrows at each service, found once: a part
    // looks only at the arrows of its own services.
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ends: Vec<Option<(usize, usize)>> = Vec::with_capacity(view.edges.len());
    for (k, e) in view.edges.iter().enumerate() {
        let pair = index.get(e.from.as_str()).zip(index.get(e.to.as_str()));
        ends.push(pair.map(|(&a, &b)| (a, b)));
        if let Some((&a, &b)) = pair {
            incident[a].push(k);
            if a != b {
                incident[b].push(k);
                near[a].push(b);
                near[b].push(a);
            }
        }
    }
    let arrows = Arrows {
        index: &index,
        ends: &ends,
        incident: &incident,
    };
    // Which part each service goes in, decided part by part: as many
    // services as still fit, halving the count when a part comes out too wide.
    let mut part_of = vec![usize::MAX; n];
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut size = n.div_ceil(2);
    let mut next = 0;
    while next < n {
        if part_of[next] != usize::MAX {
            next += 1;
            continue;
        }
        loop {
            let grown = grow(next, size, &near, &part_of);
            let k = members.len();
            // Stand-ins are sized for the largest part number there could be.
            let widest = "0".repeat(n.to_string().len());
            let trial = sub_view(view, &grown, &arrows, |_| widest.clone());
            let fits = layout(&trial, &opts).width <= limit;
            if fits || grown.len() == 1 {
                for &i in &grown {
                    part_of[i] = k;
                }
                members.push(grown);
                break;
            }
            size = (grown.len() / 2).max(1);
        }
    }
    members
        .iter()
        .map(|m| {
            let part = sub_view(view, m, &arrows, |i| (part_of[i] + 1).to_string());
            let elsewhere = part.nodes[m.len()..].iter().map(|v| v.id.clone()).collect();
            let layout = layout(&part, &opts);
            Part {
                view: part,
                layout,
                elsewhere,
            }
        })
        .collect()
}

fn whole_part(view: &View, layout: Layout) -> Part {
    Part {
        view: view.clone(),
        layout,
        elsewhere: Vec::new(),
    }
}

/// Up to `size` services not yet in a part, grown from `seed`: each time
/// the service most tied to those already taken, where an arrow to a
/// service with many arrows (a shared API, a bus) ties less; in the
/// sketch's order where there is a choice. Services connected to nothing
/// fill what is left.
fn grow(seed: usize, size: usize, near: &[Vec<usize>], part_of: &[usize]) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let free = |v: usize| part_of[v] == usize::MAX;
    let mut taken: HashSet<usize> = HashSet::new();
    let mut tie: HashMap<usize, u64> = HashMap::new();
    let mut heap: BinaryHeap<(u64, Reverse<usize>)> = BinaryHeap::from([(u64::MAX, Reverse(seed))]);
    let mut out = Vec::new();
    while let Some((t, Reverse(v))) = heap.pop() {
        if taken.contains(&v) || (v != seed && tie.get(&v) != Some(&t)) {
            continue;
        }
        taken.insert(v);
        out.push(v);
        if out.len() == size {
            break;
        }
        let dv = near[v].len() as u64;
        for &w in &near[v] {
            if !free(w) || taken.contains(&w) {
                continue;
            }
            let weight = 1_000_000 / dv.max(near[w].len() as u64).max(1);
            let e = tie.entry(w).or_insert(0);
            *e += weight;
            heap.push((*e, Reverse(w)));
        }
    }
    let mut i = seed;
    while out.len() < size && i < part_of.len() {
        if free(i) && near[i].is_empty() && !taken.contains(&i) {
            taken.insert(i);
            out.push(i);
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

/// The arrows of a view by the services at their ends.
struct Arrows<'a> {
    index: &'a HashMap<&'a str, usize>,
    /// Each arrow's ends, `None` when one is not in the view.
    ends: &'a [Option<(usize, usize)>],
    /// The arrows at each service.
    incident: &'a [Vec<usize>],
}

/// The view of some services, with a stand-in for each service outside
/// them that an arrow joins them to. `home(i)` names the part a service
/// outside is drawn in; its stand-in says so.
fn sub_view(
    view: &View,
    members: &[usize],
    arrows: &Arrows,
    home: impl Fn(usize) -> String,
) -> View {
    let index = arrows.index;
    let inside: HashSet<usize> = members.iter().copied().collect();
    let mut nodes: Vec<ViewNode> = members
        .iter()
        .map(|&i| ViewNode {
            position: None,
            ..view.nodes[i].clone()
        })
        .collect();
    // The arrows with an end inside, in the view's order.
    let mut mine: Vec<usize> = members
        .iter()
        .flat_map(|&i| arrows.incident[i].iter().copied())
        .collect();
    mine.sort_unstable();
    mine.dedup();
    let mut edges: Vec<ViewEdge> = Vec::with_capacity(mine.len());
    let mut outside: Vec<usize> = Vec::new();
    let mut seen_outside: HashSet<usize> = HashSet::new();
    for k in mine {
        let Some((a, b)) = arrows.ends[k] else {
            continue;
        };
        for x in [a, b] {
            if !inside.contains(&x) && seen_outside.insert(x) {
                outside.push(x);
            }
        }
        edges.push(view.edges[k].clone());
    }
    // Many services of one kind elsewhere (the functions behind a shared
    // API) share one stand-in that counts them.
    let mut by_kind: HashMap<crate::catalog::Kind, Vec<usize>> = HashMap::new();
    for &o in &outside {
        by_kind.entry(view.nodes[o].kind).or_default().push(o);
    }
    let mut merged: HashMap<usize, String> = HashMap::new();
    for &o in &outside {
        let v = &view.nodes[o];
        let same = &by_kind[&v.kind];
        if same.len() <= MAX_STAND_INS {
            nodes.push(ViewNode {
                id: v.id.clone(),
                kind: v.kind,
                type_name: v.type_name.clone(),
                label: format!("{} (part {})", v.label, home(o)),
                group: None,
                hidden: Vec::new(),
                multiplicity: None,
                position: None,
                summary: None,
            });
        } else if same[0] == o {
            let id = format!("{} {}s elsewhere", same.len(), v.kind.word());
            let mut homes: Vec<String> = same.iter().map(|&x| home(x)).collect();
            homes.sort_by_key(|h| (h.len(), h.clone()));
            homes.dedup();
            let label = match homes.as_slice() {
                [one] => format!("in part {one}"),
                [first, .., last] => format!("in parts {first}-{last}"),
                [] => String::new(),
            };
            nodes.push(ViewNode {
                id: id.clone(),
                kind: v.kind,
                type_name: v.type_name.clone(),
                label,
                group: None,
                hidden: Vec::new(),
                multiplicity: Some(same.len().to_string()),
                position: None,
                summary: None,
            });
            for &x in same {
                merged.insert(x, id.clone());
            }
        }
    }
    if !merged.is_empty() {
        let rename = |id: &str| {
            index
                .get(id)
                .and_then(|i| merged.get(i))
                .cloned()
                .unwrap_or_else(|| id.to_string())
        };
        let mut seen = HashSet::new();
        edges = edges
            .into_iter()
            .map(|e| ViewEdge {
                from: rename(&e.from),
                to: rename(&e.to),
                ..e
            })
            .filter(|e| seen.insert((e.from.clone(), e.to.clone(), e.kind)))
            .collect();
    }
    // Frames of the groups the members are in, with their parents.
    let gindex: HashMap<&str, &ViewGroup> =
        view.groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let mut wanted: HashSet<&str> = HashSet::new();
    for &i in members {
        let mut cur = view.nodes[i].group.as_deref();
        while let Some(g) = cur.and_then(|g| gindex.get(g)) {
            if !wanted.insert(g.id.as_str()) {
                break;
            }
            cur = g.parent.as_deref();
        }
    }
    let groups = view
        .groups
        .iter()
        .filter(|g| wanted.contains(g.id.as_str()))
        .cloned()
        .collect();
    View {
        level: view.level,
        nodes,
        edges,
        groups,
    }
}
