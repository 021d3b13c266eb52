//! Orthogonal arrows in the channels between layers. Arrows attach to
//! ports spread along box sides; segments that share a port form one net
//! (a trunk with branches); each net that bends gets a track of its own in
//! the channel, ordered to cross as little as possible. Wide diagrams fold
//! into tiers, and arrows between tiers wrap around through a corridor.
//! Everything here is in (main, cross) cells: main is the way arrows flow.

use std::collections::HashMap;

use super::graph::Proper;
use super::place::reference;

/// Stands for "beyond the channel's end" in net extents.
pub(super) const INF: i64 = i64::MAX / 4;

/// What a net looks like from inside its channel: rows where it turns off
/// towards the lower-main side (`left`) and towards the higher-main side
/// (`right`), and how far its trunk runs.
#[derive(Clone, Debug)]
pub(super) struct Shape {
    pub left: Vec<i64>,
    pub right: Vec<i64>,
    pub lo: i64,
    pub hi: i64,
}

fn count_inside(rows: &[i64], lo: i64, hi: i64) -> i64 {
    let a = rows.partition_point(|&r| r <= lo);
    let b = rows.partition_point(|&r| r < hi);
    b.saturating_sub(a) as i64
}

fn meet(a: &[i64], b: &[i64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Crossings when `a`'s trunk runs before (nearer the low-main side of) `b`'s.
fn cost_before(a: &Shape, b: &Shape) -> i64 {
    count_inside(&a.right, b.lo, b.hi) + count_inside(&b.left, a.lo, a.hi)
}

/// Like [`cost_before`], with a branch running along another's priced out.
fn cost_with_branches(a: &Shape, b: &Shape) -> i64 {
    const HARD: i64 = 1 << 32;
    cost_before(a, b) + if meet(&b.left, &a.right) { HARD } else { 0 }
}

/// Trunks this close would touch or run together.
fn near(a: &Shape, b: &Shape) -> bool {
    a.lo <= b.hi.saturating_add(1) && b.lo <= a.hi.saturating_add(1)
}

/// Tracks for nets in one channel: an order that crosses least (greedy
/// Eades–Lin–Smyth on the pairwise preferences; a branch that would run
/// along another net's branch is a hard constraint), then the lowest track
/// that keeps that order among nets that would touch. Returns each net's
/// track and the number of tracks.
pub(super) fn assign_tracks(shapes: &[Shape]) -> (Vec<usize>, usize) {
    let n = shapes.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| (shapes[i].lo, shapes[i].hi, i));
    let mut outs: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    let mut outw = vec![0i64; n];
    let mut inw = vec![0i64; n];
    for (k, &a) in idx.iter().enumerate() {
        for &b in &idx[k + 1..] {
            let (sa, sb) = (&shapes[a], &shapes[b]);
            if sb.lo > sa.hi.saturating_add(1) {
                break;
            }
            let ab = cost_with_branches(sa, sb);
            let ba = cost_with_branches(sb, sa);
            let (from, to, w) = match ab.cmp(&ba) {
                std::cmp::Ordering::Less => (a, b, ba - ab),
                std::cmp::Ordering::Greater => (b, a, ab - ba),
                std::cmp::Ordering::Equal => continue,
            };
            outs[from].push((to, w));
            ins[to].push((from, w));
            outw[from] += w;
            inw[to] += w;
        }
    }
    let mut removed = vec![false; n];
    let mut front = Vec::with_capacity(n);
    let mut back = Vec::new();
    for _ in 0..n {
        let pick = if let Some(&i) = idx.iter().find(|&&i| !removed[i] && inw[i] == 0) {
            front.push(i);
            i
        } else if let Some(&i) = idx.iter().rev().find(|&&i| !removed[i] && outw[i] == 0) {
            back.push(i);
            i
        } else {
            let &i = idx
                .iter()
                .filter(|&&i| !removed[i])
                .max_by_key(|&&i| (outw[i] - inw[i], std::cmp::Reverse(i)))
                .expect("a net is left");
            front.push(i);
            i
        };
        removed[pick] = true;
        for &(j, w) in &outs[pick] {
            inw[j] -= w;
        }
        for &(j, w) in &ins[pick] {
            outw[j] -= w;
        }
    }
    let order: Vec<usize> = front.into_iter().chain(back.into_iter().rev()).collect();

    // The most trunks that overlap at one row: no fewer tracks will do.
    let mut ends: Vec<(i64, i64)> = shapes
        .iter()
        .flat_map(|s| [(s.lo, 1), (s.hi.saturating_add(2), -1)])
        .collect();
    ends.sort_unstable();
    let mut clique = 0i64;
    let mut open = 0i64;
    for (_, d) in ends {
        open += d;
        clique = clique.max(open);
    }

    // Each net, in that order, goes where it crosses the nets already placed
    // least: on a free track, or on a new one. Up to twice the fewest
    // possible, new tracks are free; beyond that a new track must save more
    // crossings the more tracks there are, so a staircase of nets each
    // wanting to pass the last one does not make the channel as wide as the
    // staircase is long.
    let mut column: Vec<usize> = vec![usize::MAX; n];
    let mut tracks = 0usize;
    let mut near_placed: Vec<usize> = Vec::new();
    let mut placed: Vec<usize> = Vec::with_capacity(n);
    for &i in &order {
        near_placed.clear();
        near_placed.extend(
            placed
                .iter()
                .copied()
                .filter(|&j| near(&shapes[i], &shapes[j])),
        );
        // cost[p]: nets in columns before p have i after them, the rest before.
        let mut cost = vec![0i64; tracks + 1];
        let mut taken = vec![false; tracks];
        let mut delta = vec![0i64; tracks + 1];
        let mut base = 0i64;
        for &j in &near_placed {
            let (before_i, after_i) = (
                cost_with_branches(&shapes[j], &shapes[i]),
                cost_with_branches(&shapes[i], &shapes[j]),
            );
            base += after_i;
            // From column[j] + 1 on, j counts as before i.
            delta[column[j] + 1] += before_i - after_i;
            taken[column[j]] = true;
        }
        let mut run = base;
        for p in 0..=tracks {
            run += delta[p];
            cost[p] = run;
        }
        // cost[p] for a new column at p; an existing free column t has the
        // same nets on either side as a new column at t.
        let free = (0..tracks)
            .filter(|&t| !taken[t])
            .min_by_key(|&t| (cost[t], t));
        let fresh = (0..=tracks)
            .min_by_key(|&p| (cost[p], p))
            .expect("a position");
        let extra = tracks as i64 - 2 * clique + 1;
        let toll = if extra > 0 { extra } else { 0 };
        let use_free = match free {
            Some(t) => cost[t] <= cost[fresh] + toll,
            None => false,
        };
        if use_free {
            column[i] = free.expect("a free column");
        } else {
            for c in column.iter_mut() {
                if *c != usize::MAX && *c >= fresh {
                    *c += 1;
                }
            }
            column[i] = fresh;
            tracks += 1;
        }
        placed.push(i);
    }
    let track = column;
    let count = tracks;
    (track, count)
}

/// Nets whose branch would still run along another net's branch after
/// `track`s were chosen (two pairs of nets that each need the other on
/// their left): the second of each such pair, to be routed another way.
pub(super) fn clashes(shapes: &[Shape], track: &[usize]) -> Vec<usize> {
    let mut turning_right: HashMap<i64, usize> = HashMap::new();
    for (j, s) in shapes.iter().enumerate() {
        for &r in &s.right {
            turning_right.insert(r, j);
        }
    }
    let mut out = Vec::new();
    for (i, s) in shapes.iter().enumerate() {
        for r in &s.left {
            if let Some(&j) = turning_right.get(r)
                && j != i
                && track[i] >= track[j]
            {
                out.push(j);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where the nets of one channel run.
struct Lanes {
    /// Each net's track, counted from the channel's first.
    column: Vec<usize>,
    /// Nets that could not keep out of another net's way on one track step
    /// across the channel instead: down (or up) on a track before all
    /// others, across at a row no port uses, on along a track after all
    /// others. (first track, row, second track)
    dogleg: HashMap<usize, (usize, i64, usize)>,
    count: usize,
    /// Nets with no free row to step across at; they go over the grid.
    loose: Vec<usize>,
}

fn lanes(nets: &[Net]) -> Lanes {
    let bending: Vec<usize> = (0..nets.len()).filter(|&i| !nets[i].straight).collect();
    let shapes: Vec<Shape> = bending
        .iter()
        .map(|&i| {
            let n = &nets[i];
            Shape {
                left: n.left.clone(),
                right: n.right.clone(),
                lo: n.left[0].min(n.right[0]),
                hi: n.left[n.left.len() - 1].max(n.right[n.right.len() - 1]),
            }
        })
        .collect();
    let (t, count) = assign_tracks(&shapes);
    let bad = clashes(&shapes, &t);
    let mut taken: std::collections::HashSet<i64> = nets
        .iter()
        .flat_map(|n| n.left.iter().chain(&n.right).copied())
        .collect();
    let mut steps: Vec<(usize, i64)> = Vec::new();
    let mut loose = Vec::new();
    for &k in &bad {
        let sh = &shapes[k];
        let mean = |r: &[i64]| r.iter().sum::<i64>() as f64 / r.len() as f64;
        let mid = (mean(&sh.left) + mean(&sh.right)) / 2.0;
        let row = (sh.lo + 1..sh.hi)
            .filter(|r| !taken.contains(r))
            .min_by(|a, b| {
                (*a as f64 - mid)
                    .abs()
                    .total_cmp(&(*b as f64 - mid).abs())
                    .then(a.cmp(b))
            });
        match row {
            Some(m) => {
                taken.insert(m);
                steps.push((bending[k], m));
            }
            None => loose.push(bending[k]),
        }
    }
    let d = steps.len();
    let mut column = vec![0usize; nets.len()];
    for (k, &i) in bending.iter().enumerate() {
        column[i] = t[k] + d;
    }
    let dogleg = steps
        .iter()
        .enumerate()
        .map(|(k, &(net, m))| (net, (d - 1 - k, m, count + d + k)))
        .collect();
    Lanes {
        column,
        dogleg,
        count: count + 2 * d,
        loose,
    }
}

/// Port rows of every segment's two ends, and which port each end uses
/// (item, side, index): ends on the same port belong to the same net.
struct Ports {
    upper_row: Vec<i64>,
    lower_row: Vec<i64>,
    upper_key: Vec<(usize, usize)>,
    lower_key: Vec<(usize, usize)>,
}

/// For `k` arrows on a side with `inner` free rows: each arrow's port index
/// and row offset from the box's top. Arrows get rows of their own while
/// there are enough, spread evenly; beyond that neighbours share.
fn spread(k: usize, inner: usize) -> Vec<(usize, i64)> {
    let inner = inner.max(1);
    (0..k)
        .map(|i| {
            if k <= inner {
                (i, 1 + ((2 * i + 1) * inner / (2 * k)) as i64)
            } else {
                let p = i * inner / k;
                (p, 1 + p as i64)
            }
        })
        .collect()
}

fn ports(g: &Proper, top: &[i64]) -> Ports {
    let s = g.segs.len();
    let mut p = Ports {
        upper_row: vec![0; s],
        lower_row: vec![0; s],
        upper_key: vec![(0, 0); s],
        lower_key: vec![(0, 0); s],
    };
    for v in 0..g.len() {
        if g.is_dummy(v) {
            for &(_, s) in &g.down[v] {
                p.upper_row[s] = top[v];
                p.upper_key[s] = (v, 0);
            }
            for &(_, s) in &g.up[v] {
                p.lower_row[s] = top[v];
                p.lower_key[s] = (v, 0);
            }
            continue;
        }
        let inner = g.cross[v].saturating_sub(2);
        for (side, nb) in [(0, &g.down[v]), (1, &g.up[v])] {
            let mut ends: Vec<(i64, usize, usize)> = nb
                .iter()
                .map(|&(w, s)| (top[w] + reference(g, w), w, s))
                .collect();
            ends.sort_unstable();
            for (&(_, _, s), (port, off)) in ends.iter().zip(spread(ends.len(), inner)) {
                if side == 0 {
                    p.upper_row[s] = top[v] + off;
                    p.upper_key[s] = (v, port);
                } else {
                    p.lower_row[s] = top[v] + off;
                    p.lower_key[s] = (v, port);
                }
            }
        }
    }
    p
}

/// Segments joined by shared ports, in one channel.
#[derive(Clone, Debug)]
struct Net {
    left: Vec<i64>,
    right: Vec<i64>,
    straight: bool,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The nets of channel `l` and, per segment there, its net.
fn nets(g: &Proper, p: &Ports, l: usize, net_of: &mut [usize]) -> Vec<Net> {
    let segs: Vec<usize> = g.layers[l]
        .iter()
        .flat_map(|&u| g.down[u].iter().map(|&(_, s)| s))
        .collect();
    let mut parent: Vec<usize> = (0..segs.len()).collect();
    let mut seen: HashMap<(usize, usize, bool), usize> = HashMap::new();
    for (i, &s) in segs.iter().enumerate() {
        let (a, b) = (p.upper_key[s], p.lower_key[s]);
        for key in [(a.0, a.1, false), (b.0, b.1, true)] {
            match seen.get(&key) {
                Some(&j) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj {
                        parent[ri.max(rj)] = ri.min(rj);
                    }
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut out: Vec<Net> = Vec::new();
    for (i, &s) in segs.iter().enumerate() {
        let r = find(&mut parent, i);
        let k = *index.entry(r).or_insert_with(|| {
            out.push(Net {
                left: Vec::new(),
                right: Vec::new(),
                straight: false,
            });
            out.len() - 1
        });
        out[k].left.push(p.upper_row[s]);
        out[k].right.push(p.lower_row[s]);
        net_of[s] = k;
    }
    for n in &mut out {
        n.left.sort_unstable();
        n.left.dedup();
        n.right.sort_unstable();
        n.right.dedup();
        n.straight = n.left.len() == 1 && n.right.len() == 1 && n.left == n.right;
    }
    out
}

/// Groups as the router needs them: which groups each band sits in
/// (outermost first) and how deep each group is (1 for top level).
pub(super) struct Bands<'a> {
    pub path: &'a [Vec<usize>],
    pub depth: &'a [usize],
}

pub(super) struct Params {
    /// Deepest group nesting; that many frame borders fit beside each layer.
    pub fd: usize,
    /// Cells between a frame border and what it holds, per level, across layers.
    pub frame_pad: i64,
    /// Fold into tiers to stay within this many cells along the main axis.
    pub fold: Option<usize>,
    /// Whether to make room for arrow labels on the main axis.
    pub labels: bool,
    /// Where each layer started in the previous layout, if anywhere: layers
    /// keep that place when they still fit there.
    pub seed_main: Vec<Option<i64>>,
    /// Tiers and labels decided by an earlier pass, to keep.
    pub fixed: Option<(Vec<(usize, usize)>, bool)>,
}

pub(super) struct Routed {
    /// Main-axis start and cross-axis top of each real item.
    pub at: Vec<(i64, i64)>,
    /// Corners of each chain from its upper end to its lower end.
    pub points: Vec<Vec<(i64, i64)>>,
    /// (group, main, cross, main size, cross size).
    pub frames: Vec<(usize, i64, i64, i64, i64)>,
    /// Chains the channels could not route cleanly; they go over the grid.
    pub loose: Vec<bool>,
    /// The tiers (first and last layer of each) and whether labels got room.
    pub tiers: (Vec<(usize, usize)>, bool),
}

/// Drops repeated points and points in the middle of a straight run.
pub(super) fn simplify(points: &mut Vec<(i64, i64)>) {
    points.dedup();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for &p in points.iter() {
        while out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) {
                out.pop();
            } else {
                break;
            }
        }
        out.push(p);
    }
    *points = out;
}

pub(super) fn route(
    g: &Proper,
    top: &[i64],
    label_len: &[usize],
    bands: &Bands,
    p: &Params,
) -> Routed {
    let nl = g.layers.len();
    if nl == 0 {
        return Routed {
            at: Vec::new(),
            points: Vec::new(),
            frames: Vec::new(),
            loose: Vec::new(),
            tiers: (Vec::new(), false),
        };
    }
    let fd = p.fd as i64;
    let ports = ports(g, top);
    let mut net_of = vec![0usize; g.segs.len()];
    let channels: Vec<Vec<Net>> = (0..nl - 1)
        .map(|l| nets(g, &ports, l, &mut net_of))
        .collect();
    let tracks: Vec<Lanes> = channels.iter().map(|nets| lanes(nets)).collect();
    let width: Vec<i64> = g
        .layers
        .iter()
        .map(|l| {
            l.iter()
                .filter(|&&v| !g.is_dummy(v))
                .map(|&v| g.main[v] as i64)
                .max()
                .unwrap_or(1)
        })
        .collect();
    // Room for a label on the last piece of each arrow, in the channel it ends in.
    let mut label_room = vec![0i64; nl];
    for (c, chain) in g.chains.iter().enumerate() {
        if let (Some(&s), true) = (chain.segs.last(), label_len[c] > 0) {
            let l = g.layer[g.segs[s].upper];
            label_room[l] = label_room[l].max(label_len[c] as i64 + 2);
        }
    }
    let channel = |l: usize, labels: bool| -> i64 {
        4 + 2 * fd + tracks[l].count as i64 + if labels { label_room[l] } else { 0 }
    };
    let wraps = |l: usize| channels[l].len() as i64;
    let right_margin = |l: usize| 3 + fd + wraps(l);
    let left_margin =
        |l: usize, labels: bool| 3 + fd + wraps(l) + if labels { label_room[l] } else { 0 };
    let first_margin = if fd > 0 { fd + 1 } else { 0 };
    let trailing = if fd > 0 { fd + 1 } else { 0 };
    let pack = |labels: bool| -> Vec<(usize, usize)> {
        let Some(limit) = p.fold.map(|f| f as i64) else {
            return vec![(0, nl - 1)];
        };
        let mut tiers = Vec::new();
        let mut start = 0;
        let mut used = first_margin + width[0];
        #[allow(clippy::needless_range_loop)]
        for l in 1..nl {
            let next = used + channel(l - 1, labels) + width[l];
            let end = if l + 1 == nl {
                trailing
            } else {
                right_margin(l)
            };
            if next + end <= limit {
                used = next;
            } else {
                tiers.push((start, l - 1));
                start = l;
                used = left_margin(l - 1, labels) + width[l];
            }
        }
        tiers.push((start, nl - 1));
        tiers
    };
    // How wide a choice of tiers comes out.
    let span = |tiers: &[(usize, usize)], labels: bool| -> i64 {
        tiers
            .iter()
            .map(|&(a, b)| {
                let start = if a == 0 {
                    first_margin
                } else {
                    left_margin(a - 1, labels)
                };
                let inner: i64 = (a..b).map(|l| width[l] + channel(l, labels)).sum();
                let end = if b + 1 < nl {
                    right_margin(b)
                } else {
                    trailing
                };
                start + inner + width[b] + end
            })
            .max()
            .unwrap_or(0)
    };
    // Within the width if at all possible, then as few tiers as will do,
    // then with labels. Folding that only makes things wider (when very
    // many arrows would wrap) is not done at all.
    let whole = vec![(0, nl - 1)];
    let mut choices = vec![(whole.clone(), true), (whole, false)];
    if p.fold.is_some() {
        choices.push((pack(true), true));
        choices.push((pack(false), false));
    }
    choices.retain(|(_, l)| p.labels || !l);
    let limit = p.fold.map_or(i64::MAX, |f| f as i64);
    let (tiers, labels) = p.fixed.clone().unwrap_or_else(|| {
        choices
            .into_iter()
            .min_by_key(|(t, l)| {
                let w = span(t, *l);
                if w <= limit {
                    (0, 0, t.len() as i64, i64::from(!*l))
                } else {
                    (1, w, t.len() as i64, i64::from(!*l))
                }
            })
            .expect("a choice")
    });
    let mut tier_of = vec![0usize; nl];
    for (t, &(a, b)) in tiers.iter().enumerate() {
        tier_of[a..=b].fill(t);
    }
    let cut = |l: usize| l + 1 < nl && tier_of[l] != tier_of[l + 1];

    // Main axis: where each layer starts.
    let mut x = vec![0i64; nl];
    for &(a, b) in &tiers {
        let seed = |l: usize| p.seed_main.get(l).copied().flatten().unwrap_or(0);
        x[a] = seed(a).max(if a == 0 {
            first_margin
        } else {
            left_margin(a - 1, labels)
        });
        for l in a..b {
            x[l + 1] = seed(l + 1).max(x[l] + width[l] + channel(l, labels));
        }
    }

    // Cross axis: each tier from its own top, tiers one below the other
    // with a corridor between them for the arrows that wrap.
    let depth_of = |v: usize| bands.path[g.band[v]].len() as i64;
    let mut lo = vec![i64::MAX; tiers.len()];
    let mut hi = vec![i64::MIN; tiers.len()];
    for v in 0..g.len() {
        let t = tier_of[g.layer[v]];
        let pad = p.frame_pad * depth_of(v);
        lo[t] = lo[t].min(top[v] - pad);
        hi[t] = hi[t].max(top[v] + g.cross[v] as i64 + pad);
    }
    let mut off = vec![0i64; tiers.len()];
    let mut tier_top = vec![0i64; tiers.len()];
    let mut y = 0i64;
    for (t, &(_, b)) in tiers.iter().enumerate() {
        tier_top[t] = y;
        off[t] = y - lo[t];
        y += hi[t] - lo[t];
        if cut(b) {
            y += wraps(b) + 2;
        }
    }
    let row = |v: usize, r: i64| r + off[tier_of[g.layer[v]]];

    // Arrows that wrap: a track in the right margin, a row in the corridor,
    // a track in the next tier's left margin, per net.
    let mut wrap_at: HashMap<usize, Vec<(i64, i64, i64)>> = HashMap::new();
    for (t, &(_, b)) in tiers.iter().enumerate() {
        if !cut(b) {
            continue;
        }
        let nets = &channels[b];
        let shapes: Vec<Shape> = nets
            .iter()
            .map(|n| {
                let left: Vec<i64> = n.left.iter().map(|r| r + off[t]).collect();
                Shape {
                    lo: left[0],
                    hi: INF,
                    left,
                    right: Vec::new(),
                }
            })
            .collect();
        let (rt, _) = assign_tracks(&shapes);
        let mut by_track: Vec<usize> = (0..nets.len()).collect();
        by_track.sort_by_key(|&i| rt[i]);
        let corridor_top = tier_top[t] + hi[t] - lo[t] + 1;
        let mut crow = vec![0i64; nets.len()];
        for (k, &i) in by_track.iter().enumerate() {
            crow[i] = corridor_top + k as i64;
        }
        let shapes: Vec<Shape> = nets
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut right: Vec<i64> = n.right.iter().map(|r| r + off[t + 1]).collect();
                right.push(crow[i]);
                right.sort_unstable();
                Shape {
                    lo: crow[i],
                    hi: right[right.len() - 1],
                    left: Vec::new(),
                    right,
                }
            })
            .collect();
        let (lt, _) = assign_tracks(&shapes);
        let rbase = x[b] + width[b] + 2 + fd;
        wrap_at.insert(
            b,
            (0..nets.len())
                .map(|i| (rbase + rt[i] as i64, crow[i], 1 + lt[i] as i64))
                .collect(),
        );
    }

    let mut points = Vec::with_capacity(g.chains.len());
    for chain in &g.chains {
        let first = chain.items[0];
        let s0 = chain.segs[0];
        let mut pts = vec![(
            x[g.layer[first]] + g.main[first] as i64,
            row(first, ports.upper_row[s0]),
        )];
        for &s in &chain.segs {
            let (u, w) = (g.segs[s].upper, g.segs[s].lower);
            let l = g.layer[u];
            let (a, b) = (row(u, ports.upper_row[s]), row(w, ports.lower_row[s]));
            if let Some(w) = wrap_at.get(&l) {
                let (r, c, lc) = w[net_of[s]];
                pts.extend([(r, a), (r, c), (lc, c), (lc, b)]);
            } else if a != b && !channels[l][net_of[s]].straight {
                let base = x[l] + width[l] + 2 + fd;
                let lane = &tracks[l];
                match lane.dogleg.get(&net_of[s]) {
                    Some(&(c1, m, c2)) => {
                        let (t1, t2) = (base + c1 as i64, base + c2 as i64);
                        pts.extend([(t1, a), (t1, m), (t2, m), (t2, b)]);
                    }
                    None => {
                        let t = base + lane.column[net_of[s]] as i64;
                        pts.extend([(t, a), (t, b)]);
                    }
                }
            }
        }
        let last = *chain.items.last().expect("a chain has two ends");
        let sl = *chain.segs.last().expect("a chain has a segment");
        pts.push((x[g.layer[last]] - 1, row(last, ports.lower_row[sl])));
        simplify(&mut pts);
        points.push(pts);
    }

    let at: Vec<(i64, i64)> = (0..g.n_real)
        .map(|v| (x[g.layer[v]], row(v, top[v])))
        .collect();

    // Frames: around the items of a group's bands, per tier, over the
    // layers where the group has boxes.
    let groups = bands.depth.len();
    let mut frames = Vec::new();
    if groups > 0 {
        for (t, &(a, b)) in tiers.iter().enumerate() {
            let mut span = vec![(usize::MAX, 0usize); groups];
            for l in a..=b {
                for &v in &g.layers[l] {
                    if g.is_dummy(v) {
                        continue;
                    }
                    for &gi in &bands.path[g.band[v]] {
                        span[gi] = (span[gi].0.min(l), span[gi].1.max(l));
                    }
                }
            }
            let mut ext = vec![(i64::MAX, i64::MIN); groups];
            for l in a..=b {
                for &v in &g.layers[l] {
                    let path = &bands.path[g.band[v]];
                    for &gi in path {
                        if l < span[gi].0 || l > span[gi].1 {
                            continue;
                        }
                        let d = bands.depth[gi] as i64;
                        let pad = p.frame_pad * (path.len() as i64 - d + 1);
                        let r = top[v] + off[t];
                        ext[gi] = (
                            ext[gi].0.min(r - pad),
                            ext[gi].1.max(r + g.cross[v] as i64 - 1 + pad),
                        );
                    }
                }
            }
            for gi in 0..groups {
                let (l0, l1) = span[gi];
                if l0 == usize::MAX {
                    continue;
                }
                let d = bands.depth[gi] as i64;
                let m0 = x[l0] - 1 - (fd - d + 1);
                let m1 = x[l1] + width[l1] + 1 + (fd - d);
                let (c0, c1) = ext[gi];
                frames.push((gi, m0, c0, m1 - m0 + 1, c1 - c0 + 1));
            }
        }
    }
    let mut loose = vec![false; g.chains.len()];
    let mut chain_of = vec![0usize; g.segs.len()];
    for (c, chain) in g.chains.iter().enumerate() {
        for &s in &chain.segs {
            chain_of[s] = c;
        }
    }
    for (s, seg) in g.segs.iter().enumerate() {
        let l = g.layer[seg.upper];
        if wrap_at.contains_key(&l) {
            continue;
        }
        if tracks[l].loose.contains(&net_of[s]) {
            loose[chain_of[s]] = true;
        }
    }
    Routed {
        at,
        points,
        frames,
        loose,
        tiers: (tiers, labels),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(left: &[i64], right: &[i64]) -> Shape {
        let all: Vec<i64> = left.iter().chain(right).copied().collect();
        Shape {
            left: left.to_vec(),
            right: right.to_vec(),
            lo: *all.iter().min().unwrap(),
            hi: *all.iter().max().unwrap(),
        }
    }

    #[test]
    fn staggered_nets_take_the_order_that_does_not_cross() {
        // A goes 0 -> 5 and B goes 3 -> 8: B's trunk must come first.
        let shapes = [shape(&[0], &[5]), shape(&[3], &[8])];
        let (t, n) = assign_tracks(&shapes);
        assert_eq!(n, 2);
        assert!(t[1] < t[0], "{t:?}");
        assert_eq!(cost_before(&shapes[1], &shapes[0]), 0);
    }

    #[test]
    fn apart_nets_share_a_track() {
        let shapes = [shape(&[0], &[2]), shape(&[6], &[9])];
        let (t, n) = assign_tracks(&shapes);
        assert_eq!((t[0], t[1], n), (0, 0, 1));
    }

    #[test]
    fn a_branch_never_runs_along_another() {
        // A leaves left at row 4, B arrives right at row 4: A must be first.
        let shapes = [shape(&[4], &[9]), shape(&[0], &[4])];
        let (t, _) = assign_tracks(&shapes);
        assert!(t[0] < t[1], "{t:?}");
    }

    #[test]
    fn ports_spread_then_share() {
        assert_eq!(spread(1, 2), vec![(0, 2)]);
        assert_eq!(spread(2, 2), vec![(0, 1), (1, 2)]);
        let shared = spread(5, 2);
        assert!(
            shared
                .iter()
                .all(|&(p, off)| p < 2 && (1..=2).contains(&off))
        );
    }

    #[test]
    fn simplify_keeps_only_corners() {
        let mut p = vec![(0, 0), (1, 0), (3, 0), (3, 0), (3, 4), (5, 4)];
        simplify(&mut p);
        assert_eq!(p, vec![(0, 0), (3, 0), (3, 4), (5, 4)]);
    }
}
