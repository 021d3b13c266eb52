//! Network simplex for layering (Gansner, Koutsofios, North, Vo): the
//! ranks with the least total arrow length, every arrow pointing forward by
//! at least one layer. Shorter arrows mean fewer dummies and fewer
//! crossings later.
//!
//! A cut value here is the sum over a subtree of (outgoing − incoming)
//! arrows at each node: arrows inside the subtree cancel, so that sum is
//! what crosses the cut, and every cut value comes from one postorder pass.

/// Improves feasible `rank`s in place (`rank[v] - rank[u] >= 1` for every
/// edge). Stops after `max_pivots` exchanges per connected component.
pub(super) fn refine(n: usize, edges: &[(usize, usize)], rank: &mut [i64], max_pivots: usize) {
    let mut inc: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, &(u, v)) in edges.iter().enumerate() {
        inc[u].push(e);
        inc[v].push(e);
    }
    let mut seen = vec![false; n];
    let mut st = State {
        edges,
        inc: &inc,
        tree: vec![false; edges.len()],
        in_tree: vec![false; n],
        parent: vec![usize::MAX; n],
        lim: vec![0; n],
        low: vec![0; n],
        bal: (0..n)
            .map(|v| {
                inc[v]
                    .iter()
                    .map(|&e| if edges[e].0 == v { 1 } else { -1 })
                    .sum()
            })
            .collect(),
        sum: vec![0; n],
    };
    for start in 0..n {
        if seen[start] {
            continue;
        }
        // The connected component of `start`, ignoring direction.
        let mut comp = vec![start];
        seen[start] = true;
        let mut i = 0;
        while i < comp.len() {
            let x = comp[i];
            i += 1;
            for &e in &inc[x] {
                let (u, v) = edges[e];
                let o = if u == x { v } else { u };
                if !seen[o] {
                    seen[o] = true;
                    comp.push(o);
                }
            }
        }
        if comp.len() < 2 {
            continue;
        }
        let mut comp_edges: Vec<usize> =
            comp.iter().flat_map(|&x| inc[x].iter().copied()).collect();
        comp_edges.sort_unstable();
        comp_edges.dedup();
        st.solve(&comp, &comp_edges, rank, max_pivots);
    }
}

struct State<'a> {
    edges: &'a [(usize, usize)],
    inc: &'a [Vec<usize>],
    tree: Vec<bool>,
    in_tree: Vec<bool>,
    /// The tree edge to each node's parent (MAX at the root).
    parent: Vec<usize>,
    /// Postorder number, and the smallest one in the node's subtree.
    lim: Vec<usize>,
    low: Vec<usize>,
    /// Outgoing minus incoming arrows at each node.
    bal: Vec<i64>,
    /// `bal` summed over each node's subtree.
    sum: Vec<i64>,
}

