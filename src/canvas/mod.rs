//! The picture: a layout drawn into a grid of characters. Every cell says
//! what it is (a box border, a name, an arrow of some kind, ...), so the
//! terminal UI can colour it; `render` prints the same grid as text.
//! Unicode box drawing by default, plain ASCII on request. Nothing here
//! knows about terminals or file formats.

use std::collections::HashMap;

use crate::catalog::Category;
use crate::layout::text::{self, Part};
use crate::layout::{Layout, label_text};
use crate::model::{ConnectionKind, View};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CanvasOptions {
    /// Plain ASCII instead of Unicode box drawing and glyphs.
    pub ascii: bool,
    /// Boxes were laid out compact (one line each).
    pub compact: bool,
}

/// What a cell shows, for colouring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    #[default]
    Empty,
    BoxBorder(Category),
    Glyph(Category),
    Name,
    /// Kind, multiplicity and what a box hides.
    Detail,
    Edge(ConnectionKind),
    Arrow(ConnectionKind),
    EdgeLabel(ConnectionKind),
    Frame,
    FrameLabel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub ch: char,
    pub role: Role,
}

const BLANK: Cell = Cell {
    ch: ' ',
    role: Role::Empty,
};

/// Cells, row by row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    pub width: usize,
    pub height: usize,
    cells: Vec<Cell>,
}

impl Grid {
    pub fn new(width: usize, height: usize) -> Grid {
        Grid {
            width,
            height,
            cells: vec![BLANK; width * height],
        }
    }

    /// The cell at (x, y); a blank one outside the grid.
    pub fn cell(&self, x: usize, y: usize) -> &Cell {
        if x < self.width && y < self.height {
            &self.cells[y * self.width + x]
        } else {
            &BLANK
        }
    }

    fn set(&mut self, x: usize, y: usize, ch: char, role: Role) {
        if x < self.width && y < self.height {
            self.cells[y * self.width + x] = Cell { ch, role };
        }
    }

    /// One row, all `width` characters.
    pub fn row_text(&self, y: usize) -> String {
        (0..self.width).map(|x| self.cell(x, y).ch).collect()
    }

    /// The whole grid, one line per row, trailing spaces trimmed.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity((self.width + 1) * self.height);
        for y in 0..self.height {
            s.push_str(self.row_text(y).trim_end());
            s.push('\n');
        }
        s
    }
}

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

struct Chars {
    box_corners: [char; 4],
    box_across: char,
    box_down: char,
    /// Where an arrow leaves a box: on its right, left, bottom, top side.
    tees: [char; 4],
    frame_corners: [char; 4],
    frame_across: char,
    frame_down: char,
    /// Arrowheads pointing right, left, down, up.
    heads: [char; 4],
    ascii: bool,
}

const UNICODE: Chars = Chars {
    box_corners: ['┌', '┐', '└', '┘'],
    box_across: '─',
    box_down: '│',
    tees: ['├', '┤', '┬', '┴'],
    frame_corners: ['╭', '╮', '╰', '╯'],
    frame_across: '┄',
    frame_down: '┆',
    heads: ['▶', '◀', '▼', '▲'],
    ascii: false,
};

const ASCII: Chars = Chars {
    box_corners: ['+', '+', '+', '+'],
    box_across: '-',
    box_down: '|',
    tees: ['+', '+', '+', '+'],
    frame_corners: ['.', '.', '\'', '\''],
    frame_across: '.',
    frame_down: ':',
    heads: ['>', '<', 'v', '^'],
    ascii: true,
};

/// How an arrow's line is drawn, so that kinds are told apart by more than
/// their colour: what sets something off (trigger, route, invoke,
/// subscribe) heavy; data flowing (read, write, publish) light; what only
/// watches or refers (log, auth, ref) dotted; a connection the code does not
/// hold yet dashed; one inferred (a call the handler code makes that the
/// template does not declare, or a join matched by a guess) heavy dashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stroke {
    Heavy,
    Light,
    Dotted,
    Dashed,
    Inferred,
}

impl Stroke {
    pub fn of(kind: ConnectionKind, unwritten: bool) -> Stroke {
        use ConnectionKind::*;
        if unwritten {
            return Stroke::Dashed;
        }
        match kind {
            Trigger | Route | Invoke | Subscribe => Stroke::Heavy,
            Log | Auth | Ref => Stroke::Dotted,
            _ => Stroke::Light,
        }
    }

