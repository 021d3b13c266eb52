//! Where boxes sit and how arrows run, on a character grid. A layered
//! (Sugiyama-style) layout worked out in whole cells: cycle removal,
//! layering, crossing reduction, Brandes–Köpf coordinates, then orthogonal
//! routing in the channels between layers. Group frames, folding to a
//! width, stability against a previous layout and boxes placed by hand are
//! handled here too. Nothing here knows about terminals or file formats.

mod graph;
mod maze;
mod order;
mod parts;
mod place;
mod quality;
mod rank;
mod route;
mod simplex;
pub mod text;

use std::collections::HashMap;

use crate::model::{ConnectionKind, View};

pub use self::parts::{Part, fit};

use self::graph::Proper;
use self::place::Gaps;

/// Which way arrows flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    #[default]
    LeftRight,
    TopDown,
}

impl Direction {
    pub fn parse(word: &str) -> Option<Direction> {
        match word.to_ascii_lowercase().as_str() {
            "lr" | "left-right" | "leftright" => Some(Direction::LeftRight),
            "td" | "tb" | "top-down" | "topdown" => Some(Direction::TopDown),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutOptions {
    pub direction: Direction,
    /// Fold the diagram to fit this many columns when it can.
    pub max_width: Option<usize>,
    /// The layout this one replaces: boxes it had stay in their order and,
    /// where there is room, in their place.
    pub previous: Option<Layout>,
    /// One-line boxes (`λ Worker`) instead of full ones.
    pub compact: bool,
    /// Boxes at least this many (columns, rows), by id: room for every text
    /// a box will show when one layout is drawn for several views.
    pub min_sizes: HashMap<String, (usize, usize)>,
}

/// A box: it covers columns `x..x+w` and rows `y..y+h`, border included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoxPlacement {
    pub id: String,
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

impl BoxPlacement {
    pub fn contains(&self, x: usize, y: usize) -> bool {
        x >= self.x && x < self.x + self.w && y >= self.y && y < self.y + self.h
    }
}

/// An arrow: the corners of an orthogonal path from the cell just outside
/// the source's border to the cell just outside the target's border, where
/// the arrowhead goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub from: String,
    pub to: String,
    pub kind: ConnectionKind,
    pub label: Option<String>,
    pub points: Vec<(usize, usize)>,
}

/// A group drawn around its members. A group split over folded tiers has
/// one frame per tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub id: String,
    pub label: String,
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub height: usize,
    pub boxes: Vec<BoxPlacement>,
    pub edges: Vec<Route>,
    pub frames: Vec<Frame>,
}

/// How good a layout is; lower is better on every count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality {
    /// Pairs of arrow pieces that cross.
    pub crossings: usize,
    pub bends: usize,
    /// Total length of all arrows, in cells.
    pub length: usize,
    /// Width times height.
    pub area: usize,
}

impl Layout {
    pub fn box_at(&self, x: usize, y: usize) -> Option<&BoxPlacement> {
        self.boxes.iter().find(|b| b.contains(x, y))
    }

    pub fn quality(&self) -> Quality {
        quality::measure(self)
    }

    pub fn box_of(&self, id: &str) -> Option<&BoxPlacement> {
        self.boxes.iter().find(|b| b.id == id)
    }
}

/// Hand-placed boxes beyond this many cells right or down are brought back.
const FARTHEST: i32 = 2000;
/// Interior rows a box grows to so that arrows get ports of their own.
const MAX_PORTS: usize = 5;

/// The text an arrow is labelled with on the canvas: its kind. Custom
/// labels (event names, paths) stay in [`Route::label`] for those who want them.
pub fn label_text(kind: ConnectionKind, label: Option<&str>) -> String {
    match label.filter(|l| !l.is_empty()) {
        // Names on arrows come from templates: shown inertly, one char a cell.
        Some(l) => text::cells(l),
        None => kind.word().to_string(),
    }
}

/// Groups of the view as bands: each node's band and each band's path of
/// groups (outermost first), ordered so nested bands stay together.
struct Banding {
    band: Vec<usize>,
    path: Vec<Vec<usize>>,
    depth: Vec<usize>,
}

