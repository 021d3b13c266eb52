//! Layout invariants over real and synthetic templates: boxes never
//! overlap; routes are orthogonal, run from just outside the source's
//! border to just outside the target's and pass through no box; every
//! service and connection is drawn.
//!
//! Inputs: our own fixtures, every SAM/CloudFormation template in the
//! shared corpus (`../shared/corpus`, skipped with a note when absent) and
//! `gen-stress` output at 100 and 300 resources (skipped without python3).

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use stacksketch::canvas::{self, CanvasOptions, Grid, Role};
use stacksketch::formats;
use stacksketch::layout::{self, Direction, Layout, LayoutOptions};
use stacksketch::model::{Level, View};

/// Checks one layout of one view; the error says what is wrong and where.
fn check(view: &View, l: &Layout, grid: &Grid) -> Result<(), String> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, b) in l.boxes.iter().enumerate() {
        if by_id.insert(&b.id, i).is_some() {
            return Err(format!("two boxes for {}", b.id));
        }
        if b.x + b.w > l.width || b.y + b.h > l.height {
            return Err(format!(
                "box {} is outside the {}x{} layout",
                b.id, l.width, l.height
            ));
        }
        if b.w < 3 || b.h < 3 {
            return Err(format!("box {} is too small to draw", b.id));
        }
    }
    for n in &view.nodes {
        if !by_id.contains_key(n.id.as_str()) {
            return Err(format!("{} has no box", n.id));
        }
    }
    if l.boxes.len() != view.nodes.len() {
        return Err("boxes for services the view does not have".into());
    }

    // Which box covers each cell; two boxes on one cell overlap.
    let mut owner = vec![usize::MAX; l.width * l.height];
    for (i, b) in l.boxes.iter().enumerate() {
        for y in b.y..b.y + b.h {
            for x in b.x..b.x + b.w {
                let c = &mut owner[y * l.width + x];
                if *c != usize::MAX {
                    return Err(format!("{} overlaps {}", b.id, l.boxes[*c].id));
                }
                *c = i;
            }
        }
    }

    // Every connection between drawn services has exactly one route.
    let mut want: Vec<(String, String, String)> = view
        .edges
        .iter()
        .filter(|e| by_id.contains_key(e.from.as_str()) && by_id.contains_key(e.to.as_str()))
        .map(|e| (e.from.clone(), e.to.clone(), e.kind.word().to_string()))
        .collect();
    let mut got: Vec<(String, String, String)> = l
        .edges
        .iter()
        .map(|r| (r.from.clone(), r.to.clone(), r.kind.word().to_string()))
        .collect();
    want.sort();
    got.sort();
    if want != got {
        return Err(format!(
            "routes do not match connections: {} wanted, {} drawn",
            want.len(),
            got.len()
        ));
    }

    for r in &l.edges {
        let name = format!("{} -> {} ({})", r.from, r.to, r.kind.word());
        let p = &r.points;
        if p.len() < 2 {
            return Err(format!("{name}: fewer than two points"));
        }
        for w in p.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a == b || (a.0 != b.0 && a.1 != b.1) {
                return Err(format!("{name}: {a:?} to {b:?} is not a straight piece"));
            }
        }
        for &(x, y) in p {
            if x >= l.width || y >= l.height {
                return Err(format!("{name}: ({x}, {y}) is outside the layout"));
            }
        }
        let src = &l.boxes[by_id[r.from.as_str()]];
        let dst = &l.boxes[by_id[r.to.as_str()]];
        let (first, second) = (p[0], p[1]);
        let (before, last) = (p[p.len() - 2], p[p.len() - 1]);
        if !leaves(src, first, second) {
            return Err(format!(
                "{name}: starts at {first:?}, not straight out of {src:?}"
            ));
        }
        if !leaves(dst, last, before) {
            return Err(format!(
                "{name}: ends at {last:?}, not straight into {dst:?}"
            ));
        }
        for w in p.windows(2) {
            for c in cells(w[0], w[1]) {
                let o = owner[c.1 * l.width + c.0];
                if o != usize::MAX {
                    return Err(format!("{name}: passes through {} at {c:?}", l.boxes[o].id));
                }
            }
        }
    }

    // Drawn: each box's corners and name, each route's cells and arrowhead.
    let nodes: HashMap<&str, _> = view.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    for b in &l.boxes {
        for (x, y) in [
            (b.x, b.y),
            (b.x + b.w - 1, b.y),
            (b.x, b.y + b.h - 1),
            (b.x + b.w - 1, b.y + b.h - 1),
        ] {
            if !matches!(grid.cell(x, y).role, Role::BoxBorder(_)) {
                return Err(format!("{}: corner ({x}, {y}) not drawn", b.id));
            }
        }
        let inside: String = (b.y + 1..b.y + b.h - 1)
            .map(|y| {
                grid.row_text(y)[..]
                    .chars()
                    .skip(b.x + 1)
                    .take(b.w - 2)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let first_word: String = nodes[b.id.as_str()]
            .label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(8)
            .collect();
        let flat: String = inside
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if !flat.contains(&first_word) {
            return Err(format!("{}: name not drawn (box reads {inside:?})", b.id));
        }
    }
    for r in &l.edges {
        for w in r.points.windows(2) {
            for c in cells(w[0], w[1]) {
                if grid.cell(c.0, c.1).role == Role::Empty {
                    return Err(format!("{} -> {}: cell {c:?} not drawn", r.from, r.to));
                }
            }
        }
        let last = r.points[r.points.len() - 1];
        if !matches!(grid.cell(last.0, last.1).role, Role::Arrow(_)) {
            return Err(format!("{} -> {}: no arrowhead at {last:?}", r.from, r.to));
        }
    }
    Ok(())
}

/// Whether `p` is just outside one side of `b` (corners excluded) and the
/// route heads from `p` to `next` straight away from that side.
fn leaves(b: &layout::BoxPlacement, p: (usize, usize), next: (usize, usize)) -> bool {
    let within_x = p.0 > b.x && p.0 < b.x + b.w - 1;
    let within_y = p.1 > b.y && p.1 < b.y + b.h - 1;
    (p.0 + 1 == b.x && within_y && next.0 < p.0)
        || (p.0 == b.x + b.w && within_y && next.0 > p.0)
        || (p.1 + 1 == b.y && within_x && next.1 < p.1)
        || (p.1 == b.y + b.h && within_x && next.1 > p.1)
}

fn cells(a: (usize, usize), b: (usize, usize)) -> Vec<(usize, usize)> {
    if a.1 == b.1 {
        (a.0.min(b.0)..=a.0.max(b.0)).map(|x| (x, a.1)).collect()
    } else {
        (a.1.min(b.1)..=a.1.max(b.1)).map(|y| (a.0, y)).collect()
    }
}

/// The layouts every input is checked under.
fn variants() -> Vec<(&'static str, Level, LayoutOptions)> {
    let lr = |w| LayoutOptions {
        max_width: w,
        ..LayoutOptions::default()
    };
    vec![
        ("service lr", Level::Service, lr(None)),
        ("service lr folded", Level::Service, lr(Some(100))),
        (
            "service td folded",
            Level::Service,
            LayoutOptions {
                direction: Direction::TopDown,
                max_width: Some(120),
                ..LayoutOptions::default()
            },
        ),
        ("resource lr folded", Level::Resource, lr(Some(120))),
        ("system lr", Level::System, lr(None)),
    ]
}

fn check_sketch(name: &str, sketch: &stacksketch::model::Sketch) -> Vec<String> {
    let mut errors = Vec::new();
    for (what, level, opts) in variants() {
        let view = View::of(sketch, level);
        let l = layout::layout(&view, &opts);
        for ascii in [false, true] {
            let grid = canvas::draw(
                &view,
                &l,
                &CanvasOptions {
                    ascii,
                    ..CanvasOptions::default()
                },
            );
            if let Err(e) = check(&view, &l, &grid) {
                errors.push(format!("{name} [{what}]: {e}"));
                break;
            }
        }
    }
    errors
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fixtures_and_examples_keep_the_invariants() {
    let mut files = common::template_files(&crate_dir().join("tests/fixtures/layout"));
    files.extend(common::template_files(&crate_dir().join("examples")));
    assert!(files.len() >= 5, "fixtures are missing: {files:?}");
    let mut errors = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let sketch = formats::read(&f.display().to_string(), &text)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        errors.extend(check_sketch(&f.display().to_string(), &sketch));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Every template in the corpus that imports. All of them are checked: they
/// are small, and a debug build gets through them in a few seconds.
#[test]
fn corpus_templates_keep_the_invariants() {
    let Some(root) = common::corpus() else {
        return;
    };
    let files = common::template_files(&root);
    let mut checked = 0;
    let mut errors = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let name = f.display().to_string();
        let Ok(sketch) = formats::read(&name, &text) else {
            continue;
        };
        checked += 1;
        errors.extend(check_sketch(&name, &sketch));
    }
    assert!(checked > 0, "no corpus template imported");
    eprintln!("checked {checked} corpus templates");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// `gen-stress sam --resources N` in a temporary folder, or None (with a
/// note) when the generator or python3 is missing.
fn stress(resources: usize) -> Option<stacksketch::model::Sketch> {
    let tool = crate_dir().join("../shared/tools/gen-stress");
    if !tool.is_file() {
        eprintln!("note: {} is absent; stress checks skipped", tool.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("template.yaml");
    let status = Command::new("python3")
        .arg(&tool)
        .args(["sam", "--resources", &resources.to_string(), "--out"])
        .arg(&out)
        .output();
    match status {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("note: python3 could not run gen-stress; stress checks skipped");
            return None;
        }
    }
    let text = std::fs::read_to_string(&out).unwrap();
    Some(formats::read("template.yaml", &text).expect("gen-stress output imports"))
}

#[test]
fn stress_100_keeps_the_invariants() {
    if let Some(s) = stress(100) {
        let errors = check_sketch("gen-stress 100", &s);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn stress_300_keeps_the_invariants() {
    if let Some(s) = stress(300) {
        let errors = check_sketch("gen-stress 300", &s);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

/// A layout seeded with the previous one keeps the old boxes' order in
/// each column, and nearly all of their places, when a service is added.
#[test]
fn adding_a_service_does_not_reshuffle() {
    let Some(mut sketch) = stress(100) else {
        return;
    };
    let before = View::of(&sketch, Level::Service);
    let old = layout::layout(&before, &LayoutOptions::default());
    let kind = stacksketch::catalog::Kind::Queue;
    sketch
        .add_service(stacksketch::model::Service::new(
            "ExtraQueue",
            kind,
            "AWS::SQS::Queue",
        ))
        .unwrap();
    sketch
        .connect(
            "Svc0003ApiFunction",
            "ExtraQueue",
            stacksketch::model::Connection::new(stacksketch::model::ConnectionKind::Write),
        )
        .unwrap();
    let after = View::of(&sketch, Level::Service);
    let new = layout::layout(
        &after,
        &LayoutOptions {
            previous: Some(old.clone()),
            ..LayoutOptions::default()
        },
    );
    let grid = canvas::draw(&after, &new, &CanvasOptions::default());
    check(&after, &new, &grid).unwrap();
    let mut moved_order = 0;
    let mut same_column = 0;
    for a in &old.boxes {
        for b in &old.boxes {
            if a.x != b.x || a.y >= b.y {
                continue;
            }
            let (na, nb) = (new.box_of(&a.id).unwrap(), new.box_of(&b.id).unwrap());
            if na.x == nb.x {
                same_column += 1;
                if na.y >= nb.y {
                    moved_order += 1;
                }
            }
        }
    }
    assert!(same_column > 0);
    assert_eq!(moved_order, 0, "old boxes changed order");
    // Rows stay; columns may slide a little where a channel needs a track
    // for the new arrow.
    let kept = old
        .boxes
        .iter()
        .filter(|b| new.box_of(&b.id).is_some_and(|n| n.y == b.y))
        .count();
    assert!(
        kept * 10 >= old.boxes.len() * 9,
        "only {kept} of {} boxes kept their row",
        old.boxes.len()
    );
    for b in &old.boxes {
        let n = new.box_of(&b.id).unwrap();
        assert!(
            n.x.abs_diff(b.x) <= 8,
            "{} moved from {} to {}",
            b.id,
            b.x,
            n.x
        );
    }
}

mod random {
    //! Random small views, with loops on one box, repeated arrows, nested
    //! groups, hand-placed boxes (some on top of each other), both
    //! directions and narrow widths: the invariants hold for all of them.

    use proptest::prelude::*;
    use stacksketch::catalog::Kind;
    use stacksketch::model::{ConnectionKind, Position, ViewEdge, ViewGroup, ViewNode};

    use super::*;

    const KINDS: &[&str] = &["function", "queue", "table", "bucket", "topic", "api"];

    fn view(
        kinds: &[usize],
        edges: &[(usize, usize, usize)],
        groups: &[usize],
        pins: &[Option<(i32, i32)>],
    ) -> View {
        let nodes = kinds
            .iter()
            .enumerate()
            .map(|(i, &k)| ViewNode {
                id: format!("N{i}"),
                kind: Kind::parse(KINDS[k]).unwrap(),
                type_name: String::new(),
                label: if i % 3 == 0 {
                    format!("AFairlyLongServiceNameNumber{i}")
                } else {
                    format!("N{i}")
                },
                group: match groups.get(i).copied().unwrap_or(0) {
                    1 => Some("outer".into()),
                    2 => Some("inner".into()),
                    _ => None,
                },
                hidden: Vec::new(),
                summary: None,
                multiplicity: None,
                position: pins
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|(x, y)| Position { x, y }),
            })
            .collect::<Vec<_>>();
        let n = nodes.len();
        let mut edges: Vec<ViewEdge> = edges
            .iter()
            .map(|&(a, b, k)| ViewEdge {
                from: format!("N{}", a % n),
                to: format!("N{}", b % n),
                kind: ConnectionKind::ALL[k % ConnectionKind::ALL.len()],
                label: None,
                via: None,
                inferred: false,

                unwritten: false,
            })
            .collect();
        edges.sort();
        edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
        View {
            level: Level::Service,
            nodes,
            edges,
            groups: vec![
                ViewGroup {
                    id: "outer".into(),
                    label: "Outer".into(),
                    parent: None,
                },
                ViewGroup {
                    id: "inner".into(),
                    label: "Inner".into(),
                    parent: Some("outer".into()),
                },
            ],
        }
    }

    /// Lays the view out, then again over itself, and checks both.
    fn holds(
        kinds: &[usize],
        edges: &[(usize, usize, usize)],
        groups: &[usize],
        pins: &[Option<(i32, i32)>],
        td: bool,
        width: Option<usize>,
    ) -> Result<(), String> {
        let v = view(kinds, edges, groups, pins);
        let opts = LayoutOptions {
            direction: if td {
                Direction::TopDown
            } else {
                Direction::LeftRight
            },
            max_width: width,
            previous: None,
            ..LayoutOptions::default()
        };
        let l = layout::layout(&v, &opts);
        let grid = canvas::draw(&v, &l, &CanvasOptions::default());
        check(&v, &l, &grid)?;
        // Laying out again over itself changes nothing it need not.
        let again = layout::layout(
            &v,
            &LayoutOptions {
                previous: Some(l.clone()),
                ..opts
            },
        );
        let grid = canvas::draw(
            &v,
            &again,
            &CanvasOptions {
                ascii: true,
                ..CanvasOptions::default()
            },
        );
        check(&v, &again, &grid).map_err(|e| format!("seeded: {e}"))
    }

    /// Two hand-placed boxes one row apart whose columns overlap, with an
    /// arrow from the lower to the upper: the router once found no way out.
    #[test]
    fn an_arrow_between_boxes_placed_close_together() {
        holds(
            &[0, 0, 0, 0, 0],
            &[(2, 5, 0)],
            &[],
            &[Some((28, 5)), None, Some((17, 0))],
            false,
            None,
        )
        .unwrap();
    }

    /// Two boxes pinned in one column, several arrows from the lower to
    /// the upper: once left with an arrow of one point.
    #[test]
    fn arrows_between_boxes_pinned_in_one_column() {
        holds(
            &[0, 0, 0, 0, 0],
            &[(1, 6, 0), (1, 0, 1), (2, 6, 0), (1, 0, 2), (1, 6, 3)],
            &[],
            &[Some((0, 0)), Some((0, 8))],
            false,
            None,
        )
        .unwrap();
    }

    /// Two boxes pinned in one column six rows apart, one arrow between:
    /// once an arrow of one point.
    #[test]
    fn an_arrow_up_a_column_of_pinned_boxes() {
        holds(
            &[0, 0, 0, 0],
            &[(4, 11, 0)],
            &[],
            &[Some((0, 32)), None, None, Some((0, 26))],
            false,
            None,
        )
        .unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

        #[test]
        fn random_views_keep_the_invariants(
            kinds in prop::collection::vec(0..KINDS.len(), 1..14),
            edges in prop::collection::vec((0..14usize, 0..14usize, 0..10usize), 0..24),
            groups in prop::collection::vec(0..3usize, 0..14),
            pins in prop::collection::vec(prop::option::weighted(0.15, (-5..60i32, -5..40i32)), 0..14),
            td in any::<bool>(),
            width in prop::option::of(40..160usize),
        ) {
            if let Err(e) = holds(&kinds, &edges, &groups, &pins, td, width) {
                prop_assert!(false, "{e}");
            }
        }
    }
}
