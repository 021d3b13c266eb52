use super::*;
use crate::layout::tests::{edge, node};
use crate::layout::{LayoutOptions, layout};
use crate::model::{Level, ViewGroup};

fn two() -> View {
    let mut fn_node = node("Worker", "function");
    fn_node.hidden = vec![("IAM".into(), 2)];
    fn_node.multiplicity = Some("3".into());
    View {
        level: Level::Service,
        nodes: vec![node("Jobs", "queue"), fn_node],
        edges: vec![edge("Jobs", "Worker", ConnectionKind::Trigger)],
        groups: Vec::new(),
    }
}

fn find(grid: &Grid, ch: char) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for y in 0..grid.height {
        for x in 0..grid.width {
            if grid.cell(x, y).ch == ch {
                out.push((x, y));
            }
        }
    }
    out
}

#[test]
fn boxes_show_glyph_kind_name_multiplicity_and_what_they_hide() {
    let v = two();
    let l = layout(&v, &LayoutOptions::default());
    let text = draw(&v, &l, &CanvasOptions::default()).to_text();
    assert!(text.contains("│ ≡ queue"), "{text}");
    assert!(text.contains("λ function ×3"), "{text}");
    assert!(text.contains("│ Worker"), "{text}");
    assert!(text.contains("+2 IAM"), "{text}");
}

#[test]
fn an_arrow_leaves_a_tee_and_ends_in_a_head_with_its_kind() {
    let v = two();
    let l = layout(&v, &LayoutOptions::default());
    let g = draw(&v, &l, &CanvasOptions::default());
    let route = &l.edges[0];
    let last = *route.points.last().unwrap();
    assert_eq!(g.cell(last.0, last.1).ch, '▶');
    assert_eq!(
        g.cell(last.0, last.1).role,
        Role::Arrow(ConnectionKind::Trigger)
    );
    let first = route.points[0];
    assert_eq!(g.cell(first.0 - 1, first.1).ch, '├');
    assert!(g.to_text().contains("trigger"), "{}", g.to_text());
    let label = find(&g, 't')
        .into_iter()
        .find(|&(x, y)| g.cell(x, y).role == Role::EdgeLabel(ConnectionKind::Trigger));
    assert!(label.is_some());
}

#[test]
fn cells_say_what_they_are() {
    let v = two();
    let l = layout(&v, &LayoutOptions::default());
    let g = draw(&v, &l, &CanvasOptions::default());
    let b = l.box_of("Worker").unwrap();
    let cat = crate::catalog::Kind::Function.category();
    assert_eq!(g.cell(b.x, b.y).role, Role::BoxBorder(cat));
    assert_eq!(g.cell(b.x + 2, b.y + 1).role, Role::Glyph(cat));
    assert_eq!(g.cell(b.x + 4, b.y + 1).role, Role::Detail);
    assert_eq!(g.cell(b.x + 2, b.y + 2).role, Role::Name);
    assert_eq!(g.cell(l.width + 3, 0).role, Role::Empty);
}

#[test]
fn ascii_uses_only_ascii() {
    let v = two();
    let l = layout(&v, &LayoutOptions::default());
    let text = draw(
        &v,
        &l,
        &CanvasOptions {
            ascii: true,
            ..CanvasOptions::default()
        },
    )
    .to_text();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("+-------"), "{text}");
    // A trigger is drawn heavy: `=` in ASCII.
    assert!(text.contains("trigger==>|"), "{text}");
    assert!(text.contains("x3"), "{text}");
}

#[test]
fn rows_are_full_width_and_text_is_trimmed() {
    let v = two();
    let l = layout(&v, &LayoutOptions::default());
    let g = draw(&v, &l, &CanvasOptions::default());
    for y in 0..g.height {
        assert_eq!(g.row_text(y).chars().count(), g.width);
    }
    let text = g.to_text();
    assert_eq!(text.lines().count(), g.height);
    assert!(text.lines().all(|line| !line.ends_with(' ')));
}

#[test]
fn frames_are_drawn_with_their_label() {
    let mut v = two();
    v.groups = vec![ViewGroup {
        id: "vpc".into(),
        label: "Private network".into(),
        parent: None,
    }];
    v.nodes[1].group = Some("vpc".into());
    let l = layout(&v, &LayoutOptions::default());
    let g = draw(&v, &l, &CanvasOptions::default());
    let f = &l.frames[0];
    assert_eq!(g.cell(f.x, f.y).ch, '╭');
    assert_eq!(g.cell(f.x + f.w - 1, f.y + f.h - 1).ch, '╯');
    assert!(g.row_text(f.y).contains(" Private network "));
    assert_eq!(g.cell(f.x + 3, f.y).role, Role::FrameLabel);
}