impl Banding {
    /// New bands from where an order that ignored groups put the items: at
    /// every level of nesting, sibling groups (and a group's own direct
    /// members) go by their mean place, and ungrouped items may sit above,
    /// between or below the top-level groups, wherever they were. Renumbers
    /// `path` and returns each item's new band.
    fn reorder(&mut self, free: &Proper, band: &[usize]) -> Vec<usize> {
        let pos = free.positions();
        let place = |v: usize| {
            let len = free.layers[free.layer[v]].len().max(1);
            (pos[v] as f64 + 0.5) / len as f64
        };
        let n = self.path.len();
        let mut sum = vec![0.0f64; n];
        let mut cnt = vec![0usize; n];
        for v in 0..free.len() {
            sum[band[v]] += place(v);
            cnt[band[v]] += 1;
        }
        let groups = self.depth.len();
        let mut gsum = vec![0.0f64; groups];
        let mut gcnt = vec![0usize; groups];
        for b in 0..n {
            for &gi in &self.path[b] {
                gsum[gi] += sum[b];
                gcnt[gi] += cnt[b];
            }
        }
        let mean = |s: f64, c: usize| if c == 0 { f64::MAX } else { s / c as f64 };
        // Per level: (mean, 0 for a group or 1 for direct members, index).
        let key = |b: usize| -> Vec<(f64, u8, usize)> {
            let p = &self.path[b];
            let mut k: Vec<(f64, u8, usize)> = p
                .iter()
                .map(|&gi| (mean(gsum[gi], gcnt[gi]), 0, gi))
                .collect();
            k.push((mean(sum[b], cnt[b]), 1, b));
            k
        };
        let mut grouped: Vec<usize> = (0..n).filter(|&b| !self.path[b].is_empty()).collect();
        grouped.sort_by(|&a, &b| {
            let (ka, kb) = (key(a), key(b));
            for (x, y) in ka.iter().zip(&kb) {
                let c = x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2));
                if c != std::cmp::Ordering::Equal {
                    return c;
                }
            }
            ka.len().cmp(&kb.len())
        });
        // Top-level groups in order, and which slot between them each
        // ungrouped item takes.
        let mut tops: Vec<usize> = Vec::new();
        for &b in &grouped {
            let t = self.path[b][0];
            if tops.last() != Some(&t) {
                tops.push(t);
            }
        }
        // How many top-level groups sit before a place: their places
        // sorted once, then a binary search for each item.
        let mut top_places: Vec<f64> = tops.iter().map(|&t| mean(gsum[t], gcnt[t])).collect();
        top_places.sort_by(f64::total_cmp);
        let slot = |v: usize| {
            let p = place(v);
            top_places.partition_point(|&m| m < p)
        };
        let slots: Vec<usize> = (0..free.len())
            .map(|v| {
                if self.path[band[v]].is_empty() {
                    slot(v)
                } else {
                    0
                }
            })
            .collect();
        let mut used = vec![false; tops.len() + 1];
        for v in 0..free.len() {
            if self.path[band[v]].is_empty() {
                used[slots[v]] = true;
            }
        }
        let mut paths: Vec<Vec<usize>> = Vec::new();
        let mut slot_band = vec![usize::MAX; tops.len() + 1];
        let mut new_of = vec![usize::MAX; n];
        let mut next = grouped.iter().peekable();
        for (s, used) in used.iter().enumerate() {
            if *used {
                slot_band[s] = paths.len();
                paths.push(Vec::new());
            }
            let Some(&top) = tops.get(s) else { break };
            while let Some(&&b) = next.peek() {
                if self.path[b][0] != top {
                    break;
                }
                new_of[b] = paths.len();
                paths.push(self.path[b].clone());
                next.next();
            }
        }
        let old = std::mem::replace(&mut self.path, paths);
        (0..free.len())
            .map(|v| {
                if old[band[v]].is_empty() {
                    slot_band[slots[v]]
                } else {
                    new_of[band[v]]
                }
            })
            .collect()
    }
}

