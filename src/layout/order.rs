//! Crossing reduction: the order of items within each layer. Weighted
//! median sweeps alternate down and up, each followed by transposition of
//! neighbours, and the best order seen wins. Group bands stay contiguous.
//! With a previous layout the old order is kept and only new items are
//! slotted in, so small edits do not reshuffle the picture.

use super::graph::Proper;

const MAX_SWEEPS: usize = 24;
/// Sweeps without improvement before giving up.
const PATIENCE: usize = 8;
const TRANSPOSE_PASSES: usize = 8;
const SIFT_PASSES: usize = 3;
/// Sifting costs the square of a layer's size; bigger layers rely on the sweeps.
const SIFT_MAX_LAYER: usize = 300;

/// Orders the layers of `g` in place. `seed` holds, for items that were in
/// the previous layout, the cross-axis centre they had there.
pub(super) fn order(g: &mut Proper, seed: Option<&[Option<f64>]>) {
    initial(g);
    match seed {
        Some(seed) if seed.iter().any(Option::is_some) => {
            seeded(g, seed);
            let old: Vec<bool> = (0..g.len()).map(|v| seed[v].is_some()).collect();
            sweeps(g, &old);
        }
        _ => sweeps(g, &vec![false; g.len()]),
    }
}

/// Orders the layers of `g` starting from the order they already have,
/// made to respect the bands.
pub(super) fn refine(g: &mut Proper) {
    for layer in &mut g.layers {
        layer.sort_by_key(|&v| g.band[v]);
    }
    sweeps(g, &vec![false; g.len()]);
}

