//! The diagram of a diff: the new version with what went drawn too, each
//! box and arrow marked in its text (`+` added, `-` removed, `~` changed)
//! so the marks read without colour, and coloured when asked (green, faint
//! red, yellow). Laid out starting from the old version's layout, so what
//! stayed stays in place as far as the layout allows.

use std::collections::{HashMap, HashSet};

use super::{Arrow, Diff};
use crate::canvas::{self, CanvasOptions, Grid};
use crate::layout::{self, Layout, LayoutOptions};
use crate::model::{View, ViewEdge, ViewNode, inert};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
    Changed,
}

impl Mark {
    pub fn sign(self) -> char {
        match self {
            Mark::Added => '+',
            Mark::Removed => '-',
            Mark::Changed => '~',
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Mark::Added => "\x1b[32m",
            Mark::Removed => "\x1b[2;31m",
            Mark::Changed => "\x1b[33m",
        }
    }
}

/// What each box and arrow of the union is marked with.
#[derive(Default)]
pub struct Marks {
    pub boxes: HashMap<String, Mark>,
    pub arrows: HashMap<Arrow, Mark>,
}

fn key(e: &ViewEdge) -> Arrow {
    Arrow {
        from: e.from.clone(),
        to: e.to.clone(),
        kind: e.kind,
    }
}

/// The new view with what the old one had and the new does not, marks in
/// the labels of boxes and, when `label_arrows`, of arrows.
pub fn union(d: &Diff, label_arrows: bool) -> (View, Marks) {
    let mut marks = Marks::default();
    for id in &d.added {
        marks.boxes.insert(id.clone(), Mark::Added);
    }
    for id in &d.removed {
        marks.boxes.insert(id.clone(), Mark::Removed);
    }
    for c in &d.changed {
        marks.boxes.insert(c.id.clone(), Mark::Changed);
    }
    for a in &d.arrows_added {
        marks.arrows.insert(a.clone(), Mark::Added);
    }
    for a in &d.arrows_removed {
        marks.arrows.insert(a.clone(), Mark::Removed);
    }
    let mut view = d.new_view.clone();
    let gone: HashSet<&str> = d.removed.iter().map(String::as_str).collect();
    view.nodes.extend(
        d.old_view
            .nodes
            .iter()
            .filter(|n| gone.contains(n.id.as_str()))
            .cloned(),
    );
    let groups: HashSet<String> = view.groups.iter().map(|g| g.id.clone()).collect();
    view.groups.extend(
        d.old_view
            .groups
            .iter()
            .filter(|g| !groups.contains(&g.id))
            .cloned(),
    );
    let removed: HashSet<&Arrow> = d.arrows_removed.iter().collect();
    view.edges.extend(
        d.old_view
            .edges
            .iter()
            .filter(|e| removed.contains(&key(e)))
            .cloned(),
    );
    for n in &mut view.nodes {
        if let Some(m) = marks.boxes.get(&n.id) {
            n.label = format!("{} {}", m.sign(), n.label);
        }
    }
    for e in view.edges.iter_mut().filter(|_| label_arrows) {
        // What an arrow says on the canvas is its kind, or what joins it.
        if let Some(m) = marks.arrows.get(&key(e)) {
            let text = e.via_label().unwrap_or_else(|| e.kind.word().to_string());
            e.via = Some(format!("{} {text}", m.sign()));
        }
    }
    (view, marks)
}

/// The marked diagram as text within `width` columns, in parts when it
/// does not fold; coloured with ANSI escapes when `colour`. Text from the
/// inputs is made inert cell by cell.
pub fn draw(d: &Diff, width: usize, ascii: bool, colour: bool) -> String {
    let (view, marks) = union(d, true);
    let before = layout::layout(&d.old_view, &LayoutOptions::default());
    let parts = layout::fit(
        &view,
        &LayoutOptions {
            max_width: Some(width),
            previous: Some(before),
            ..LayoutOptions::default()
        },
    );
    let opts = CanvasOptions {
        ascii,
        ..CanvasOptions::default()
    };
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        if parts.len() > 1 {
            if k > 0 {
                out.push('\n');
            }
            let rule = if ascii { "--" } else { "──" };
            out.push_str(&format!(
                "{rule} part {} of {} {rule}\n",
                k + 1,
                parts.len()
            ));
        }
        let grid = canvas::draw(&part.view, &part.layout, &opts);
        out.push_str(&paint(&grid, &part.layout, &marks, colour));
    }
    out
}

/// A marked diagram drawn whole, for a pane that scrolls.
pub struct Scene {
    pub grid: Grid,
    pub layout: Layout,
    /// The mark of each cell that has one.
    pub marks: HashMap<(usize, usize), Mark>,
}

/// The marked diagram of `d` drawn where `all` places its boxes and
/// arrows: `all` is the layout of [`AllVersions`] of a history, so each box
/// keeps its place from one step to the next.
pub fn scene_in(d: &Diff, all: &Layout, ascii: bool) -> Scene {
    let (view, marks) = union(d, true);
    let layout = cut(all, &view);
    let grid = canvas::draw(
        &view,
        &layout,
        &CanvasOptions {
            ascii,
            ..CanvasOptions::default()
        },
    );
    let marks = cell_marks(&layout, &marks);
    Scene {
        grid,
        layout,
        marks,
    }
}

