use super::*;
use crate::catalog::Kind;
use crate::model::{Level, Position, ViewEdge, ViewGroup, ViewNode};

pub(crate) fn node(id: &str, kind: &str) -> ViewNode {
    ViewNode {
        id: id.to_string(),
        kind: Kind::parse(kind).unwrap(),
        type_name: String::new(),
        label: id.to_string(),
        group: None,
        hidden: Vec::new(),
        multiplicity: None,
        position: None,
        summary: None,
    }
}

pub(crate) fn edge(from: &str, to: &str, kind: ConnectionKind) -> ViewEdge {
    ViewEdge {
        from: from.to_string(),
        to: to.to_string(),
        kind,
        label: None,
        via: None,
        inferred: false,

        unwritten: false,
    }
}

fn view(nodes: Vec<ViewNode>, edges: Vec<ViewEdge>) -> View {
    View {
        level: Level::Service,
        nodes,
        edges,
        groups: Vec::new(),
    }
}

/// Bucket -> Fn -> Table, Fn -> Topic -> Fn2, Fn2 -> Table, Table -> Fn (a loop).
fn pipeline() -> View {
    use ConnectionKind::*;
    view(
        vec![
            node("Bucket", "bucket"),
            node("Fn", "function"),
            node("Table", "table"),
            node("Topic", "topic"),
            node("Fn2", "function"),
        ],
        vec![
            edge("Bucket", "Fn", Trigger),
            edge("Fn", "Table", Write),
            edge("Fn", "Topic", Publish),
            edge("Topic", "Fn2", Subscribe),
            edge("Fn2", "Table", Write),
            edge("Table", "Fn", Trigger),
        ],
    )
}

fn overlaps(a: &BoxPlacement, b: &BoxPlacement) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Boxes apart, routes orthogonal, just outside both ends, through no box.
fn assert_sound(v: &View, l: &Layout) {
    assert_eq!(l.boxes.len(), v.nodes.len());
    assert_eq!(l.edges.len(), v.edges.len());
    for (i, a) in l.boxes.iter().enumerate() {
        for b in &l.boxes[i + 1..] {
            assert!(!overlaps(a, b), "{a:?} overlaps {b:?}");
        }
        assert!(a.x + a.w <= l.width && a.y + a.h <= l.height);
    }
    for r in &l.edges {
        assert!(r.points.len() >= 2, "{r:?}");
        for w in r.points.windows(2) {
            assert!(
                (w[0].0 == w[1].0) != (w[0].1 == w[1].1),
                "not orthogonal: {r:?}"
            );
            let (x0, x1) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
            let (y0, y1) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            for b in &l.boxes {
                let hit = x0 < b.x + b.w && b.x <= x1 && y0 < b.y + b.h && b.y <= y1;
                assert!(!hit, "{r:?} passes through {b:?}");
            }
        }
        let touches = |b: &BoxPlacement, p: (usize, usize)| {
            (p.0 + 1 == b.x || p.0 == b.x + b.w) && p.1 > b.y && p.1 < b.y + b.h - 1
                || (p.1 + 1 == b.y || p.1 == b.y + b.h) && p.0 > b.x && p.0 < b.x + b.w - 1
        };
        let (src, dst) = (l.box_of(&r.from).unwrap(), l.box_of(&r.to).unwrap());
        assert!(touches(src, r.points[0]), "{r:?} does not start at {src:?}");
        assert!(
            touches(dst, *r.points.last().unwrap()),
            "{r:?} does not end at {dst:?}"
        );
    }
}

#[test]
fn left_right_arrows_flow_right() {
    let v = pipeline();
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    let x = |id: &str| l.box_of(id).unwrap().x;
    assert!(x("Bucket") < x("Fn"));
    assert!(x("Fn") < x("Topic"));
    assert!(x("Topic") < x("Fn2"));
}

#[test]
fn top_down_arrows_flow_down() {
    let v = pipeline();
    let l = layout(
        &v,
        &LayoutOptions {
            direction: Direction::TopDown,
            ..LayoutOptions::default()
        },
    );
    assert_sound(&v, &l);
    let y = |id: &str| l.box_of(id).unwrap().y;
    assert!(y("Bucket") < y("Fn"));
    assert!(y("Topic") < y("Fn2"));
}

#[test]
fn the_same_input_gives_the_same_layout() {
    let v = pipeline();
    assert_eq!(
        layout(&v, &LayoutOptions::default()),
        layout(&v, &LayoutOptions::default())
    );
}

#[test]
fn a_previous_layout_is_kept_as_it_was() {
    let v = pipeline();
    let first = layout(&v, &LayoutOptions::default());
    let again = layout(
        &v,
        &LayoutOptions {
            previous: Some(first.clone()),
            ..LayoutOptions::default()
        },
    );
    assert_eq!(first.boxes, again.boxes);
}