/// Depth-first order from the sources, which already keeps chains together.
/// Boxes without arrows go last, out of the way.
fn initial(g: &mut Proper) {
    let n = g.len();
    let mut seen = vec![false; n];
    let mut layers = vec![Vec::new(); g.layers.len()];
    let starts = (0..n).filter(|&v| g.up[v].is_empty()).chain(0..n);
    let mut stack = Vec::new();
    for start in starts {
        if seen[start] {
            continue;
        }
        stack.push(start);
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[g.layer[v]].push(v);
            for &(w, _) in g.down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    for layer in &mut layers {
        layer.sort_by_key(|&v| (g.band[v], g.up[v].is_empty() && g.down[v].is_empty()));
    }
    g.layers = layers;
}

/// Median sweeps and transposition; items marked `old` keep their order
/// among themselves while the others move around them.
fn sweeps(g: &mut Proper, old: &[bool]) {
    let mut pos = g.positions();
    let mut best = g.layers.clone();
    let mut best_count = count(g, &pos);
    let mut stale = 0;
    for i in 0..MAX_SWEEPS {
        if best_count == 0 {
            break;
        }
        // Every other pair of sweeps, ties go the other way round, which
        // lets equally good items trade places and leave a local optimum.
        let flip = i % 4 >= 2;
        if i % 2 == 0 {
            for l in 1..g.layers.len() {
                by_median(g, &mut pos, l, true, old, flip);
            }
        } else {
            for l in (0..g.layers.len().saturating_sub(1)).rev() {
                by_median(g, &mut pos, l, false, old, flip);
            }
        }
        transpose(g, &mut pos, old, flip);
        let c = count(g, &pos);
        if c < best_count {
            // Only a real improvement buys more sweeps.
            if (c as f64) < 0.995 * best_count as f64 {
                stale = 0;
            } else {
                stale += 1;
            }
            best_count = c;
            best = g.layers.clone();
        } else {
            stale += 1;
        }
        if stale >= PATIENCE {
            break;
        }
    }
    g.layers = best;
    let mut pos = g.positions();
    let mut c = count(g, &pos);
    for _ in 0..SIFT_PASSES {
        if c == 0 {
            break;
        }
        sift(g, &mut pos, old);
        let after = count(g, &pos);
        if after >= c {
            break;
        }
        c = after;
    }
}

/// Sifting: each item in turn, most connected first, moves to the place in
/// its layer where its arrows cross least, its neighbours held still.
/// Unlike median sweeps it can carry an item past a whole block at once.
fn sift(g: &mut Proper, pos: &mut [usize], old: &[bool]) {
    let mut ends = vec![(Vec::new(), Vec::new()); g.len()];
    let mut before = Vec::new();
    let mut after = Vec::new();
    for l in 0..g.layers.len() {
        if g.layers[l].len() < 2 || g.layers[l].len() > SIFT_MAX_LAYER {
            continue;
        }
        ends_of(g, pos, l, &mut ends);
        let mut items: Vec<usize> = g.layers[l].iter().copied().filter(|&v| !old[v]).collect();
        items.sort_by_key(|&v| (std::cmp::Reverse(g.up[v].len() + g.down[v].len()), v));
        for v in items {
            if g.up[v].is_empty() && g.down[v].is_empty() {
                continue;
            }
            let others: Vec<usize> = g.layers[l].iter().copied().filter(|&w| w != v).collect();
            before.clear();
            after.clear();
            let (vu, vd) = &ends[v];
            for &w in &others {
                let (wu, wd) = &ends[w];
                let (a, b) = inversions(wu, vu);
                let (c, d) = inversions(wd, vd);
                // w before v crosses where w's ends lie beyond v's, and the other way round.
                before.push((a + c) as i64);
                after.push((b + d) as i64);
            }
            let band = g.band[v];
            let lo = others
                .iter()
                .position(|&w| g.band[w] == band)
                .unwrap_or_else(|| others.iter().filter(|&&w| g.band[w] < band).count());
            let hi = others
                .iter()
                .rposition(|&w| g.band[w] == band)
                .map_or(lo, |i| i + 1);
            let cur = pos[v];
            let mut cost: i64 = after.iter().sum();
            let (mut best, mut best_cost) = (cur, i64::MAX);
            for p in 0..=others.len() {
                if p >= lo && p <= hi && (cost < best_cost || (cost == best_cost && p == cur)) {
                    best = p;
                    best_cost = cost;
                }
                if p < others.len() {
                    cost += before[p] - after[p];
                }
            }
            if best != cur {
                let mut layer = others;
                layer.insert(best, v);
                for (i, &w) in layer.iter().enumerate() {
                    pos[w] = i;
                }
                g.layers[l] = layer;
            }
        }
    }
}

/// Sorted positions of the neighbours before and after each item of layer
/// `l`. Neighbours sit in other layers, so these hold while `l` changes.
fn ends_of(g: &Proper, pos: &[usize], l: usize, ends: &mut [(Vec<usize>, Vec<usize>)]) {
    for &v in &g.layers[l] {
        let (u, d) = &mut ends[v];
        u.clear();
        u.extend(g.up[v].iter().map(|&(w, _)| pos[w]));
        u.sort_unstable();
        d.clear();
        d.extend(g.down[v].iter().map(|&(w, _)| pos[w]));
        d.sort_unstable();
    }
}

/// Gansner's weighted median of sorted neighbour positions.
fn median(p: &[usize]) -> Option<f64> {
    let n = p.len();
    if n == 0 {
        return None;
    }
    let m = n / 2;
    if n % 2 == 1 {
        return Some(p[m] as f64);
    }
    if n == 2 {
        return Some((p[0] + p[1]) as f64 / 2.0);
    }
    let left = (p[m - 1] - p[0]) as f64;
    let right = (p[n - 1] - p[m]) as f64;
    if left + right == 0.0 {
        return Some((p[m - 1] + p[m]) as f64 / 2.0);
    }
    Some((p[m - 1] as f64 * right + p[m] as f64 * left) / (left + right))
}

/// Re-sorts layer `l` by the median position of each item's neighbours in
/// the layer before (`from_up`) or after. Items without such neighbours
/// keep their place. Old items keep their order; the rest merge in.
fn by_median(g: &mut Proper, pos: &mut [usize], l: usize, from_up: bool, old: &[bool], flip: bool) {
    let layer = &g.layers[l];
    let mut scratch = Vec::new();
    let values: Vec<Option<f64>> = layer
        .iter()
        .map(|&v| {
            let nb = if from_up { &g.up[v] } else { &g.down[v] };
            scratch.clear();
            scratch.extend(nb.iter().map(|&(w, _)| pos[w]));
            scratch.sort_unstable();
            median(&scratch)
        })
        .collect();
    let mut new: Vec<usize> = if layer.iter().any(|&v| old[v]) {
        // Old items in their order, the others sorted; merged by value.
        let value = |i: usize| values[i].unwrap_or(i as f64);
        let kept: Vec<usize> = (0..layer.len()).filter(|&i| old[layer[i]]).collect();
        let mut free: Vec<usize> = (0..layer.len()).filter(|&i| !old[layer[i]]).collect();
        free.sort_by(|&a, &b| {
            let tie = if flip { b.cmp(&a) } else { a.cmp(&b) };
            value(a).total_cmp(&value(b)).then(tie)
        });
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::with_capacity(layer.len());
        while i < kept.len() || j < free.len() {
            let take_kept = j == free.len() || (i < kept.len() && value(kept[i]) <= value(free[j]));
            if take_kept {
                out.push(layer[kept[i]]);
                i += 1;
            } else {
                out.push(layer[free[j]]);
                j += 1;
            }
        }
        out
    } else {
        let mut movable: Vec<(usize, f64, usize)> = layer
            .iter()
            .zip(&values)
            .enumerate()
            .filter_map(|(i, (&v, m))| m.map(|m| (v, m, i)))
            .collect();
        movable.sort_by(|a, b| {
            let tie = if flip { b.2.cmp(&a.2) } else { a.2.cmp(&b.2) };
            a.1.total_cmp(&b.1).then(tie)
        });
        let mut next = movable.into_iter();
        values
            .iter()
            .zip(layer)
            .map(|(m, &v)| match m {
                Some(_) => next.next().expect("as many movable items as slots").0,
                None => v,
            })
            .collect()
    };
    new.sort_by_key(|&v| g.band[v]);
    // Keep the new order only if the layer's arrows on both sides cross no
    // more than before: a hub in the fixed layer would otherwise drag its
    // whole fan together and undo the order the other side needs.
    let around = |g: &Proper, pos: &[usize]| -> u64 {
        let mut c = 0;
        if l + 1 < g.layers.len() {
            c += count_between(g, pos, l);
        }
        if l > 0 {
            c += count_between(g, pos, l - 1);
        }
        c
    };
    let (last, before) = if l + 1 < g.layers.len() || l > 0 {
        (Some(g.layers[l].clone()), around(g, pos))
    } else {
        (None, 0)
    };
    for (i, &v) in new.iter().enumerate() {
        pos[v] = i;
    }
    g.layers[l] = new;
    if let Some(last) = last
        && around(g, pos) > before
    {
        for (i, &v) in last.iter().enumerate() {
            pos[v] = i;
        }
        g.layers[l] = last;
    }
}

/// Pairs (a in `x`, b in `y`) with a > b, and with b > a; both sorted.
fn inversions(x: &[usize], y: &[usize]) -> (u64, u64) {
    let (mut gt, mut lt) = (0u64, 0u64);
    let mut j = 0;
    for &a in x {
        while j < y.len() && y[j] < a {
            j += 1;
        }
        gt += j as u64;
    }
    let mut i = 0;
    for &b in y {
        while i < x.len() && x[i] < b {
            i += 1;
        }
        lt += i as u64;
    }
    (gt, lt)
}

/// Swaps neighbours in a layer while that removes crossings (never two
/// old items).
fn transpose(g: &mut Proper, pos: &mut [usize], old: &[bool], flip: bool) {
    let mut ends = vec![(Vec::new(), Vec::new()); g.len()];
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for l in 0..g.layers.len() {
            ends_of(g, pos, l, &mut ends);
            for i in 0..g.layers[l].len().saturating_sub(1) {
                let (v, w) = (g.layers[l][i], g.layers[l][i + 1]);
                if g.band[v] != g.band[w] || (old[v] && old[w]) {
                    continue;
                }
                let ((vu, vd), (wu, wd)) = (&ends[v], &ends[w]);
                let (gu, lu) = inversions(vu, wu);
                let (gd, ld) = inversions(vd, wd);
                let (keep, swap) = (gu + gd, lu + ld);
                if swap < keep || (flip && swap == keep && keep > 0) {
                    g.layers[l].swap(i, i + 1);
                    pos[v] = i + 1;
                    pos[w] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between layers `l` and `l + 1` (Barth–Jünger–Mutzel: the
/// inversions of the lower ends, with the upper ends in order).
fn count_between(g: &Proper, pos: &[usize], l: usize) -> u64 {
    let size = g.layers[l + 1].len();
    let mut tree = vec![0u64; size + 1];
    let mut total = 0u64;
    let mut seen = 0u64;
    let mut lows = Vec::new();
    for &u in &g.layers[l] {
        lows.clear();
        lows.extend(g.down[u].iter().map(|&(w, _)| pos[w]));
        lows.sort_unstable();
        for &p in &lows {
            // Ends already placed further along cross this one.
            let mut i = p + 1;
            let mut below = 0;
            while i > 0 {
                below += tree[i];
                i &= i - 1;
            }
            total += seen - below;
            let mut i = p + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
            seen += 1;
        }
    }
    total
}

/// Crossings of the whole layered graph for an order.
pub(super) fn count(g: &Proper, pos: &[usize]) -> u64 {
    (0..g.layers.len().saturating_sub(1))
        .map(|l| count_between(g, pos, l))
        .sum()
}

/// Keeps the previous order of old items; new ones go to the mean position
/// of their placed neighbours.
fn seeded(g: &mut Proper, seed: &[Option<f64>]) {
    let fixed: Vec<Option<f64>> = seed.to_vec();
    let mut key = fixed.clone();
    let mean = |nb: &[(usize, usize)], key: &[Option<f64>]| -> Option<f64> {
        let ks: Vec<f64> = nb.iter().filter_map(|&(w, _)| key[w]).collect();
        (!ks.is_empty()).then(|| ks.iter().sum::<f64>() / ks.len() as f64)
    };
    for l in 0..g.layers.len() {
        for &v in &g.layers[l] {
            if fixed[v].is_none() {
                key[v] = mean(&g.up[v], &key);
            }
        }
    }
    for l in (0..g.layers.len()).rev() {
        for &v in &g.layers[l] {
            if fixed[v].is_none() {
                let both: Vec<(usize, usize)> = g.up[v].iter().chain(&g.down[v]).copied().collect();
                key[v] = mean(&both, &key).or(key[v]);
            }
        }
    }
    for layer in &mut g.layers {
        // Items nothing says anything about stay next to the item before them.
        let mut last = f64::NEG_INFINITY;
        let mut keyed: Vec<(usize, usize, f64)> = Vec::with_capacity(layer.len());
        for (i, &v) in layer.iter().enumerate() {
            let k = key[v].unwrap_or(last);
            last = k;
            keyed.push((v, i, k));
        }
        keyed.sort_by(|a, b| {
            g.band[a.0]
                .cmp(&g.band[b.0])
                .then(a.2.total_cmp(&b.2))
                .then(a.1.cmp(&b.1))
        });
        *layer = keyed.into_iter().map(|(v, _, _)| v).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(layers: &[usize], arrows: &[(usize, usize)]) -> Proper {
        let n = layers.len();
        let arrows: Vec<(usize, usize, usize, bool)> = arrows
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| (a, b, i, false))
            .collect();
        Proper::build(layers.to_vec(), vec![5; n], vec![3; n], vec![0; n], &arrows)
    }

    #[test]
    fn an_avoidable_crossing_is_removed() {
        // 0 -> 3, 1 -> 2 cross if 2 comes before 3.
        let mut g = graph(&[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        g.layers = vec![vec![0, 1], vec![2, 3]];
        assert_eq!(count(&g, &g.positions()), 1);
        sweeps(&mut g, &[false; 4]);
        assert_eq!(count(&g, &g.positions()), 0);
    }

    #[test]
    fn counting_matches_a_hand_count() {
        // K(2,2) drawn in any order has exactly one crossing.
        let g = graph(&[0, 0, 1, 1], &[(0, 2), (0, 3), (1, 2), (1, 3)]);
        assert_eq!(count(&g, &g.positions()), 1);
    }

    #[test]
    fn a_seed_keeps_the_old_order() {
        let mut g = graph(&[0, 1, 1, 1], &[(0, 1), (0, 2), (0, 3)]);
        let seed = vec![Some(0.0), Some(30.0), Some(20.0), Some(10.0)];
        order(&mut g, Some(&seed));
        assert_eq!(g.layers[1], vec![3, 2, 1]);
    }
}