impl State<'_> {
    fn slack(&self, rank: &[i64], e: usize) -> i64 {
        let (u, v) = self.edges[e];
        rank[v] - rank[u] - 1
    }

    fn solve(&mut self, comp: &[usize], comp_edges: &[usize], rank: &mut [i64], max_pivots: usize) {
        self.tight_tree(comp, comp_edges, rank);
        let mut start = 0;
        for _ in 0..max_pivots {
            self.number(comp[0]);
            // The first tree edge with a negative cut value, searching on
            // from where the last search stopped so pivots do not cycle.
            let m = comp_edges.len();
            let Some(k) = (0..m).map(|k| (start + k) % m).find(|&k| {
                let f = comp_edges[k];
                self.tree[f] && self.cut(f) < 0
            }) else {
                break;
            };
            start = (k + 1) % m;
            let f = comp_edges[k];
            let (tail, head) = self.edges[f];
            let c = if self.parent[tail] == f { tail } else { head };
            let inside = |x: usize, s: &Self| s.low[c] <= s.lim[x] && s.lim[x] <= s.lim[c];
            // An arrow across the cut the other way, with the least slack.
            let from_inside = c == head;
            let mut best: Option<(i64, usize)> = None;
            for &e in comp_edges {
                if self.tree[e] {
                    continue;
                }
                let (u, v) = self.edges[e];
                let (iu, iv) = (inside(u, self), inside(v, self));
                let crosses = if from_inside { iu && !iv } else { !iu && iv };
                if crosses {
                    let s = self.slack(rank, e);
                    if best.is_none_or(|b| s < b.0) {
                        best = Some((s, e));
                    }
                }
            }
            let Some((s, e)) = best else { break };
            let delta = if from_inside { s } else { -s };
            for &x in comp {
                if inside(x, self) {
                    rank[x] += delta;
                }
            }
            self.tree[f] = false;
            self.tree[e] = true;
        }
        let min = comp.iter().map(|&x| rank[x]).min().unwrap_or(0);
        for &x in comp {
            rank[x] -= min;
        }
    }

    /// Cut value of tree edge `f`: arrows from its tail's side to its
    /// head's side, minus the other way.
    fn cut(&self, f: usize) -> i64 {
        let (tail, _) = self.edges[f];
        if self.parent[tail] == f {
            self.sum[tail]
        } else {
            -self.sum[self.edges[f].1]
        }
    }

    /// A spanning tree of tight arrows (slack 0), shifting the tree's ranks
    /// to make the nearest outside arrow tight whenever it stops growing.
    fn tight_tree(&mut self, comp: &[usize], comp_edges: &[usize], rank: &mut [i64]) {
        let mut count = 1;
        self.in_tree[comp[0]] = true;
        let mut stack = vec![comp[0]];
        loop {
            while let Some(x) = stack.pop() {
                for &e in &self.inc[x] {
                    let (u, v) = self.edges[e];
                    let o = if u == x { v } else { u };
                    if !self.in_tree[o] && self.slack(rank, e) == 0 {
                        self.in_tree[o] = true;
                        self.tree[e] = true;
                        count += 1;
                        stack.push(o);
                    }
                }
            }
            if count == comp.len() {
                break;
            }
            let mut best: Option<(i64, usize)> = None;
            for &e in comp_edges {
                let (u, v) = self.edges[e];
                if self.in_tree[u] != self.in_tree[v] {
                    let s = self.slack(rank, e);
                    if best.is_none_or(|b| s < b.0) {
                        best = Some((s, e));
                    }
                }
            }
            let (s, e) = best.expect("a connected component has an arrow leaving the tree");
            let delta = if self.in_tree[self.edges[e].0] { s } else { -s };
            for &x in comp {
                if self.in_tree[x] {
                    rank[x] += delta;
                    stack.push(x);
                }
            }
        }
    }

    /// Parents, postorder numbers and subtree sums of the current tree.
    fn number(&mut self, root: usize) {
        let mut next = 1;
        self.parent[root] = usize::MAX;
        // (node, index of the next incident edge to look at)
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        self.low[root] = next;
        while let Some(&mut (x, ref mut i)) = stack.last_mut() {
            if *i < self.inc[x].len() {
                let e = self.inc[x][*i];
                *i += 1;
                if !self.tree[e] || e == self.parent[x] {
                    continue;
                }
                let (u, v) = self.edges[e];
                let o = if u == x { v } else { u };
                self.parent[o] = e;
                self.low[o] = next;
                stack.push((o, 0));
            } else {
                stack.pop();
                self.lim[x] = next;
                next += 1;
                let mut s = self.bal[x];
                for &e in &self.inc[x] {
                    if self.tree[e] && e != self.parent[x] {
                        let (u, v) = self.edges[e];
                        s += self.sum[if u == x { v } else { u }];
                    }
                }
                self.sum[x] = s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(edges: &[(usize, usize)], rank: &[i64]) -> i64 {
        edges.iter().map(|&(u, v)| rank[v] - rank[u]).sum()
    }

    #[test]
    fn pulls_a_chain_next_to_its_target() {
        // s -> a -> b -> t, and r -> q -> t: longest path puts r at rank 0,
        // two ranks too early.
        let edges = [(0, 1), (1, 2), (2, 3), (4, 5), (5, 3)];
        let mut rank = vec![0, 1, 2, 3, 0, 1];
        refine(6, &edges, &mut rank, 100);
        for &(u, v) in &edges {
            assert!(rank[v] > rank[u]);
        }
        assert_eq!(length(&edges, &rank), 5);
        assert_eq!(rank[4], 1);
    }

    #[test]
    fn keeps_ranks_feasible_and_no_longer() {
        let edges = [
            (0, 1),
            (0, 2),
            (1, 3),
            (2, 3),
            (3, 4),
            (0, 4),
            (5, 4),
            (6, 5),
        ];
        let mut rank = vec![0, 1, 1, 2, 3, 0, 0];
        let before = length(&edges, &{
            let mut r = rank.clone();
            r[5] = 2;
            r[6] = 1;
            r
        });
        rank[5] = 2;
        rank[6] = 1;
        refine(7, &edges, &mut rank, 100);
        for &(u, v) in &edges {
            assert!(rank[v] > rank[u], "{rank:?}");
        }
        assert!(length(&edges, &rank) <= before);
    }
}