fn banding(view: &View, nodes: &[usize]) -> Banding {
    let gindex: HashMap<&str, usize> = view
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let path_of = |g: &str| -> Vec<usize> {
        let mut p = Vec::new();
        let mut cur = gindex.get(g).copied();
        while let Some(i) = cur {
            if p.contains(&i) || p.len() > 32 {
                break;
            }
            p.push(i);
            cur = view.groups[i]
                .parent
                .as_deref()
                .and_then(|q| gindex.get(q).copied());
        }
        p.reverse();
        p
    };
    let paths: Vec<Vec<usize>> = nodes
        .iter()
        .map(|&n| view.nodes[n].group.as_deref().map_or(Vec::new(), path_of))
        .collect();
    let mut first = vec![usize::MAX; view.groups.len()];
    for (k, p) in paths.iter().enumerate() {
        for &g in p {
            first[g] = first[g].min(k);
        }
    }
    let mut distinct: Vec<Vec<usize>> = paths.clone();
    distinct.sort_by_key(|p| p.iter().map(|&g| (first[g], g)).collect::<Vec<_>>());
    distinct.dedup();
    let band = paths
        .iter()
        .map(|p| distinct.iter().position(|d| d == p).expect("a known path"))
        .collect();
    let depth = (0..view.groups.len())
        .map(|g| path_of(&view.groups[g].id).len())
        .collect();
    Banding {
        band,
        path: distinct,
        depth,
    }
}

/// Lays out a view. Deterministic: the same view and options give the same
/// layout.
pub fn layout(view: &View, opts: &LayoutOptions) -> Layout {
    let plain = layout_with(view, opts, false);
    // A top-down diagram folds by moving boxes from crowded layers into
    // later ones. That lengthens arrows, and many long arrows can make it
    // wider rather than narrower, so it is kept only when it helps.
    match opts.max_width {
        Some(w) if opts.direction == Direction::TopDown && plain.width > w => {
            let folded = layout_with(view, opts, true);
            if folded.width < plain.width {
                folded
            } else {
                plain
            }
        }
        _ => plain,
    }
}