#[test]
fn crossing_lines_join() {
    // Two arrows that must cross: a -> d and b -> c with a above b and
    // c above d is forced by a third arrow pinning the order.
    let v = View {
        level: Level::Service,
        nodes: vec![
            node("A", "function"),
            node("B", "function"),
            node("C", "table"),
            node("D", "table"),
        ],
        edges: vec![
            edge("A", "C", ConnectionKind::Write),
            edge("A", "D", ConnectionKind::Write),
            edge("B", "C", ConnectionKind::Write),
            edge("B", "D", ConnectionKind::Write),
        ],
        groups: Vec::new(),
    };
    let l = layout(&v, &LayoutOptions::default());
    assert!(l.quality().crossings >= 1);
    let g = draw(&v, &l, &CanvasOptions::default());
    assert!(!find(&g, '┼').is_empty(), "{}", g.to_text());
}

/// Twenty queues each feeding a function: much taller than 30 rows.
fn many() -> View {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for i in 0..20 {
        nodes.push(node(&format!("Q{i}"), "queue"));
        nodes.push(node(&format!("F{i}"), "function"));
        edges.push(edge(
            &format!("Q{i}"),
            &format!("F{i}"),
            ConnectionKind::Trigger,
        ));
    }
    View {
        level: Level::Service,
        nodes,
        edges,
        groups: Vec::new(),
    }
}

#[test]
fn compact_boxes_are_one_line_with_glyph_and_name() {
    let v = two();
    let l = layout(
        &v,
        &LayoutOptions {
            compact: true,
            ..LayoutOptions::default()
        },
    );
    let worker = l.box_of("Worker").unwrap();
    assert_eq!(worker.h, 3, "{worker:?}");
    let grid = draw(
        &v,
        &l,
        &CanvasOptions {
            compact: true,
            ..CanvasOptions::default()
        },
    );
    let text = grid.to_text();
    assert!(text.contains("λ Worker ×3"), "{text}");
    assert!(!text.contains("function"), "{text}");
}

#[test]
fn the_overview_fits_and_names_every_box() {
    let v = many();
    let l = layout(&v, &LayoutOptions::default());
    assert!(l.height > 30);
    let (grid, small) = overview(&v, &l, 40, 12, false);
    assert!(
        grid.width <= 40 && grid.height <= 12,
        "{}x{}",
        grid.width,
        grid.height
    );
    assert_eq!(small.boxes.len(), v.nodes.len());
    let text = grid.to_text();
    // Every box has its glyph at its place; names show where there is room.
    for b in &small.boxes {
        assert!(
            matches!(grid.cell(b.x, b.y).role, Role::Glyph(_)) || b.w == 1,
            "{} has no glyph:\n{text}",
            b.id
        );
    }
    assert!(text.contains("Q0"), "{text}");
}

#[test]
fn arrow_kinds_differ_by_stroke_not_only_by_colour() {
    use crate::model::ViewEdge;
    let mut v = two();
    let kinds = [
        (ConnectionKind::Trigger, '━', '='),
        (ConnectionKind::Write, '─', '-'),
        (ConnectionKind::Log, '┈', '.'),
    ];
    for (kind, unicode, ascii) in kinds {
        v.edges = vec![ViewEdge {
            from: v.nodes[0].id.clone(),
            to: v.nodes[1].id.clone(),
            kind,
            label: None,
            via: None,
            inferred: false,
            unwritten: false,
        }];
        let l = layout(&v, &LayoutOptions::default());
        for (on, want) in [(false, unicode), (true, ascii)] {
            let text = draw(
                &v,
                &l,
                &CanvasOptions {
                    ascii: on,
                    ..CanvasOptions::default()
                },
            )
            .to_text();
            assert!(text.contains(want), "{kind:?} ascii={on}:\n{text}");
        }
    }
    // Drawn but not in the code: dashed, whatever its kind.
    v.edges[0].kind = ConnectionKind::Write;
    v.edges[0].unwritten = true;
    let l = layout(&v, &LayoutOptions::default());
    let text = draw(&v, &l, &CanvasOptions::default()).to_text();
    assert!(text.contains('╌'), "{text}");
}
