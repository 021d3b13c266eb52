//! A router over the whole grid for the arrows the channels cannot carry:
//! loops on one box and arrows to or from boxes placed by hand. A* over
//! (cell, heading) with a price on bends, on crossing other arrows and,
//! much higher, on running along them; boxes are walls.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A box as the router sees it: x, y, w, h.
pub(super) type Rect = (usize, usize, usize, usize);

const BEND: u32 = 3;
const CROSS: u32 = 3;
const ALONG: u32 = 40;
/// A corner on a cell another arrow already uses reads as a junction.
const CORNER_ON_LINE: u32 = 30;

const STEP: [(i64, i64); 4] = [(1, 0), (0, 1), (-1, 0), (0, -1)];

/// The part of the grid a search may use, inclusive.
struct Window {
    x0: i64,
    y0: i64,
    x1: i64,
    y1: i64,
}

/// The search's open states, taken cheapest first and, among equally
/// cheap ones, lowest state first: a heap of states for each cost, since
/// costs are small whole numbers that mostly grow as the search goes.
#[derive(Default)]
struct Queue {
    by_cost: Vec<BinaryHeap<Reverse<usize>>>,
    /// No state is cheaper than this.
    at: usize,
    len: usize,
}

impl Queue {
    fn push(&mut self, cost: u32, state: usize) {
        let f = cost as usize;
        if f >= self.by_cost.len() {
            self.by_cost.resize_with(f + 1, BinaryHeap::new);
        }
        self.by_cost[f].push(Reverse(state));
        self.at = self.at.min(f);
        self.len += 1;
    }

    fn pop(&mut self) -> Option<(u32, usize)> {
        while self.len > 0 {
            if let Some(Reverse(state)) = self.by_cost[self.at].pop() {
                self.len -= 1;
                return Some((self.at as u32, state));
            }
            self.at += 1;
        }
        None
    }
}

pub(super) struct Maze {
    w: usize,
    h: usize,
    wall: Vec<bool>,
    across: Vec<u8>,
    down: Vec<u8>,
}

impl Maze {
    pub fn new(w: usize, h: usize) -> Maze {
        Maze {
            w,
            h,
            wall: vec![false; w * h],
            across: vec![0; w * h],
            down: vec![0; w * h],
        }
    }

    pub fn wall(&mut self, (x, y, w, h): Rect) {
        for yy in y..(y + h).min(self.h) {
            for xx in x..(x + w).min(self.w) {
                self.wall[yy * self.w + xx] = true;
            }
        }
    }