    /// The straight pieces: across, down.
    pub fn chars(self, ascii: bool) -> (char, char) {
        match (self, ascii) {
            (Stroke::Light, false) => ('─', '│'),
            (Stroke::Heavy, false) => ('━', '┃'),
            (Stroke::Dotted, false) => ('┈', '┊'),
            (Stroke::Dashed, false) => ('╌', '╎'),
            (Stroke::Light, true) => ('-', '|'),
            (Stroke::Heavy, true) => ('=', '|'),
            (Stroke::Dotted, true) => ('.', ':'),
            (Stroke::Dashed, true) => ('~', '!'),
            (Stroke::Inferred, false) => ('┅', '┇'),
            (Stroke::Inferred, true) => ('*', '*'),
        }
    }
}

impl Chars {
    fn line(&self, mask: u8) -> char {
        let across = mask & (LEFT | RIGHT) != 0;
        let down = mask & (UP | DOWN) != 0;
        if self.ascii {
            return match (across, down) {
                (true, true) => '+',
                (true, false) => '-',
                _ => '|',
            };
        }
        match mask {
            m if m == UP | DOWN || m == UP || m == DOWN => '│',
            m if m == LEFT | RIGHT || m == LEFT || m == RIGHT => '─',
            m if m == DOWN | RIGHT => '┌',
            m if m == DOWN | LEFT => '┐',
            m if m == UP | RIGHT => '└',
            m if m == UP | LEFT => '┘',
            m if m == UP | DOWN | RIGHT => '├',
            m if m == UP | DOWN | LEFT => '┤',
            m if m == LEFT | RIGHT | DOWN => '┬',
            m if m == LEFT | RIGHT | UP => '┴',
            _ => '┼',
        }
    }
}

/// The direction bit pointing from `a` to the neighbouring cell `b`.
fn towards(a: (usize, usize), b: (usize, usize)) -> u8 {
    if b.0 > a.0 {
        RIGHT
    } else if b.0 < a.0 {
        LEFT
    } else if b.1 > a.1 {
        DOWN
    } else {
        UP
    }
}

fn step(p: (usize, usize), dir: u8) -> Option<(usize, usize)> {
    match dir {
        RIGHT => Some((p.0 + 1, p.1)),
        LEFT => p.0.checked_sub(1).map(|x| (x, p.1)),
        DOWN => Some((p.0, p.1 + 1)),
        _ => p.1.checked_sub(1).map(|y| (p.0, y)),
    }
}

fn opposite(dir: u8) -> u8 {
    match dir {
        RIGHT => LEFT,
        LEFT => RIGHT,
        DOWN => UP,
        _ => DOWN,
    }
}

/// Cells of a straight piece from `a` to `b`, both included.
fn cells_between(a: (usize, usize), b: (usize, usize)) -> Vec<(usize, usize)> {
    if a.1 == b.1 {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        (x0..=x1).map(|x| (x, a.1)).collect()
    } else {
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        (y0..=y1).map(|y| (a.0, y)).collect()
    }
}

