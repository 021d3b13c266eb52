//! Coordinates along the cross axis, in whole cells: Brandes–Köpf. Four
//! alignments (up/down × towards the start/end of the layer) line items up
//! with a median neighbour, each is compacted against the separation
//! between neighbours, and the balanced result takes the mean of the two
//! middle candidates, which keeps every separation. Then group bands are
//! pulled apart so frames never overlap.

use super::graph::Proper;

/// Blank cells left between neighbours in a layer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Gaps {
    pub boxes: i64,
    pub dummies: i64,
    pub mixed: i64,
}

impl Gaps {
    fn between(&self, g: &Proper, a: usize, b: usize) -> i64 {
        match (g.is_dummy(a), g.is_dummy(b)) {
            (false, false) => self.boxes,
            (true, true) => self.dummies,
            _ => self.mixed,
        }
    }
}

/// Where an item lines up with its neighbours: the middle row of a box
/// (where a lone arrow attaches), the only row of a dummy.
pub(super) fn reference(g: &Proper, v: usize) -> i64 {
    if g.is_dummy(v) {
        0
    } else {
        (g.cross[v] / 2) as i64
    }
}

/// Smallest distance between the references of `a` and of `b` right after it.
fn separation(g: &Proper, gaps: &Gaps, a: usize, b: usize) -> i64 {
    g.cross[a] as i64 - reference(g, a) + gaps.between(g, a, b) + reference(g, b)
}

/// Marks segments that cross an inner segment (dummy to dummy), so long
/// arrows stay straight and the other segment gives way.
fn conflicts(g: &Proper, pos: &[usize]) -> Vec<bool> {
    let mut marked = vec![false; g.segs.len()];
    for l in 0..g.layers.len().saturating_sub(1) {
        let (upper, lower) = (&g.layers[l], &g.layers[l + 1]);
        if upper.is_empty() {
            continue;
        }
        let mut k0 = 0;
        let mut scan = 0;
        for (l1, &v) in lower.iter().enumerate() {
            let inner = if g.is_dummy(v) {
                g.up[v]
                    .iter()
                    .find(|&&(u, _)| g.is_dummy(u))
                    .map(|&(u, _)| pos[u])
            } else {
                None
            };
            if l1 + 1 == lower.len() || inner.is_some() {
                let k1 = inner.unwrap_or(upper.len() - 1);
                while scan <= l1 {
                    let w = lower[scan];
                    for &(u, s) in &g.up[w] {
                        let k = pos[u];
                        if (k < k0 || k > k1) && !(g.is_dummy(u) && g.is_dummy(w)) {
                            marked[s] = true;
                        }
                    }
                    scan += 1;
                }
                k0 = k1;
            }
        }
    }
    marked
}

