//! Stepping through the history of a large SAM template (1,000 resources
//! from the shared stress generator) in a git repository of three commits:
//! the template, a queue added and connected, a table added and connected.
//! Reading the template runs alongside as the baseline, so figures can be
//! read as ratios: opening the history (reading every version out of git and
//! laying all of them out once) and one step (a diff and its drawing).

mod common;

use stacksketch::catalog::Kind;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::cost::{CostOptions, PriceTable};
use stacksketch::formats;
use stacksketch::model::Level;
use stacksketch::tui::timeline::Timeline;

fn costs() -> CostOptions {
    CostOptions {
        free_tier: false,
        budget_usd: None,
        usage_file: None,
        prices: PriceTable::embedded(),
    }
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().expect("a parent"))
        .args([
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.com",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

fn bench(c: &mut Criterion) {
    let Some(text) = common::stress_text_seeded(1000, Some(1)) else {
        eprintln!("the stress generator is not available; nothing to measure");
        return;
    };
    let read = |t: &str| formats::read("template.yaml", t).expect("the stress template reads");
    let mut sketch = read(&text);
    let f = sketch
        .services()
        .find(|s| s.kind == Kind::Function)
        .map(|s| s.id.clone())
        .expect("the stress template has functions");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    let file = root.join("template.yaml");
    git(&root, &["init", "-q"]);
    std::fs::write(&file, &text).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "The template"]);
    for (name, kind) in [("BenchQueue", "queue"), ("BenchTable", "table")] {
        stacksketch::command::run_script(
            &mut sketch,
            &[format!("add {kind} {name}"), format!("connect {f} {name}")],
        )
        .unwrap();
        std::fs::write(&file, formats::sam::export(&sketch).text()).unwrap();
        git(&root, &["commit", "-q", "-am", name]);
    }
    let open = || Timeline::open(&file, Level::Service, false, costs(), Some(120)).unwrap();
    let t = open();
    let grid = &t.shown.as_ref().unwrap().scene.grid;
    eprintln!(
        "{} resources, {} steps; the picture of all versions is {}x{}",
        sketch.len(),
        t.steps(),
        grid.width,
        grid.height
    );
    let mut g = c.benchmark_group("history-1000");
    g.sample_size(10);
    g.bench_function("baseline: read the template", |b| b.iter(|| read(&text)));
    g.bench_function("open the history of 3 commits", |b| b.iter(open));
    let mut t = open();
    g.bench_function("one step (service level)", |b| {
        // Between the two oldest steps, one step each time.
        b.iter(|| {
            if !t.older() {
                t.newer();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
