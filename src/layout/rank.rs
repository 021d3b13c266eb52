//! Cycle removal (which arrows are turned around for the layering) and
//! layering (which layer each box sits in).

use std::collections::VecDeque;

/// For each edge, whether it has to be turned around so the graph has no
/// cycles: depth-first from each node in the sketch's order, an arrow back
/// to a node on the current path turns around. The order of the template
/// then decides which way a loop reads, which is usually the way it flows.
pub(super) fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut outs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &(u, v)) in edges.iter().enumerate() {
        if u != v {
            outs[u].push((v, e));
        }
    }
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (x, ref mut i)) = stack.last_mut() {
            if *i < outs[x].len() {
                let (y, e) = outs[x][*i];
                *i += 1;
                match state[y] {
                    0 => {
                        state[y] = 1;
                        stack.push((y, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[x] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Nodes in an order where every edge points forward (edges must be acyclic).
fn topological(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut outs = vec![Vec::new(); n];
    for &(u, v) in edges {
        outs[u].push(v);
        indeg[v] += 1;
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in &outs[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    debug_assert_eq!(order.len(), n, "layering needs an acyclic graph");
    order
}

/// Layers for an acyclic graph: longest path from the sources, then each
/// node moves within the room its neighbours leave towards the side with
/// more arrows (cheap, and a good start), then network simplex for the
/// least total arrow length. Empty layers are squeezed out.
pub(super) fn layers(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let order = topological(n, edges);
    let mut preds = vec![Vec::new(); n];
    let mut succs = vec![Vec::new(); n];
    for &(u, v) in edges {
        preds[v].push(u);
        succs[u].push(v);
    }
    let mut layer = vec![0usize; n];
    for &v in &order {
        layer[v] = preds[v].iter().map(|&p| layer[p] + 1).max().unwrap_or(0);
    }
    // Every move strictly shortens the arrows in total, so this ends; the
    // cap only bounds the work on pathological graphs.
    for _ in 0..16 {
        let mut changed = false;
        for &v in order.iter().rev() {
            let (ins, outs) = (preds[v].len(), succs[v].len());
            let lo = preds[v].iter().map(|&p| layer[p] + 1).max().unwrap_or(0);
            let hi = succs[v].iter().map(|&s| layer[s] - 1).min();
            let target = match hi {
                Some(hi) if outs > ins => hi,
                _ if ins > outs => lo,
                _ => layer[v],
            };
            let target = target.max(lo).min(hi.unwrap_or(usize::MAX));
            if target != layer[v] {
                layer[v] = target;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut rank: Vec<i64> = layer.iter().map(|&l| l as i64).collect();
    super::simplex::refine(n, edges, &mut rank, 4 * n + 100);
    let mut layer: Vec<usize> = rank.into_iter().map(|r| r as usize).collect();
    squeeze(&mut layer);
    layer
}

/// Renumbers layers 0.. without gaps, keeping their order.
fn squeeze(layer: &mut [usize]) {
    let mut used: Vec<usize> = layer.to_vec();
    used.sort_unstable();
    used.dedup();
    for l in layer.iter_mut() {
        *l = used.binary_search(l).expect("a used layer");
    }
}

/// Caps how much each layer holds (`size` per node plus `gap` between
/// nodes, against `cap`) by pushing nodes down into later layers, keeping
/// every edge pointing forward. This is how a top-down diagram folds to a
/// width.
pub(super) fn bound(
    layer: &mut [usize],
    edges: &[(usize, usize)],
    size: &[usize],
    gap: usize,
    cap: usize,
) {
    let n = layer.len();
    let mut preds = vec![Vec::new(); n];
    for &(u, v) in edges {
        preds[v].push(u);
    }
    let mut nodes: Vec<usize> = (0..n).collect();
    nodes.sort_by_key(|&v| (layer[v], v));
    let mut usage: Vec<usize> = Vec::new();
    let mut new = vec![0usize; n];
    for v in nodes {
        let mut l = preds[v]
            .iter()
            .map(|&p| new[p] + 1)
            .max()
            .unwrap_or(0)
            .max(layer[v]);
        loop {
            if usage.len() <= l {
                usage.resize(l + 1, 0);
            }
            if usage[l] == 0 || usage[l] + gap + size[v] <= cap {
                break;
            }
            l += 1;
        }
        usage[l] += if usage[l] == 0 { 0 } else { gap } + size[v];
        new[v] = l;
    }
    layer.copy_from_slice(&new);
    squeeze(layer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_broken_and_layers_point_forward() {
        // a -> b -> c -> a, c -> d
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3)];
        let rev = break_cycles(4, &edges);
        assert_eq!(rev.iter().filter(|&&r| r).count(), 1);
        let dag: Vec<(usize, usize)> = edges
            .iter()
            .zip(&rev)
            .map(|(&(u, v), &r)| if r { (v, u) } else { (u, v) })
            .collect();
        let l = layers(4, &dag);
        for &(u, v) in &dag {
            assert!(l[u] < l[v], "{u}->{v} in {l:?}");
        }
    }

    #[test]
    fn sources_move_next_to_their_targets() {
        // a -> b -> c -> d, and e -> d: e belongs next to d, not in layer 0.
        let edges = [(0, 1), (1, 2), (2, 3), (4, 3)];
        let l = layers(5, &edges);
        assert_eq!(l[4] + 1, l[3]);
    }

    #[test]
    fn bounded_layers_respect_the_cap() {
        let edges = [(0, 1), (0, 2), (0, 3), (0, 4)];
        let mut l = layers(5, &edges);
        bound(&mut l, &edges, &[10; 5], 2, 22);
        for layer in 0..5 {
            assert!(l.iter().filter(|&&x| x == layer).count() <= 2);
        }
        for &(u, v) in &edges {
            assert!(l[u] < l[v]);
        }
    }
}