/// Draws a view laid out by `layout`.
pub fn draw(view: &View, layout: &Layout, opts: &CanvasOptions) -> Grid {
    let ch = if opts.ascii { &ASCII } else { &UNICODE };
    let mut grid = Grid::new(layout.width, layout.height);
    let nodes: HashMap<&str, &crate::model::ViewNode> =
        view.nodes.iter().map(|n| (n.id.as_str(), n)).collect();

    for f in &layout.frames {
        draw_frame(&mut grid, ch, f);
    }
    for b in &layout.boxes {
        let Some(node) = nodes.get(b.id.as_str()) else {
            continue;
        };
        let cat = node.kind.category();
        let role = Role::BoxBorder(cat);
        let (x1, y1) = (b.x + b.w - 1, b.y + b.h - 1);
        for x in b.x + 1..x1 {
            grid.set(x, b.y, ch.box_across, role);
            grid.set(x, y1, ch.box_across, role);
        }
        for y in b.y + 1..y1 {
            grid.set(b.x, y, ch.box_down, role);
            grid.set(x1, y, ch.box_down, role);
            for x in b.x + 1..x1 {
                grid.set(x, y, ' ', Role::Empty);
            }
        }
        grid.set(b.x, b.y, ch.box_corners[0], role);
        grid.set(x1, b.y, ch.box_corners[1], role);
        grid.set(b.x, y1, ch.box_corners[2], role);
        grid.set(x1, y1, ch.box_corners[3], role);
        let content = text::text_of(node, opts.ascii, opts.compact);
        for (i, line) in content.lines.iter().enumerate() {
            let y = b.y + 1 + i;
            if y >= y1 {
                break;
            }
            let mut x = b.x + 2;
            for (t, part) in &line.spans {
                let role = match part {
                    Part::Glyph => Role::Glyph(cat),
                    Part::Name => Role::Name,
                    Part::Kind | Part::Multiplicity | Part::Hidden => Role::Detail,
                };
                for c in t.chars() {
                    if x < x1 {
                        grid.set(x, y, c, if c == ' ' { Role::Empty } else { role });
                    }
                    x += 1;
                }
            }
        }
    }

    // Lines: each cell gathers which ways lines leave it, from every route.
    let mut mask = vec![0u8; grid.width * grid.height];
    let mut owners = vec![0u16; grid.width * grid.height];
    let mut stamp = vec![u32::MAX; grid.width * grid.height];
    let mut kind_at: Vec<Option<ConnectionKind>> = vec![None; grid.width * grid.height];
    let mut stroke_at: Vec<Option<Stroke>> = vec![None; grid.width * grid.height];
    let unwritten: std::collections::HashSet<(&str, &str, ConnectionKind)> = view
        .edges
        .iter()
        .filter(|e| e.unwritten)
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    let inferred: std::collections::HashSet<(&str, &str, ConnectionKind)> = view
        .edges
        .iter()
        .filter(|e| e.inferred)
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    let (gw, gh) = (grid.width, grid.height);
    let idx = |p: (usize, usize)| p.1 * gw + p.0;
    let inside = |p: (usize, usize)| p.0 < gw && p.1 < gh;
    // The cells some line passes through: only these are drawn below.
    let mut lined: Vec<usize> = Vec::new();
    for (r, route) in layout.edges.iter().enumerate() {
        let r = r as u32;
        let pts = &route.points;
        if pts.len() < 2 || !pts.iter().all(|&p| inside(p)) {
            continue;
        }
        let key = (route.from.as_str(), route.to.as_str(), route.kind);
        let stroke = if inferred.contains(&key) && !unwritten.contains(&key) {
            Stroke::Inferred
        } else {
            Stroke::of(route.kind, unwritten.contains(&key))
        };
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            for c in cells_between(a, b) {
                let i = idx(c);
                if c != b {
                    mask[i] |= towards(c, b);
                }
                if c != a {
                    mask[i] |= towards(c, a);
                }
                if stamp[i] != r {
                    stamp[i] = r;
                    owners[i] = owners[i].saturating_add(1);
                }
                if kind_at[i].is_none() {
                    lined.push(i);
                }
                kind_at[i] = Some(route.kind);
                stroke_at[i] = Some(stroke);
            }
        }
        // The line starts at the source's border.
        let out = towards(pts[0], pts[1]);
        mask[idx(pts[0])] |= opposite(out);
    }
    // Each cell is drawn once, from what every route left in it, so the
    // order does not matter.
    for i in lined {
        let (x, y) = (i % gw, i / gw);
        let Some(kind) = kind_at[i] else { continue };
        if matches!(
            grid.cell(x, y).role,
            Role::BoxBorder(_) | Role::Name | Role::Glyph(_)
        ) {
            continue;
        }
        // A straight piece of one arrow shows its stroke; corners,
        // joins and crossings keep the plain glyphs that read as such.
        let (across, down) = stroke_at[i].unwrap_or(Stroke::Light).chars(ch.ascii);
        let heavy = owners[i] == 1 && stroke_at[i] == Some(Stroke::Heavy) && !ch.ascii;
        let c = match mask[i] {
            m if owners[i] == 1 && (m == LEFT | RIGHT || m == LEFT || m == RIGHT) => across,
            m if owners[i] == 1 && (m == UP | DOWN || m == UP || m == DOWN) => down,
            m if heavy && m == DOWN | RIGHT => '┏',
            m if heavy && m == DOWN | LEFT => '┓',
            m if heavy && m == UP | RIGHT => '┗',
            m if heavy && m == UP | LEFT => '┛',
            m => ch.line(m),
        };
        grid.set(x, y, c, Role::Edge(kind));
    }
    for route in &layout.edges {
        let pts = &route.points;
        if pts.len() < 2 || !pts.iter().all(|&p| inside(p)) {
            continue;
        }
        let out = towards(pts[0], pts[1]);
        if let Some(border) = step(pts[0], opposite(out))
            && let Role::BoxBorder(cat) = grid.cell(border.0, border.1).role
        {
            let c = grid.cell(border.0, border.1).ch;
            let side = match out {
                RIGHT => 0,
                LEFT => 1,
                DOWN => 2,
                _ => 3,
            };
            if c == ch.box_down || c == ch.box_across {
                grid.set(border.0, border.1, ch.tees[side], Role::BoxBorder(cat));
            }
        }
        let n = pts.len();
        let head = match towards(pts[n - 2], pts[n - 1]) {
            RIGHT => ch.heads[0],
            LEFT => ch.heads[1],
            DOWN => ch.heads[2],
            _ => ch.heads[3],
        };
        let last = pts[n - 1];
        grid.set(last.0, last.1, head, Role::Arrow(route.kind));
    }
    for f in &layout.frames {
        label_frame(&mut grid, f);
    }
    for route in &layout.edges {
        let pts = &route.points;
        if pts.len() < 2 || !pts.iter().all(|&p| inside(p)) {
            continue;
        }
        let text = label_text(route.kind, route.label.as_deref());
        place_label(&mut grid, &mask, &owners, pts, &text, route.kind);
    }
    grid
}