/// Every box, arrow and frame of every version of a history, laid out
/// once: the picture each step is drawn in, so a box keeps its place.
#[derive(Clone, Debug, Default)]
pub struct AllVersions {
    /// Every box, arrow and frame any version has, the newest version's
    /// order first; arrow labels with room for a mark.
    pub view: View,
    /// The room each box needs: the largest it is in any version, with its
    /// mark or without (a mark can wrap a name differently).
    pub sizes: HashMap<String, (usize, usize)>,
}

impl AllVersions {
    /// Gathers `views`, the newest first.
    pub fn of<'a>(views: impl IntoIterator<Item = &'a View>) -> AllVersions {
        let mut out = AllVersions::default();
        let mut arrows: HashSet<Arrow> = HashSet::new();
        let mut groups: HashSet<String> = HashSet::new();
        for v in views {
            out.view.level = v.level;
            for n in &v.nodes {
                let marked = ViewNode {
                    label: format!("{} {}", Mark::Changed.sign(), n.label),
                    ..n.clone()
                };
                let room = out.sizes.entry(n.id.clone()).or_insert_with(|| {
                    out.view.nodes.push(marked.clone());
                    (0, 0)
                });
                for node in [n, &marked] {
                    let (w, h) = layout::text::text_of(node, false, false).box_size();
                    *room = (room.0.max(w), room.1.max(h));
                }
            }
            for e in &v.edges {
                if arrows.insert(key(e)) {
                    let mut e = e.clone();
                    let text = e.via_label().unwrap_or_else(|| e.kind.word().to_string());
                    e.via = Some(format!("{} {text}", Mark::Changed.sign()));
                    out.view.edges.push(e);
                }
            }
            for g in &v.groups {
                if groups.insert(g.id.clone()) {
                    out.view.groups.push(g.clone());
                }
            }
        }
        out
    }

    /// Lays the picture out, folded to `max_width` columns when given.
    pub fn layout(&self, max_width: Option<usize>) -> Layout {
        layout::layout(
            &self.view,
            &LayoutOptions {
                max_width,
                min_sizes: self.sizes.clone(),
                ..LayoutOptions::default()
            },
        )
    }
}

/// The layout of all versions cut down to one step's marked view: its
/// boxes, arrows and frames where `all` has them, its arrows labelled as
/// the step labels them. The size stays the whole picture's.
pub fn cut(all: &Layout, view: &View) -> Layout {
    let boxes: HashSet<&str> = view.nodes.iter().map(|n| n.id.as_str()).collect();
    let groups: HashSet<&str> = view.groups.iter().map(|g| g.id.as_str()).collect();
    let labels: HashMap<Arrow, Option<String>> =
        view.edges.iter().map(|e| (key(e), e.via_label())).collect();
    Layout {
        width: all.width,
        height: all.height,
        boxes: all
            .boxes
            .iter()
            .filter(|b| boxes.contains(b.id.as_str()))
            .cloned()
            .collect(),
        edges: all
            .edges
            .iter()
            .filter_map(|r| {
                let label = labels.get(&Arrow {
                    from: r.from.clone(),
                    to: r.to.clone(),
                    kind: r.kind,
                })?;
                let mut r = r.clone();
                r.label = label.clone();
                Some(r)
            })
            .collect(),
        frames: all
            .frames
            .iter()
            .filter(|f| groups.contains(f.id.as_str()))
            .cloned()
            .collect(),
    }
}

/// The mark of every cell: boxes over arrows.
fn cell_marks(layout: &Layout, marks: &Marks) -> HashMap<(usize, usize), Mark> {
    let mut at = HashMap::new();
    for r in &layout.edges {
        let Some(&m) = marks.arrows.get(&Arrow {
            from: r.from.clone(),
            to: r.to.clone(),
            kind: r.kind,
        }) else {
            continue;
        };
        for w in r.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            for x in x0.min(x1)..=x0.max(x1) {
                for y in y0.min(y1)..=y0.max(y1) {
                    at.insert((x, y), m);
                }
            }
        }
    }
    for b in &layout.boxes {
        if let Some(&m) = marks.boxes.get(&b.id) {
            for y in b.y..b.y + b.h {
                for x in b.x..b.x + b.w {
                    at.insert((x, y), m);
                }
            }
        }
    }
    at
}

/// The grid as text, each cell inert, coloured runs when `colour`.
fn paint(grid: &Grid, layout: &Layout, marks: &Marks, colour: bool) -> String {
    let at = if colour {
        cell_marks(layout, marks)
    } else {
        HashMap::new()
    };
    let mut out = String::with_capacity((grid.width + 1) * grid.height);
    for y in 0..grid.height {
        let end = (0..grid.width)
            .rev()
            .find(|&x| grid.cell(x, y).ch != ' ')
            .map_or(0, |x| x + 1);
        let mut current: Option<Mark> = None;
        for x in 0..end {
            let m = at.get(&(x, y)).copied();
            if m != current {
                if current.is_some() {
                    out.push_str("\x1b[0m");
                }
                if let Some(m) = m {
                    out.push_str(m.colour());
                }
                current = m;
            }
            let mut buf = [0u8; 4];
            out.push_str(&inert(grid.cell(x, y).ch.encode_utf8(&mut buf)));
        }
        if current.is_some() {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}