/// One of the four alignments, compacted; reference coordinates.
fn one_way(g: &Proper, gaps: &Gaps, marked: &[bool], down: bool, forward: bool) -> Vec<i64> {
    let n = g.len();
    let order: Vec<Vec<usize>> = g
        .layers
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if !forward {
                l.reverse();
            }
            l
        })
        .collect();
    let mut hpos = vec![0usize; n];
    for l in &order {
        for (i, &v) in l.iter().enumerate() {
            hpos[v] = i;
        }
    }
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    let seq: Vec<usize> = if down {
        (0..order.len()).collect()
    } else {
        (0..order.len()).rev().collect()
    };
    let mut nb: Vec<(usize, usize)> = Vec::new();
    for &l in seq.iter().skip(1) {
        let mut r: i64 = -1;
        for &v in &order[l] {
            nb.clear();
            nb.extend_from_slice(if down { &g.up[v] } else { &g.down[v] });
            if nb.is_empty() {
                continue;
            }
            nb.sort_by_key(|&(u, s)| (hpos[u], s));
            let d = nb.len();
            let medians = if d % 2 == 1 {
                [(d - 1) / 2, (d - 1) / 2]
            } else {
                [d / 2 - 1, d / 2]
            };
            for m in medians {
                if align[v] == v {
                    let (u, s) = nb[m];
                    if !marked[s] && r < hpos[u] as i64 {
                        align[u] = v;
                        root[v] = root[u];
                        align[v] = root[v];
                        r = hpos[u] as i64;
                    }
                }
            }
        }
    }
    // Compaction over the graph of blocks: each block as close to the start
    // as its separations allow, then slid towards its successors where there
    // is slack (the two passes dagre uses).
    let mut succ: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for l in &order {
        for w in l.windows(2) {
            let (a, b) = (w[0], w[1]);
            let sep = if forward {
                separation(g, gaps, a, b)
            } else {
                separation(g, gaps, b, a)
            };
            succ[root[a]].push((root[b], sep));
            indeg[root[b]] += 1;
        }
    }
    let mut topo = Vec::new();
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| root[v] == v && indeg[v] == 0).collect();
    while let Some(b) = queue.pop_front() {
        topo.push(b);
        for &(c, _) in &succ[b] {
            indeg[c] -= 1;
            if indeg[c] == 0 {
                queue.push_back(c);
            }
        }
    }
    let mut xs = vec![0i64; n];
    for &b in &topo {
        for &(c, sep) in &succ[b] {
            xs[c] = xs[c].max(xs[b] + sep);
        }
    }
    for &b in topo.iter().rev() {
        if let Some(m) = succ[b].iter().map(|&(c, sep)| xs[c] - sep).min() {
            xs[b] = xs[b].max(m);
        }
    }
    (0..n)
        .map(|v| {
            let x = xs[root[v]];
            if forward { x } else { -x }
        })
        .collect()
}

/// Cross-axis tops of all items.
pub(super) fn place(g: &Proper, gaps: &Gaps) -> Vec<i64> {
    let n = g.len();
    if n == 0 {
        return Vec::new();
    }
    let pos = g.positions();
    let marked = conflicts(g, &pos);
    let refs: Vec<i64> = (0..n).map(|v| reference(g, v)).collect();
    let mut runs: Vec<(Vec<i64>, bool)> = Vec::with_capacity(4);
    for down in [true, false] {
        for forward in [true, false] {
            runs.push((one_way(g, gaps, &marked, down, forward), forward));
        }
    }
    let extent = |xs: &[i64]| -> (i64, i64) {
        let lo = (0..n).map(|v| xs[v] - refs[v]).min().unwrap_or(0);
        let hi = (0..n)
            .map(|v| xs[v] - refs[v] + g.cross[v] as i64)
            .max()
            .unwrap_or(0);
        (lo, hi)
    };
    let extents: Vec<(i64, i64)> = runs.iter().map(|(xs, _)| extent(xs)).collect();
    let narrowest = (0..4)
        .min_by_key(|&k| (extents[k].1 - extents[k].0, k))
        .expect("four runs");
    let (lo, hi) = extents[narrowest];
    for (k, (xs, forward)) in runs.iter_mut().enumerate() {
        let shift = if *forward {
            lo - extents[k].0
        } else {
            hi - extents[k].1
        };
        for x in xs.iter_mut() {
            *x += shift;
        }
    }
    let mut top: Vec<i64> = (0..n)
        .map(|v| {
            let mut c = [runs[0].0[v], runs[1].0[v], runs[2].0[v], runs[3].0[v]];
            c.sort_unstable();
            (c[1] + c[2]).div_euclid(2) - refs[v]
        })
        .collect();
    let min = top.iter().copied().min().unwrap_or(0);
    for t in &mut top {
        *t -= min;
    }
    top
}

/// Moves items towards where the previous layout had them: old boxes to
/// their old place, the rest by the median shift of the old boxes in their
/// layer, then pushed apart in order where they would overlap. Nothing
/// goes above zero, so nothing has to shift everything else down.
pub(super) fn follow(g: &Proper, gaps: &Gaps, top: &mut [i64], seed: &[Option<i64>]) {
    for layer in &g.layers {
        let mut shifts: Vec<i64> = layer
            .iter()
            .filter_map(|&v| seed[v].map(|s| s - top[v]))
            .collect();
        if shifts.is_empty() {
            continue;
        }
        shifts.sort_unstable();
        let shift = shifts[shifts.len() / 2];
        let mut prev: Option<usize> = None;
        for &v in layer {
            let want = match seed[v] {
                Some(s) => s,
                None => top[v] + shift,
            };
            top[v] = match prev {
                Some(u) => want.max(top[u] + g.cross[u] as i64 + gaps.between(g, u, v)),
                None => want.max(0),
            };
            prev = Some(v);
        }
    }
}

