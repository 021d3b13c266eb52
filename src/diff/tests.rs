use super::*;
use crate::command::run_script;

fn sketch(lines: &[&str]) -> Sketch {
    let mut s = Sketch::new();
    let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    run_script(&mut s, &lines).unwrap();
    s
}

fn costs() -> CostOptions {
    CostOptions {
        free_tier: false,
        budget_usd: None,
        usage_file: None,
        prices: crate::cost::PriceTable::embedded(),
    }
}

#[test]
fn a_sketch_against_itself_is_no_change() {
    let s = sketch(&["add function F", "add table T", "connect F T write"]);
    let d = diff(&s, &s, Level::Service, &costs());
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn added_removed_changed_and_arrows() {
    let old = sketch(&["add function F", "add table T", "connect F T write"]);
    let new = sketch(&[
        "add function F",
        "add queue Q",
        "connect F Q",
        "set F MemorySize 512",
    ]);
    let d = diff(&old, &new, Level::Service, &costs());
    assert_eq!(d.added, ["Q"]);
    assert_eq!(d.removed, ["T"]);
    assert_eq!(d.changed.len(), 1, "{:?}", d.changed);
    assert_eq!(d.changed[0].id, "F");
    assert!(
        d.changed[0]
            .properties
            .iter()
            .any(|p| p.starts_with("MemorySize") || p == "+ MemorySize"),
        "{:?}",
        d.changed[0].properties
    );
    assert_eq!(d.arrows_added.len(), 1);
    assert_eq!(
        (
            d.arrows_added[0].from.as_str(),
            d.arrows_added[0].to.as_str()
        ),
        ("F", "Q")
    );
    assert_eq!(d.arrows_removed.len(), 1);
}

#[test]
fn findings_lose_their_place() {
    assert_eq!(
        unplaced("t.yaml:12: stack `a` imports `x`"),
        "stack `a` imports `x`"
    );
    assert_eq!(unplaced("F -> Q: a function"), "F -> Q: a function");
}

#[test]
fn the_diagram_marks_without_colour_and_colours_when_asked() {
    let old = sketch(&["add function F", "add table T", "connect F T write"]);
    let new = sketch(&["add function F", "add queue Q", "connect F Q"]);
    let d = diff(&old, &new, Level::Service, &costs());
    let plain = picture::draw(&d, 100, true, false);
    assert!(plain.contains("+ Q") && plain.contains("- T"), "{plain}");
    assert!(!plain.contains('\x1b'));
    let coloured = picture::draw(&d, 100, false, true);
    assert!(coloured.contains("\x1b[32m") && coloured.contains("\x1b[2;31m"));
}

#[test]
fn all_versions_hold_every_box_and_arrow_with_room_for_marks() {
    let one = sketch(&["add function F", "add table T", "connect F T write"]);
    let two = sketch(&["add function F", "add queue Q", "connect F Q"]);
    let views = [
        View::of(&two, Level::Service),
        View::of(&one, Level::Service),
    ];
    let all = picture::AllVersions::of(&views);
    let ids: Vec<&str> = all.view.nodes.iter().map(|n| n.id.as_str()).collect();
    // A function comes with its log group.
    assert_eq!(
        ids,
        ["F", "FLogs", "Q", "T"],
        "the newest version's order first"
    );
    assert!(all.view.nodes.iter().all(|n| n.label.starts_with("~ ")));
    assert_eq!(all.view.edges.len(), 3);
    assert!(
        all.view
            .edges
            .iter()
            .all(|e| e.via_label().is_some_and(|l| l.starts_with("~ ")))
    );

    // A step is drawn where the picture of all versions has its boxes,
    // with its own labels on its arrows.
    let placed = all.layout(None);
    let d = diff(&one, &two, Level::Service, &costs());
    let (view, _) = picture::union(&d, true);
    let cut = picture::cut(&placed, &view);
    assert_eq!((cut.width, cut.height), (placed.width, placed.height));
    for b in &cut.boxes {
        assert_eq!(Some(b), placed.box_of(&b.id));
    }
    assert_eq!(cut.boxes.len(), 4, "F, its logs, Q added and T removed");
    let labels: Vec<Option<&str>> = cut.edges.iter().map(|r| r.label.as_deref()).collect();
    assert!(labels.contains(&Some("+ write")), "{labels:?}");
    assert!(labels.contains(&Some("- write")), "{labels:?}");
    // The first version alone: Q and its arrow are not in it.
    let first = diff(&Sketch::new(), &one, Level::Service, &costs());
    let (view, _) = picture::union(&first, true);
    let cut = picture::cut(&placed, &view);
    assert!(cut.box_of("Q").is_none());
    assert_eq!(cut.edges.len(), 2);
    let scene = picture::scene_in(&first, &placed, false);
    assert!(scene.marks.values().all(|m| *m == picture::Mark::Added));
}

#[test]
fn a_name_shows_whole_in_every_step_whether_marked_or_not() {
    // 23 characters: one line alone, two with a mark before it.
    let name = "OrdersDeadLetterQueue12";
    let one = sketch(&["add function F", &format!("add queue {name}")]);
    let two = sketch(&[
        "add function F",
        &format!("add queue {name}"),
        "add table T",
    ]);
    let views = [
        View::of(&two, Level::Service),
        View::of(&one, Level::Service),
    ];
    let all = picture::AllVersions::of(&views);
    let placed = all.layout(None);
    let text = |s: &picture::Scene| {
        (0..s.grid.height)
            .map(|y| {
                (0..s.grid.width)
                    .map(|x| s.grid.cell(x, y).ch)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Unmarked when only the table is new; marked in the first version.
    let later = picture::scene_in(&diff(&one, &two, Level::Service, &costs()), &placed, false);
    assert!(text(&later).contains(name), "{}", text(&later));
    let first = picture::scene_in(
        &diff(&Sketch::new(), &one, Level::Service, &costs()),
        &placed,
        false,
    );
    assert!(text(&first).contains("+ OrdersDead"), "{}", text(&first));
    assert!(text(&first).contains("LetterQueue12"), "{}", text(&first));
}