fn layout_with(view: &View, opts: &LayoutOptions, fold_layers: bool) -> Layout {
    let td = opts.direction == Direction::TopDown;
    let index: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let sizes: Vec<(usize, usize)> = view
        .nodes
        .iter()
        .map(|n| {
            let (w, h) = text::text_of(n, false, opts.compact).box_size();
            let (mw, mh) = opts.min_sizes.get(&n.id).copied().unwrap_or_default();
            (w.max(mw), h.max(mh))
        })
        .collect();
    let pinned: Vec<bool> = view.nodes.iter().map(|n| n.position.is_some()).collect();
    let mut sizes = sizes;
    room_for_ports(view, &index, &pinned, td, &mut sizes);
    // A box pinned where the previous layout drew it keeps the size it had.
    let was: HashMap<&str, &BoxPlacement> = opts
        .previous
        .iter()
        .flat_map(|l| l.boxes.iter())
        .map(|b| (b.id.as_str(), b))
        .collect();
    for (i, n) in view.nodes.iter().enumerate() {
        let (Some(p), Some(b)) = (n.position, was.get(n.id.as_str())) else {
            continue;
        };
        if (p.x as i64, p.y as i64) == (b.x as i64, b.y as i64) {
            sizes[i] = (sizes[i].0.max(b.w), sizes[i].1.max(b.h));
        }
    }
    let auto: Vec<usize> = (0..view.nodes.len()).filter(|&i| !pinned[i]).collect();
    let mut item_of = vec![usize::MAX; view.nodes.len()];
    for (k, &i) in auto.iter().enumerate() {
        item_of[i] = k;
    }
    // Edges between auto-placed boxes go through the layering; loops and
    // edges of hand-placed boxes are routed over the grid at the end.
    let mut drawn: Vec<(usize, usize, usize)> = Vec::new();
    let mut layered: Vec<(usize, usize, usize)> = Vec::new();
    for (e, edge) in view.edges.iter().enumerate() {
        let (Some(&a), Some(&b)) = (index.get(edge.from.as_str()), index.get(edge.to.as_str()))
        else {
            continue;
        };
        let r = drawn.len();
        drawn.push((e, a, b));
        if a != b && !pinned[a] && !pinned[b] {
            layered.push((item_of[a], item_of[b], r));
        }
    }

    let mut bands = banding(view, &auto);
    let fd = bands.path.iter().map(Vec::len).max().unwrap_or(0);
    let frame_pad: i64 = if td { 2 } else { 1 };
    let (gaps, margin_cap) = if td {
        (
            Gaps {
                boxes: 2,
                dummies: 1,
                mixed: 1,
            },
            4 * fd,
        )
    } else {
        (
            Gaps {
                boxes: 1,
                dummies: 0,
                mixed: 1,
            },
            0,
        )
    };
    let (main, cross): (Vec<usize>, Vec<usize>) = auto
        .iter()
        .map(|&i| {
            if td {
                (sizes[i].1, sizes[i].0)
            } else {
                sizes[i]
            }
        })
        .unzip();

    let pairs: Vec<(usize, usize)> = layered.iter().map(|&(a, b, _)| (a, b)).collect();
    let reversed = rank::break_cycles(auto.len(), &pairs);
    let dag: Vec<(usize, usize)> = pairs
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let mut layer = rank::layers(auto.len(), &dag);
    if let (true, Some(w)) = (fold_layers, opts.max_width) {
        rank::bound(
            &mut layer,
            &dag,
            &cross,
            gaps.boxes as usize,
            w.saturating_sub(margin_cap),
        );
    }
    let arrows: Vec<(usize, usize, usize, bool)> = dag
        .iter()
        .zip(&layered)
        .zip(&reversed)
        .map(|((&(a, b), &(_, _, r)), &rev)| (a, b, r, rev))
        .collect();
    let mut g = Proper::build(layer, main, cross, bands.band.clone(), &arrows);
    for v in 0..g.n_real {
        let want = g.up[v].len().max(g.down[v].len()).min(MAX_PORTS) + 2;
        g.cross[v] = g.cross[v].max(want);
    }

    let previous: HashMap<&str, &BoxPlacement> = opts
        .previous
        .iter()
        .flat_map(|p| p.boxes.iter())
        .map(|b| (b.id.as_str(), b))
        .collect();
    let old = |k: usize| previous.get(view.nodes[auto[k]].id.as_str()).copied();
    // Where old boxes' layers started, the median per layer.
    let mut seed_main: Vec<Option<i64>> = Vec::new();
    if opts.previous.is_some() {
        let mut starts: Vec<Vec<i64>> = vec![Vec::new(); g.layers.len()];
        for k in 0..auto.len() {
            if let Some(b) = old(k) {
                starts[g.layer[k]].push(if td { b.y as i64 } else { b.x as i64 });
            }
        }
        seed_main = starts
            .into_iter()
            .map(|mut s| {
                s.sort_unstable();
                s.get(s.len() / 2).copied()
            })
            .collect();
    }
    // Where each item was along the cross axis: old boxes' centres, and for
    // dummies the row where the arrow they belong to crossed their layer.
    let prev_routes: HashMap<(&str, &str, ConnectionKind), &Route> = opts
        .previous
        .iter()
        .flat_map(|p| p.edges.iter())
        .map(|r| ((r.from.as_str(), r.to.as_str(), r.kind), r))
        .collect();
    let mut seed_centre: Vec<Option<f64>> = (0..auto.len())
        .map(|k| {
            old(k).map(|b| {
                if td {
                    b.x as f64 + b.w as f64 / 2.0
                } else {
                    b.y as f64 + b.h as f64 / 2.0
                }
            })
        })
        .collect();
    seed_centre.resize(g.len(), None);
    if opts.previous.is_some() {
        for chain in &g.chains {
            let e = &view.edges[drawn[chain.edge].0];
            let Some(r) = prev_routes.get(&(e.from.as_str(), e.to.as_str(), e.kind)) else {
                continue;
            };
            for &d in &chain.items[1..chain.items.len() - 1] {
                let Some(at) = seed_main.get(g.layer[d]).copied().flatten() else {
                    continue;
                };
                seed_centre[d] = crossing_at(&r.points, at + 1, td).map(|c| c as f64);
            }
        }
    }
    if bands.path.len() > 1 && opts.previous.is_none() {
        // Order once ignoring groups to learn where each band would rather
        // be, put the bands in that order, then order again within them.
        let mut free = g.clone();
        free.band = vec![0; free.len()];
        order::order(&mut free, None);
        g.band = bands.reorder(&free, &g.band);
        g.layers = free.layers;
        order::refine(&mut g);
    } else {
        order::order(
            &mut g,
            opts.previous.as_ref().map(|_| seed_centre.as_slice()),
        );
    }
    let mut top = place::place(&g, &gaps);
    if opts.previous.is_some() {
        let seed_top: Vec<Option<i64>> = (0..g.len())
            .map(|k| {
                if k < auto.len() {
                    old(k).map(|b| if td { b.x as i64 } else { b.y as i64 })
                } else {
                    seed_centre[k].map(|c| c as i64)
                }
            })
            .collect();
        place::follow(&g, &gaps, &mut top, &seed_top);
    }
    place::stack_bands(&g, &mut top, |a, b| {
        let (pa, pb) = (&bands.path[a], &bands.path[b]);
        let common = pa.iter().zip(pb).take_while(|(x, y)| x == y).count();
        frame_pad * (pa.len() + pb.len() - 2 * common) as i64 + 1
    });

    let label_len: Vec<usize> = g
        .chains
        .iter()
        .map(|c| {
            let e = &view.edges[drawn[c.edge].0];
            label_text(e.kind, e.via_label().as_deref()).chars().count()
        })
        .collect();
    let mut routed = route::route(
        &g,
        &top,
        &label_len,
        &route::Bands {
            path: &bands.path,
            depth: &bands.depth,
        },
        &route::Params {
            fd,
            frame_pad,
            fold: if td { None } else { opts.max_width },
            labels: !td,
            seed_main: seed_main.clone(),
            fixed: None,
        },
    );
    if opts.previous.is_none() {
        // Folding and frames can leave rows with nothing in them; squeeze
        // those and route again in the same tiers.
        let depth = |v: usize| bands.path[g.band[v]].len() as i64;
        let before = top.clone();
        place::squeeze_rows(&g, &mut top, &routed.tiers.0, gaps.boxes, |v| {
            frame_pad * depth(v)
        });
        if top != before {
            routed = route::route(
                &g,
                &top,
                &label_len,
                &route::Bands {
                    path: &bands.path,
                    depth: &bands.depth,
                },
                &route::Params {
                    fd,
                    frame_pad,
                    fold: if td { None } else { opts.max_width },
                    labels: !td,
                    seed_main,
                    fixed: Some(routed.tiers.clone()),
                },
            );
        }
    }

    // Back from (main, cross) to (x, y).
    let xy = |(m, c): (i64, i64)| -> (i64, i64) { if td { (c, m) } else { (m, c) } };
    let mut boxes: Vec<Option<(i64, i64, usize, usize)>> = vec![None; view.nodes.len()];
    for (k, &i) in auto.iter().enumerate() {
        let (x, y) = xy(routed.at[k]);
        let (w, h) = if td {
            (g.cross[k], g.main[k])
        } else {
            (g.main[k], g.cross[k])
        };
        boxes[i] = Some((x, y, w, h));
    }
    let mut routes: Vec<Option<Vec<(i64, i64)>>> = vec![None; drawn.len()];
    for (c, chain) in g.chains.iter().enumerate() {
        let mut pts: Vec<(i64, i64)> = routed.points[c].iter().map(|&p| xy(p)).collect();
        if chain.reversed {
            pts.reverse();
        }
        if !routed.loose[c] {
            routes[chain.edge] = Some(pts);
        }
    }
    let mut frames: Vec<(usize, i64, i64, i64, i64)> = routed
        .frames
        .iter()
        .map(|&(gi, m, c, ms, cs)| {
            let (x, y) = xy((m, c));
            let (w, h) = if td { (cs, ms) } else { (ms, cs) };
            (gi, x, y, w, h)
        })
        .collect();

    let mut grid = Placed {
        boxes,
        routes,
        frames: &mut frames,
    };
    grid.normalise();
    place_by_hand(view, &sizes, &pinned, &mut grid);
    keep_routes(view, &drawn, &prev_routes, &previous, &mut grid);
    route_on_grid(&drawn, &mut grid);
    grid.normalise();

    let mut out = Layout::default();
    for (i, b) in grid.boxes.iter().enumerate() {
        if let Some((x, y, w, h)) = *b {
            out.boxes.push(BoxPlacement {
                id: view.nodes[i].id.clone(),
                x: x as usize,
                y: y as usize,
                w,
                h,
            });
            out.width = out.width.max(x as usize + w);
            out.height = out.height.max(y as usize + h);
        }
    }
    for (r, &(e, _, _)) in drawn.iter().enumerate() {
        let Some(pts) = &grid.routes[r] else { continue };
        let edge = &view.edges[e];
        let points: Vec<(usize, usize)> =
            pts.iter().map(|&(x, y)| (x as usize, y as usize)).collect();
        for &(x, y) in &points {
            out.width = out.width.max(x + 1);
            out.height = out.height.max(y + 1);
        }
        out.edges.push(Route {
            from: edge.from.clone(),
            to: edge.to.clone(),
            kind: edge.kind,
            label: edge.via_label(),
            points,
        });
    }
    for &(gi, x, y, w, h) in grid.frames.iter() {
        let group = &view.groups[gi];
        out.frames.push(Frame {
            id: group.id.clone(),
            label: group.label.clone(),
            x: x as usize,
            y: y as usize,
            w: w as usize,
            h: h as usize,
        });
        out.width = out.width.max((x + w) as usize);
        out.height = out.height.max((y + h) as usize);
    }
    out
}

