//! `diff` of two versions of a large SAM template (1,000 resources from the
//! shared stress generator, seeds 1 and 2; and seed 1 against itself with
//! one queue added and connected). Reading both templates runs alongside as
//! the baseline, so figures can be read as ratios.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::catalog::Kind;
use stacksketch::cost::{CostOptions, PriceTable};
use stacksketch::diff;
use stacksketch::formats;
use stacksketch::model::Level;

fn costs() -> CostOptions {
    CostOptions {
        free_tier: false,
        budget_usd: None,
        usage_file: None,
        prices: PriceTable::embedded(),
    }
}

fn bench(c: &mut Criterion) {
    let (Some(one), Some(two)) = (
        common::stress_text_seeded(1000, Some(1)),
        common::stress_text_seeded(1000, Some(2)),
    ) else {
        eprintln!("the stress generator is not available; nothing to measure");
        return;
    };
    let read = |t: &str| formats::read("template.yaml", t).expect("the stress template reads");
    let (old, new) = (read(&one), read(&two));
    let mut edited = old.clone();
    let f = old
        .services()
        .find(|s| s.kind == Kind::Function)
        .map(|s| s.id.clone())
        .expect("the stress template has functions");
    stacksketch::command::run_script(
        &mut edited,
        &[
            "add queue BenchProbe".to_string(),
            format!("connect {f} BenchProbe"),
        ],
    )
    .unwrap();
    let costs = costs();
    let d = diff::diff(&old, &new, Level::Service, &costs);
    eprintln!(
        "seed 1 -> seed 2: {} resources -> {}; {} added, {} removed, {} changed, {} arrows added, {} removed",
        old.len(),
        new.len(),
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.arrows_added.len(),
        d.arrows_removed.len()
    );
    let mut g = c.benchmark_group("diff-1000");
    g.sample_size(20);
    g.bench_function("baseline: read both templates", |b| {
        b.iter(|| (read(&one), read(&two)))
    });
    g.bench_function("diff seed 1 -> seed 2 (service level)", |b| {
        b.iter(|| diff::diff(&old, &new, Level::Service, &costs))
    });
    g.bench_function("diff seed 1 -> one queue added (service level)", |b| {
        b.iter(|| diff::diff(&old, &edited, Level::Service, &costs))
    });
    g.bench_function("diff seed 1 -> seed 2 (resource level)", |b| {
        b.iter(|| diff::diff(&old, &new, Level::Resource, &costs))
    });
    g.bench_function("read both + diff + json", |b| {
        b.iter(|| {
            let d = diff::diff(&read(&one), &read(&two), Level::Service, &costs);
            diff::json::write(&d)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