    /// Records an arrow's cells so later arrows avoid running along it.
    pub fn mark(&mut self, points: &[(usize, usize)]) {
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            if y0 == y1 {
                for x in x0.min(x1)..=x0.max(x1) {
                    if x < self.w && y0 < self.h {
                        let c = &mut self.across[y0 * self.w + x];
                        *c = c.saturating_add(1);
                    }
                }
            } else {
                for y in y0.min(y1)..=y0.max(y1) {
                    if x0 < self.w && y < self.h {
                        let c = &mut self.down[y * self.w + x0];
                        *c = c.saturating_add(1);
                    }
                }
            }
        }
    }

    fn free(&self, x: i64, y: i64, win: &Window) -> Option<usize> {
        if x < win.x0 || y < win.y0 || x > win.x1 || y > win.y1 {
            return None;
        }
        let i = y as usize * self.w + x as usize;
        (!self.wall[i]).then_some(i)
    }

    /// Cells just outside each side of a box (corners left out) with the
    /// heading that leaves the box there.
    fn sides(&self, (x, y, w, h): Rect, win: &Window) -> Vec<(usize, usize)> {
        let (x, y, w, h) = (x as i64, y as i64, w as i64, h as i64);
        let mut out = Vec::new();
        for yy in y + 1..y + h - 1 {
            out.push((x + w, yy, 0));
            out.push((x - 1, yy, 2));
        }
        for xx in x + 1..x + w - 1 {
            out.push((xx, y + h, 1));
            out.push((xx, y - 1, 3));
        }
        out.into_iter()
            .filter_map(|(cx, cy, d)| self.free(cx, cy, win).map(|i| (i, d)))
            .collect()
    }

    /// The cheapest route from just outside `from` to just outside `to`,
    /// leaving `from` straight out and entering `to` straight in; its
    /// corners, or None when the target cannot be reached. The search stays
    /// near the two boxes and widens only when it has to, so a big diagram
    /// costs little more than a small one.
    pub fn route(&self, from: Rect, to: Rect) -> Option<Vec<(usize, usize)>> {
        let mut margin = 6i64;
        loop {
            let x0 = from.0.min(to.0) as i64 - margin;
            let y0 = from.1.min(to.1) as i64 - margin;
            let x1 = (from.0 + from.2).max(to.0 + to.2) as i64 + margin;
            let y1 = (from.1 + from.3).max(to.1 + to.3) as i64 + margin;
            let win = Window {
                x0: x0.max(0),
                y0: y0.max(0),
                x1: x1.min(self.w as i64 - 1),
                y1: y1.min(self.h as i64 - 1),
            };
            if let Some(p) = self.search(from, to, &win) {
                return Some(p);
            }
            let whole = win.x0 == 0
                && win.y0 == 0
                && win.x1 == self.w as i64 - 1
                && win.y1 == self.h as i64 - 1;
            if whole {
                return None;
            }
            margin *= 4;
        }
    }

    fn search(&self, from: Rect, to: Rect, win: &Window) -> Option<Vec<(usize, usize)>> {
        // Bookkeeping over the window only.
        let ww = (win.x1 - win.x0 + 1) as usize;
        let wh = (win.y1 - win.y0 + 1) as usize;
        let local = |i: usize| -> usize {
            let (x, y) = (i % self.w, i / self.w);
            (y - win.y0 as usize) * ww + (x - win.x0 as usize)
        };
        let states = ww * wh * 4;
        let mut dist = vec![u32::MAX; states];
        let mut prev = vec![u32::MAX; states];
        let mut goal = vec![false; states];
        let mut first = vec![false; states];
        for (i, d) in self.sides(to, win) {
            // Arriving heading into the box: the opposite of leaving it.
            goal[local(i) * 4 + (d + 2) % 4] = true;
        }
        let (tx, ty, tw, th) = (to.0 as i64, to.1 as i64, to.2 as i64, to.3 as i64);
        let guess = |i: usize| -> u32 {
            let (x, y) = ((i % self.w) as i64, (i / self.w) as i64);
            let dx = (tx - 1 - x).max(x - (tx + tw)).max(0);
            let dy = (ty - 1 - y).max(y - (ty + th)).max(0);
            (dx + dy) as u32
        };
        let mut heap = Queue::default();
        for (i, d) in self.sides(from, win) {
            let s = local(i) * 4 + d;
            // A route leaves its box straight out: no turning on the first cell.
            first[s] = true;
            let c = self.enter_cost(i, d);
            if c < dist[s] {
                dist[s] = c;
                heap.push(c + guess(i), i * 4 + d);
            }
        }
        while let Some((f, gs)) = heap.pop() {
            let (i, d) = (gs / 4, gs % 4);
            let s = local(i) * 4 + d;
            let here = dist[s];
            if f - guess(i) > here {
                continue;
            }
            // A route of one cell has no direction to draw its head in:
            // boxes one row apart are joined around the side instead.
            if goal[s] && prev[s] != u32::MAX {
                let mut cells = vec![i];
                let mut k = s;
                while prev[k] != u32::MAX {
                    let g = prev[k] as usize;
                    cells.push(g / 4);
                    k = local(g / 4) * 4 + g % 4;
                }
                return Some(self.corners(cells));
            }
            let (x, y) = ((i % self.w) as i64, (i / self.w) as i64);
            for (nd, &(dx, dy)) in STEP.iter().enumerate() {
                if nd == (d + 2) % 4 || (nd != d && first[s]) {
                    continue;
                }
                let Some(ni) = self.free(x + dx, y + dy, win) else {
                    continue;
                };
                let mut c = here + 1 + self.enter_cost(ni, nd);
                if nd != d {
                    c += BEND;
                    if self.across[i] > 0 || self.down[i] > 0 {
                        c += CORNER_ON_LINE;
                    }
                }
                let ns = local(ni) * 4 + nd;
                if c < dist[ns] {
                    dist[ns] = c;
                    prev[ns] = gs as u32;
                    heap.push(c + guess(ni), ni * 4 + nd);
                }
            }
        }
        None
    }

    fn enter_cost(&self, i: usize, d: usize) -> u32 {
        let (same, other) = if d.is_multiple_of(2) {
            (self.across[i], self.down[i])
        } else {
            (self.down[i], self.across[i])
        };
        (if same > 0 { ALONG } else { 0 }) + if other > 0 { CROSS } else { 0 }
    }

    /// Corners of a path given as its cells, last first.
    fn corners(&self, mut cells: Vec<usize>) -> Vec<(usize, usize)> {
        cells.reverse();
        let mut pts: Vec<(i64, i64)> = cells
            .iter()
            .map(|&i| ((i % self.w) as i64, (i / self.w) as i64))
            .collect();
        super::route::simplify(&mut pts);
        pts.into_iter()
            .map(|(x, y)| (x as usize, y as usize))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_takes_states_in_the_order_a_heap_would() {
        let mut q = Queue::default();
        let mut heap = BinaryHeap::new();
        let mut seed = 12345u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..2000 {
            if round % 3 == 2 {
                let got = q.pop();
                let want = heap.pop().map(|Reverse(p)| p);
                assert_eq!(got, want, "round {round}");
            } else {
                let (f, s) = (next(50) as u32, next(40) as usize);
                q.push(f, s);
                heap.push(Reverse((f, s)));
            }
        }
        while let Some(Reverse(want)) = heap.pop() {
            assert_eq!(q.pop(), Some(want));
        }
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn goes_around_a_wall() {
        let mut m = Maze::new(30, 12);
        let a = (0, 4, 5, 4);
        let b = (20, 4, 5, 4);
        m.wall(a);
        m.wall(b);
        m.wall((10, 0, 4, 11));
        let pts = m.route(a, b).expect("a way round");
        let next_to = |r: Rect, p: (usize, usize)| {
            let (x, y) = (p.0 as i64, p.1 as i64);
            let (rx, ry, rw, rh) = (r.0 as i64, r.1 as i64, r.2 as i64, r.3 as i64);
            ((x == rx - 1 || x == rx + rw) && y > ry && y < ry + rh - 1)
                || ((y == ry - 1 || y == ry + rh) && x > rx && x < rx + rw - 1)
        };
        assert!(next_to(a, pts[0]), "{pts:?}");
        assert!(next_to(b, pts[pts.len() - 1]), "{pts:?}");
        // Only the bottom row is free past the wall.
        assert!(pts.iter().any(|p| p.1 == 11), "{pts:?}");
    }

    #[test]
    fn a_loop_leaves_and_comes_back() {
        let mut m = Maze::new(20, 10);
        let a = (5, 3, 6, 4);
        m.wall(a);
        let pts = m.route(a, a).expect("a loop");
        assert!(pts.len() >= 3, "{pts:?}");
        assert_ne!(pts.first(), pts.last());
    }

    #[test]
    fn boxes_one_row_apart_get_a_route_with_a_direction() {
        let mut m = Maze::new(60, 14);
        let a = (17, 0, 14, 4);
        let b = (28, 5, 22, 5);
        m.wall(a);
        m.wall(b);
        let pts = m.route(a, b).expect("a way round");
        assert!(pts.len() >= 2, "{pts:?}");
        assert_ne!(pts.first(), pts.last());
    }
}