#[test]
fn a_loop_on_one_box_is_drawn() {
    let mut v = pipeline();
    v.edges.push(edge("Fn2", "Fn2", ConnectionKind::Invoke));
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    let r = l.edges.iter().find(|r| r.from == "Fn2" && r.to == "Fn2");
    assert!(r.is_some_and(|r| r.points.len() >= 3));
}

#[test]
fn hand_placed_boxes_stay_and_arrows_go_round_them() {
    let mut v = pipeline();
    // Right where the automatic layout would put other boxes.
    v.nodes[3].position = Some(Position { x: 20, y: 1 });
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    let t = l.box_of("Topic").unwrap();
    assert_eq!((t.x, t.y), (20, 1));
}

#[test]
fn hand_placed_boxes_on_top_of_each_other_are_pulled_apart() {
    let mut v = pipeline();
    v.nodes[0].position = Some(Position { x: 5, y: 5 });
    v.nodes[1].position = Some(Position { x: 6, y: 6 });
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    assert_eq!(l.box_of("Bucket").map(|b| (b.x, b.y)), Some((5, 5)));
}

#[test]
fn long_chains_fold_to_the_width() {
    let nodes: Vec<ViewNode> = (0..12)
        .map(|i| node(&format!("Step{i}"), "function"))
        .collect();
    let edges = (0..11)
        .map(|i| {
            edge(
                &format!("Step{i}"),
                &format!("Step{}", i + 1),
                ConnectionKind::Invoke,
            )
        })
        .collect();
    let v = view(nodes, edges);
    let wide = layout(&v, &LayoutOptions::default());
    let folded = layout(
        &v,
        &LayoutOptions {
            max_width: Some(100),
            ..LayoutOptions::default()
        },
    );
    assert!(wide.width > 100);
    assert!(folded.width <= 100, "{} columns", folded.width);
    assert!(folded.height > wide.height);
    assert_sound(&v, &folded);
}

#[test]
fn groups_get_frames_around_their_members_only() {
    let mut v = pipeline();
    v.groups = vec![
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
    ];
    v.nodes[1].group = Some("inner".into());
    v.nodes[2].group = Some("inner".into());
    v.nodes[3].group = Some("outer".into());
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    let inside = |f: &Frame, b: &BoxPlacement| {
        b.x > f.x && b.y > f.y && b.x + b.w < f.x + f.w && b.y + b.h < f.y + f.h
    };
    let apart = |f: &Frame, b: &BoxPlacement| {
        b.x + b.w <= f.x || f.x + f.w <= b.x || b.y + b.h <= f.y || f.y + f.h <= b.y
    };
    let frame = |id: &str| l.frames.iter().find(|f| f.id == id).unwrap();
    for (id, members) in [
        ("inner", vec!["Fn", "Table"]),
        ("outer", vec!["Fn", "Table", "Topic"]),
    ] {
        let f = frame(id);
        for b in &l.boxes {
            if members.contains(&b.id.as_str()) {
                assert!(inside(f, b), "{} not inside {id}: {f:?}", b.id);
            } else {
                assert!(apart(f, b), "{} inside {id}", b.id);
            }
        }
    }
    let (i, o) = (frame("inner"), frame("outer"));
    assert!(i.x > o.x && i.y > o.y && i.x + i.w < o.x + o.w && i.y + i.h < o.y + o.h);
}

#[test]
fn box_at_finds_the_box_under_a_cell() {
    let v = pipeline();
    let l = layout(&v, &LayoutOptions::default());
    let b = l.box_of("Topic").unwrap();
    assert_eq!(l.box_at(b.x, b.y).map(|b| b.id.as_str()), Some("Topic"));
    assert_eq!(
        l.box_at(b.x + b.w - 1, b.y + b.h - 1)
            .map(|b| b.id.as_str()),
        Some("Topic")
    );
    assert!(l.box_at(l.width + 5, 0).is_none());
}

#[test]
fn busy_boxes_grow_ports_for_their_arrows() {
    let mut nodes = vec![node("Hub", "function")];
    let mut edges = Vec::new();
    for i in 0..4 {
        nodes.push(node(&format!("T{i}"), "table"));
        edges.push(edge("Hub", &format!("T{i}"), ConnectionKind::Write));
    }
    let v = view(nodes, edges);
    let l = layout(&v, &LayoutOptions::default());
    assert_sound(&v, &l);
    let hub = l.box_of("Hub").unwrap();
    assert!(hub.h >= 6, "{hub:?}");
    let starts: std::collections::BTreeSet<(usize, usize)> =
        l.edges.iter().map(|r| r.points[0]).collect();
    assert_eq!(starts.len(), 4, "each arrow leaves from a port of its own");
}

#[test]
fn an_empty_view_lays_out_as_nothing() {
    let l = layout(&View::default(), &LayoutOptions::default());
    assert_eq!((l.width, l.height), (0, 0));
    assert!(l.boxes.is_empty());
}
