//! Figures of merit for a layout: crossings, bends, total arrow length and
//! area. Tests and benchmarks compare layouts by them.

use super::{Layout, Quality};

/// A straight piece of a route: fixed coordinate, then the span along it.
struct Piece {
    at: usize,
    from: usize,
    to: usize,
}

pub(super) fn measure(layout: &Layout) -> Quality {
    let mut across = Vec::new();
    let mut down = Vec::new();
    let mut q = Quality {
        area: layout.width * layout.height,
        ..Quality::default()
    };
    for r in &layout.edges {
        q.bends += r.points.len().saturating_sub(2);
        for w in r.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            q.length += x0.abs_diff(x1) + y0.abs_diff(y1);
            if (x0, y0) == (x1, y1) {
                continue;
            }
            if y0 == y1 {
                across.push(Piece {
                    at: y0,
                    from: x0.min(x1),
                    to: x0.max(x1),
                });
            } else {
                down.push(Piece {
                    at: x0,
                    from: y0.min(y1),
                    to: y0.max(y1),
                });
            }
        }
    }
    q.crossings = crossings(&across, &down);
    q
}

/// Pairs of a horizontal and a vertical piece that cross inside both (a
/// piece ending on another is a junction, not a crossing). Sweep along x
/// with a Fenwick tree over the rows of the open horizontal pieces.
fn crossings(across: &[Piece], down: &[Piece]) -> usize {
    // (x, kind, index): at one x, pieces ending there leave first, then
    // verticals are counted, then pieces starting there join.
    let mut events: Vec<(usize, u8, usize)> = Vec::with_capacity(across.len() * 2 + down.len());
    for (i, p) in across.iter().enumerate() {
        events.push((p.from, 2, i));
        events.push((p.to, 0, i));
    }
    for (i, p) in down.iter().enumerate() {
        events.push((p.at, 1, i));
    }
    events.sort_unstable();
    let rows = across.iter().map(|p| p.at + 2).max().unwrap_or(1);
    let mut tree = vec![0i64; rows + 1];
    let add = |tree: &mut Vec<i64>, row: usize, d: i64| {
        let mut i = row + 1;
        while i < tree.len() {
            tree[i] += d;
            i += i & i.wrapping_neg();
        }
    };
    let upto = |tree: &Vec<i64>, row: usize| -> i64 {
        let mut i = (row + 1).min(tree.len() - 1);
        let mut s = 0;
        while i > 0 {
            s += tree[i];
            i &= i - 1;
        }
        s
    };
    let mut total = 0i64;
    for (_, kind, i) in events {
        match kind {
            0 => add(&mut tree, across[i].at, -1),
            2 => add(&mut tree, across[i].at, 1),
            _ => {
                let p = &down[i];
                if p.to > p.from + 1 {
                    total += upto(&tree, p.to - 1) - upto(&tree, p.from);
                }
            }
        }
    }
    total as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Route;
    use crate::model::ConnectionKind;

    fn route(points: &[(usize, usize)]) -> Route {
        Route {
            from: "a".into(),
            to: "b".into(),
            kind: ConnectionKind::Ref,
            label: None,
            points: points.to_vec(),
        }
    }

    #[test]
    fn counts_a_plus_and_not_a_tee() {
        let mut l = Layout {
            width: 10,
            height: 10,
            ..Layout::default()
        };
        l.edges.push(route(&[(0, 5), (9, 5)]));
        l.edges.push(route(&[(4, 0), (4, 9)]));
        // Ends on the first route: a junction.
        l.edges.push(route(&[(7, 0), (7, 5)]));
        let q = measure(&l);
        assert_eq!(q.crossings, 1);
        assert_eq!(q.bends, 0);
        assert_eq!(q.length, 9 + 9 + 5);
        assert_eq!(q.area, 100);
    }
}