/// Pulls group bands apart along the cross axis so each band's items lie
/// after the previous band's, with `gap(a, b)` cells between bands `a` and
/// `b` for the frames' borders.
pub(super) fn stack_bands(g: &Proper, top: &mut [i64], gap: impl Fn(usize, usize) -> i64) {
    let bands = g.band.iter().copied().max().map_or(0, |m| m + 1);
    if bands < 2 {
        return;
    }
    let mut lo = vec![i64::MAX; bands];
    let mut hi = vec![i64::MIN; bands];
    for (v, &t) in top.iter().enumerate() {
        let b = g.band[v];
        lo[b] = lo[b].min(t);
        hi[b] = hi[b].max(t + g.cross[v] as i64);
    }
    let mut delta = vec![0i64; bands];
    let mut prev: Option<usize> = None;
    for b in 0..bands {
        if lo[b] == i64::MAX {
            continue;
        }
        if let Some(p) = prev {
            delta[b] = (hi[p] + delta[p] + gap(p, b) - lo[b]).max(0);
        }
        prev = Some(b);
    }
    for (v, t) in top.iter_mut().enumerate() {
        *t += delta[g.band[v]];
    }
}

/// Squeezes runs of rows that hold nothing in any layer of a tier down to
/// `keep` rows, tier by tier. Everything in a tier moves by the same map, so
/// what was level stays level; `room(v)` is how far item `v` reaches beyond
/// itself on either side (for frame borders).
pub(super) fn squeeze_rows(
    g: &Proper,
    top: &mut [i64],
    tiers: &[(usize, usize)],
    keep: i64,
    room: impl Fn(usize) -> i64,
) {
    for &(a, b) in tiers {
        let items: Vec<usize> = (a..=b).flat_map(|l| g.layers[l].iter().copied()).collect();
        let mut spans: Vec<(i64, i64)> = items
            .iter()
            .map(|&v| (top[v] - room(v), top[v] + g.cross[v] as i64 + room(v)))
            .collect();
        spans.sort_unstable();
        // Merged blocks of used rows, each with the shift it gets.
        let mut blocks: Vec<(i64, i64, i64)> = Vec::new();
        for (s, e) in spans {
            match blocks.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => blocks.push((s, e, 0)),
            }
        }
        let mut cursor = blocks.first().map_or(0, |b| b.0);
        let mut last_end: Option<i64> = None;
        for blk in &mut blocks {
            if let Some(e) = last_end {
                cursor += (blk.0 - e).min(keep);
            }
            blk.2 = cursor - blk.0;
            cursor = blk.1 + blk.2;
            last_end = Some(blk.1);
        }
        for &v in &items {
            let k = blocks.partition_point(|blk| blk.1 <= top[v]);
            top[v] += blocks[k].2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAPS: Gaps = Gaps {
        boxes: 1,
        dummies: 0,
        mixed: 1,
    };

    #[test]
    fn a_chain_lines_up_and_neighbours_keep_apart() {
        // 0 -> 2 -> 4 and 1 -> 3, with 0 and 1 in the first layer.
        let arrows = [(0, 2, 0, false), (2, 4, 1, false), (1, 3, 2, false)];
        let g = Proper::build(
            vec![0, 0, 1, 1, 2],
            vec![8; 5],
            vec![4; 5],
            vec![0; 5],
            &arrows,
        );
        let top = place(&g, &GAPS);
        assert_eq!(top[0], top[2]);
        assert_eq!(top[2], top[4]);
        for layer in &g.layers {
            for w in layer.windows(2) {
                assert!(top[w[1]] > top[w[0]] + 4, "{top:?}");
            }
        }
    }
}