/// Where a route crosses the line at `main` along the main axis (x when
/// arrows flow left to right): the cross coordinate of the piece there.
fn crossing_at(points: &[(usize, usize)], main: i64, td: bool) -> Option<i64> {
    let axis = |p: (usize, usize)| -> (i64, i64) {
        if td {
            (p.1 as i64, p.0 as i64)
        } else {
            (p.0 as i64, p.1 as i64)
        }
    };
    points.windows(2).find_map(|w| {
        let (a, b) = (axis(w[0]), axis(w[1]));
        (a.1 == b.1 && a.0.min(b.0) <= main && main <= a.0.max(b.0)).then_some(a.1)
    })
}

/// Everything placed so far, in signed cells so it can be shifted freely.
struct Placed<'a> {
    boxes: Vec<Option<(i64, i64, usize, usize)>>,
    routes: Vec<Option<Vec<(i64, i64)>>>,
    frames: &'a mut Vec<(usize, i64, i64, i64, i64)>,
}

impl Placed<'_> {
    /// Moves everything so the smallest coordinates are zero.
    fn normalise(&mut self) {
        let xs = self
            .boxes
            .iter()
            .flatten()
            .map(|b| (b.0, b.1))
            .chain(self.routes.iter().flatten().flatten().copied())
            .chain(self.frames.iter().map(|f| (f.1, f.2)));
        let (mut mx, mut my) = (i64::MAX, i64::MAX);
        for (x, y) in xs {
            mx = mx.min(x);
            my = my.min(y);
        }
        if mx == i64::MAX {
            return;
        }
        self.shift(-mx.min(0), -my.min(0));
    }

    fn shift(&mut self, dx: i64, dy: i64) {
        if dx == 0 && dy == 0 {
            return;
        }
        for b in self.boxes.iter_mut().flatten() {
            b.0 += dx;
            b.1 += dy;
        }
        for p in self.routes.iter_mut().flatten().flatten() {
            p.0 += dx;
            p.1 += dy;
        }
        for f in self.frames.iter_mut() {
            f.1 += dx;
            f.2 += dy;
        }
    }

    /// Opens `k` empty rows at row `r`: everything from there down moves,
    /// vertical pieces and frames across it stretch. Routes stay orthogonal.
    fn open_rows(&mut self, r: i64, k: i64, keep: &[bool]) {
        // An arrowhead or start just above a box that moves moves with it;
        // the piece it ends is vertical, so it stretches.
        let moving_tops: Vec<(i64, i64, usize, usize)> = self
            .boxes
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep[*i])
            .filter_map(|(_, b)| *b)
            .filter(|b| b.1 == r)
            .collect();
        let above_moving = |p: (i64, i64)| {
            p.1 == r - 1
                && moving_tops
                    .iter()
                    .any(|b| p.0 > b.0 && p.0 < b.0 + b.2 as i64 - 1)
        };
        for pts in self.routes.iter_mut().flatten() {
            let n = pts.len();
            let ends: Vec<bool> = (0..n)
                .map(|i| (i == 0 || i + 1 == n) && above_moving(pts[i]))
                .collect();
            for (p, end) in pts.iter_mut().zip(ends) {
                if p.1 >= r || end {
                    p.1 += k;
                }
            }
        }
        for (i, b) in self.boxes.iter_mut().enumerate() {
            if let Some(b) = b
                && !keep[i]
                && b.1 >= r
            {
                b.1 += k;
            }
        }
        for f in self.frames.iter_mut() {
            if f.2 >= r {
                f.2 += k;
            } else if f.2 + f.4 > r {
                f.4 += k;
            }
        }
    }
}