fn draw_frame(grid: &mut Grid, ch: &Chars, f: &crate::layout::Frame) {
    if f.w < 2 || f.h < 2 {
        return;
    }
    let (x1, y1) = (f.x + f.w - 1, f.y + f.h - 1);
    for x in f.x + 1..x1 {
        grid.set(x, f.y, ch.frame_across, Role::Frame);
        grid.set(x, y1, ch.frame_across, Role::Frame);
    }
    for y in f.y + 1..y1 {
        grid.set(f.x, y, ch.frame_down, Role::Frame);
        grid.set(x1, y, ch.frame_down, Role::Frame);
    }
    grid.set(f.x, f.y, ch.frame_corners[0], Role::Frame);
    grid.set(x1, f.y, ch.frame_corners[1], Role::Frame);
    grid.set(f.x, y1, ch.frame_corners[2], Role::Frame);
    grid.set(x1, y1, ch.frame_corners[3], Role::Frame);
}

/// A frame's label on its top border, where no arrow crosses it; shortened
/// to the longest stretch of border that is left if need be.
fn label_frame(grid: &mut Grid, f: &crate::layout::Frame) {
    if f.w < 8 {
        return;
    }
    let text = format!(" {} ", text::cells(&f.label));
    let free: Vec<usize> = (f.x + 2..f.x + f.w - 2)
        .filter(|&x| grid.cell(x, f.y).role == Role::Frame)
        .collect();
    let len = text.chars().count();
    let at = free
        .windows(len)
        .find(|w| w[len - 1] == w[0] + len - 1)
        .map(|w| (w[0], len));
    let (x, n) = at.unwrap_or_else(|| longest_run(&free));
    if n < 4 {
        return;
    }
    let shown: String = if n >= len {
        text
    } else {
        let mut t: String = text.chars().take(n - 2).collect();
        t.push('…');
        t.push(' ');
        t
    };
    for (i, c) in shown.chars().enumerate() {
        grid.set(x + i, f.y, c, Role::FrameLabel);
    }
}

/// Writes an arrow's label where there is room: over a straight stretch of
/// its own line (the last one first), or beside the line where it arrives
/// from above or below. Labels never cover other arrows or boxes.
fn place_label(
    grid: &mut Grid,
    mask: &[u8],
    owners: &[u16],
    pts: &[(usize, usize)],
    text: &str,
    kind: ConnectionKind,
) {
    let len = text.chars().count();
    let w = grid.width;
    let own_line = |x: usize, y: usize| owners[y * w + x] == 1 && mask[y * w + x] == LEFT | RIGHT;
    for seg in (0..pts.len() - 1).rev() {
        let (a, b) = (pts[seg], pts[seg + 1]);
        if a.1 != b.1 {
            continue;
        }
        let (x0, x1) = (a.0.min(b.0) + 1, a.0.max(b.0));
        // One line cell stays on each side of the text.
        if x1 < x0 + len + 2 {
            continue;
        }
        let free: Vec<usize> = (x0..x1).filter(|&x| own_line(x, a.1)).collect();
        let run = longest_run(&free);
        if run.1 >= len + 2 {
            let start = run.0 + (run.1 - len) / 2;
            for (i, c) in text.chars().enumerate() {
                grid.set(start + i, a.1, c, Role::EdgeLabel(kind));
            }
            return;
        }
    }
    let n = pts.len();
    let (a, b) = (pts[n - 2], pts[n - 1]);
    if a.0 != b.0 {
        return;
    }
    let (y0, y1) = (a.1.min(b.1) + 1, a.1.max(b.1));
    for y in (y0..y1).rev() {
        let x = a.0 + 2;
        if x + len + 1 > grid.width {
            return;
        }
        if (a.0 + 1..=x + len).all(|xx| grid.cell(xx, y).role == Role::Empty) {
            for (i, c) in text.chars().enumerate() {
                grid.set(x + i, y, c, Role::EdgeLabel(kind));
            }
            return;
        }
    }
}

