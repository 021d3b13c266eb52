//! Edge crossings, ours against Graphviz `dot`, over the corpus and
//! gen-stress graphs (left to right, unfolded). Prints the
//! totals and their ratio; the goal is at most 1.2 times dot's.
//!
//! `cargo bench --bench crossings [-- FILTER] [-- --resource]` (the
//! resource level instead of the service level). Skips everything when
//! `dot` is missing.

mod common;

use stacksketch::layout::{self, LayoutOptions};
use stacksketch::model::{Level, View};

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks inputs by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let level = if std::env::args().any(|a| a == "--resource") {
        Level::Resource
    } else {
        Level::Service
    };
    if !common::have_dot() {
        eprintln!("note: `dot` is not installed (apt-get install -y graphviz); nothing to compare");
        return;
    }
    let mut inputs = common::corpus();
    for n in [100, 300, 1000] {
        if let Some(s) = common::stress(n) {
            inputs.push((format!("gen-stress {n}"), s));
        }
    }
    let (mut ours_total, mut dot_total) = (0usize, 0usize);
    let mut rows = Vec::new();
    for (name, sketch) in &inputs {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let view = View::of(sketch, level);
        if view.edges.len() < 2 {
            continue;
        }
        let ours = layout::layout(&view, &LayoutOptions::default())
            .quality()
            .crossings;
        let plain = common::run_dot(&common::plain_dot(&view));
        let theirs = common::polyline_crossings(&common::dot_polylines(&plain));
        ours_total += ours;
        dot_total += theirs;
        rows.push((name.clone(), ours, theirs));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.abs_diff(r.2)));
    println!("largest differences (ours, dot):");
    for (name, ours, theirs) in rows.iter().take(12) {
        println!("  {ours:6} {theirs:6}  {name}");
    }
    let (co, cd) = rows
        .iter()
        .filter(|r| !r.0.starts_with("gen-stress"))
        .fold((0, 0), |(a, b), r| (a + r.1, b + r.2));
    println!(
        "corpus templates alone: ours {co}, dot {cd}, ratio {:.3}",
        co as f64 / cd.max(1) as f64
    );
    println!(
        "crossings over {} graphs: ours {ours_total}, dot {dot_total}, ratio {:.3}",
        rows.len(),
        ours_total as f64 / dot_total.max(1) as f64
    );
}