/// Whether two boxes are closer than `gap` blank cells.
fn too_close(a: (i64, i64, usize, usize), b: (i64, i64, usize, usize), gap: i64) -> bool {
    a.0 < b.0 + b.2 as i64 + gap
        && b.0 < a.0 + a.2 as i64 + gap
        && a.1 < b.1 + b.3 as i64 + gap
        && b.1 < a.1 + a.3 as i64 + gap
}

/// A box placed by hand is as long across the flow as the layering makes an
/// automatic one (room for an arrow per side, up to [`MAX_PORTS`]), so that
/// pinning a box where it is drawn does not change its size.
fn room_for_ports(
    view: &View,
    index: &HashMap<&str, usize>,
    pinned: &[bool],
    td: bool,
    sizes: &mut [(usize, usize)],
) {
    let mut ins = vec![0usize; sizes.len()];
    let mut outs = vec![0usize; sizes.len()];
    for e in &view.edges {
        let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        if a != b {
            outs[a] += 1;
            ins[b] += 1;
        }
    }
    for (i, size) in sizes.iter_mut().enumerate() {
        if !pinned[i] {
            continue;
        }
        let want = ins[i].max(outs[i]).min(MAX_PORTS) + 2;
        let cross = if td { &mut size.0 } else { &mut size.1 };
        *cross = (*cross).max(want);
    }
}