/// (start, length) of the longest run of consecutive numbers.
fn longest_run(xs: &[usize]) -> (usize, usize) {
    let mut best = (0, 0);
    let mut i = 0;
    while i < xs.len() {
        let mut j = i;
        while j + 1 < xs.len() && xs[j + 1] == xs[j] + 1 {
            j += 1;
        }
        if j - i + 1 > best.1 {
            best = (xs[i], j - i + 1);
        }
        i = j + 1;
    }
    best
}

#[cfg(test)]
mod tests;

/// The whole diagram shrunk into `width` × `height` cells, for an overview
/// or a mini-map: each box as its glyph and as much of its name as there is
/// room for, arrows as dotted lines, frames as outlines. Returns the grid
/// and the layout in its cells (boxes cover their glyph and name), so a
/// selection can be shown on it. A diagram that already fits is not grown.
pub fn overview(
    view: &View,
    layout: &Layout,
    width: usize,
    height: usize,
    ascii: bool,
) -> (Grid, Layout) {
    let ch = if ascii { &ASCII } else { &UNICODE };
    let sx = (layout.width as f64 / width.max(1) as f64).max(1.0);
    let sy = (layout.height as f64 / height.max(1) as f64).max(1.0);
    let gw = ((layout.width as f64 / sx).ceil() as usize).clamp(1, width.max(1));
    let gh = ((layout.height as f64 / sy).ceil() as usize).clamp(1, height.max(1));
    let at = |x: usize, y: usize| {
        (
            ((x as f64 / sx) as usize).min(gw - 1),
            ((y as f64 / sy) as usize).min(gh - 1),
        )
    };
    let mut grid = Grid::new(gw, gh);
    let mut out = Layout {
        width: gw,
        height: gh,
        ..Layout::default()
    };
    for f in &layout.frames {
        let (x0, y0) = at(f.x, f.y);
        let (x1, y1) = at(f.x + f.w.saturating_sub(1), f.y + f.h.saturating_sub(1));
        if x1 > x0 + 1 && y1 > y0 {
            draw_frame(
                &mut grid,
                ch,
                &crate::layout::Frame {
                    w: x1 - x0 + 1,
                    h: y1 - y0 + 1,
                    x: x0,
                    y: y0,
                    ..f.clone()
                },
            );
        }
    }
    let dot = if ascii { '.' } else { '·' };
    for r in &layout.edges {
        let mut pts: Vec<(usize, usize)> = r.points.iter().map(|&(x, y)| at(x, y)).collect();
        pts.dedup();
        for w in pts.windows(2) {
            // Scaling keeps pieces straight: one coordinate is shared.
            for c in cells_between(w[0], w[1]) {
                grid.set(c.0, c.1, dot, Role::Edge(r.kind));
            }
        }
        out.edges.push(crate::layout::Route {
            points: pts,
            ..r.clone()
        });
    }
    let nodes: HashMap<&str, &crate::model::ViewNode> =
        view.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    for b in &layout.boxes {
        let Some(node) = nodes.get(b.id.as_str()) else {
            continue;
        };
        let (x0, y0) = at(b.x, b.y);
        let (x1, _) = at(b.x + b.w.saturating_sub(1), b.y);
        let cat = node.kind.category();
        let g = text::glyph(node.kind, ascii).chars().next().unwrap_or('?');
        let taken =
            |grid: &Grid, x: usize| matches!(grid.cell(x, y0).role, Role::Glyph(_) | Role::Name);
        if taken(&grid, x0) {
            // Another box is drawn here already; this one is still listed.
            out.boxes.push(crate::layout::BoxPlacement {
                id: b.id.clone(),
                x: x0,
                y: y0,
                w: 1,
                h: 1,
            });
            continue;
        }
        grid.set(x0, y0, g, Role::Glyph(cat));
        // The name runs over the box's own cells, and on a little past
        // them where nothing else is.
        let room = (x1.saturating_sub(x0)).max(8);
        let mut x = x0 + 1;
        if x + 1 < gw && !taken(&grid, x + 1) {
            grid.set(x, y0, ' ', Role::Empty);
            x += 1;
        }
        for c in text::cells(&node.label).chars().take(room) {
            if x >= gw || taken(&grid, x) || taken(&grid, x + 1) {
                break;
            }
            grid.set(x, y0, c, Role::Name);
            x += 1;
        }
        out.boxes.push(crate::layout::BoxPlacement {
            id: b.id.clone(),
            x: x0,
            y: y0,
            w: x - x0,
            h: 1,
        });
    }
    (grid, out)
}