/// An arrow between boxes that are where they were in the previous layout
/// keeps the path it had there, so that moving one box redraws only its own
/// arrows (and those it now stands in the way of, which the grid router
/// takes again). Only arrows the layering did not route are kept.
fn keep_routes(
    view: &View,
    drawn: &[(usize, usize, usize)],
    prev_routes: &HashMap<(&str, &str, ConnectionKind), &Route>,
    previous: &HashMap<&str, &BoxPlacement>,
    grid: &mut Placed,
) {
    let same = |i: usize| {
        let (Some(b), Some(p)) = (grid.boxes[i], previous.get(view.nodes[i].id.as_str())) else {
            return false;
        };
        b == (p.x as i64, p.y as i64, p.w, p.h)
    };
    for (r, &(e, a, b)) in drawn.iter().enumerate() {
        if grid.routes[r].is_some() || a == b || !same(a) || !same(b) {
            continue;
        }
        let edge = &view.edges[e];
        if let Some(old) = prev_routes.get(&(edge.from.as_str(), edge.to.as_str(), edge.kind)) {
            grid.routes[r] = Some(
                old.points
                    .iter()
                    .map(|&(x, y)| (x as i64, y as i64))
                    .collect(),
            );
        }
    }
}

/// Puts hand-placed boxes where the user put them and opens rows in the
/// automatic part wherever it would come too close.
fn place_by_hand(view: &View, sizes: &[(usize, usize)], pinned: &[bool], grid: &mut Placed) {
    const GAP: i64 = 2;
    let mut done: Vec<usize> = Vec::new();
    for (i, node) in view.nodes.iter().enumerate() {
        let Some(p) = node.position.filter(|_| pinned[i]) else {
            continue;
        };
        let (w, h) = sizes[i];
        // Far beyond the drawing only makes a huge empty canvas.
        let far = |v: i32| i64::from(v.clamp(0, FARTHEST));
        let mut b = (far(p.x), far(p.y), w, h);
        // Two boxes placed on top of each other (or touching): the later one
        // steps right. Boxes a layout left one cell apart stay where they are.
        while let Some(&o) = done
            .iter()
            .find(|&&o| too_close(b, grid.boxes[o].expect("placed"), 1))
        {
            let ob = grid.boxes[o].expect("placed");
            b.0 = ob.0 + ob.2 as i64 + GAP;
        }
        grid.boxes[i] = Some(b);
        done.push(i);
    }
    if done.is_empty() {
        return;
    }
    // Each round pushes some automatic box below a hand-placed one, and
    // nothing moves up, so this settles.
    for _ in 0..(done.len() * view.nodes.len() + 8) {
        let clash = done.iter().find_map(|&pi| {
            let pb = grid.boxes[pi].expect("placed");
            let top = grid
                .boxes
                .iter()
                .enumerate()
                .filter(|&(i, b)| !pinned[i] && b.is_some_and(|b| too_close(pb, b, GAP)))
                .filter_map(|(_, b)| b.map(|b| b.1))
                .min()?;
            Some((top, pb.1 + pb.3 as i64 + GAP - top))
        });
        let Some((mut r, k)) = clash else { return };
        // Never cut through a box: start above any box the row would split.
        while let Some(y) = grid
            .boxes
            .iter()
            .enumerate()
            .filter(|(i, _)| !pinned[*i])
            .filter_map(|(_, b)| *b)
            .filter(|b| b.1 < r && b.1 + b.3 as i64 > r)
            .map(|b| b.1)
            .min()
        {
            r = y;
        }
        grid.open_rows(r, k, pinned);
    }
}

/// Routes over the grid what the channels did not: loops, arrows of
/// hand-placed boxes, and any route that runs through a box other than its own two.
fn route_on_grid(drawn: &[(usize, usize, usize)], grid: &mut Placed) {
    let rect = |b: (i64, i64, usize, usize)| (b.0 as usize, b.1 as usize, b.2, b.3);
    let hits = |pts: &[(i64, i64)], b: (i64, i64, usize, usize)| {
        pts.windows(2).any(|w| {
            let (x0, x1) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
            let (y0, y1) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            x0 < b.0 + b.2 as i64 && b.0 <= x1 && y0 < b.1 + b.3 as i64 && b.1 <= y1
        })
    };
    // Boxes by the tiles of the grid they cover, so that a route is checked
    // against the boxes near it only.
    const TILE: i64 = 16;
    let tiles = |x0: i64, x1: i64, y0: i64, y1: i64| {
        (x0.div_euclid(TILE)..=x1.div_euclid(TILE))
            .flat_map(move |kx| (y0.div_euclid(TILE)..=y1.div_euclid(TILE)).map(move |ky| (kx, ky)))
    };
    let mut buckets: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, b) in grid.boxes.iter().enumerate() {
        if let Some(b) = *b {
            for k in tiles(b.0, b.0 + b.2 as i64 - 1, b.1, b.1 + b.3 as i64 - 1) {
                buckets.entry(k).or_default().push(i);
            }
        }
    }
    // A route that runs through a box other than its own two (a box placed
    // by hand, or one the channel router could not keep clear of) goes over
    // the grid instead.
    let blocked = |r: usize, pts: &[(i64, i64)]| {
        let (_, a, b) = drawn[r];
        pts.windows(2).any(|w| {
            let (x0, x1) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
            let (y0, y1) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            tiles(x0, x1, y0, y1).any(|k| {
                buckets.get(&k).is_some_and(|ids| {
                    ids.iter()
                        .any(|&i| i != a && i != b && grid.boxes[i].is_some_and(|bx| hits(w, bx)))
                })
            })
        })
    };
    let todo: Vec<usize> = (0..drawn.len())
        .filter(|&r| match &grid.routes[r] {
            None => true,
            Some(pts) => blocked(r, pts),
        })
        .collect();
    if todo.is_empty() {
        return;
    }
    let mut before: HashMap<usize, Vec<(i64, i64)>> = HashMap::new();
    for &r in &todo {
        if let Some(old) = grid.routes[r].take() {
            before.insert(r, old);
        }
    }
    let mut w = 0usize;
    let mut h = 0usize;
    for b in grid.boxes.iter().flatten() {
        w = w.max(b.0 as usize + b.2);
        h = h.max(b.1 as usize + b.3);
    }
    for p in grid.routes.iter().flatten().flatten() {
        w = w.max(p.0 as usize + 1);
        h = h.max(p.1 as usize + 1);
    }
    // Room to go around everything.
    let mut m = maze::Maze::new(w + 3, h + 3);
    for b in grid.boxes.iter().flatten() {
        m.wall(rect(*b));
    }
    for pts in grid.routes.iter().flatten() {
        let pts: Vec<(usize, usize)> = pts.iter().map(|&(x, y)| (x as usize, y as usize)).collect();
        m.mark(&pts);
    }
    for r in todo {
        let (_, a, b) = drawn[r];
        let (Some(ba), Some(bb)) = (grid.boxes[a], grid.boxes[b]) else {
            continue;
        };
        if let Some(pts) = m.route(rect(ba), rect(bb)) {
            m.mark(&pts);
            grid.routes[r] = Some(pts.iter().map(|&(x, y)| (x as i64, y as i64)).collect());
        } else if let Some(old) = before.remove(&r) {
            // Better drawn through a box than not drawn at all.
            grid.routes[r] = Some(old);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
