//! Import and export of a large SAM template (1,000 resources from the
//! shared stress generator): import alone, import + graph JSON, and import +
//! SAM written back over the original text. Plain JSON parsing of the same
//! template runs alongside as a baseline, so figures can be read as ratios.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::formats::{self, sam};
use stacksketch::model::Level;

fn bench(c: &mut Criterion) {
    let Some(text) = common::stress_text(1000) else {
        eprintln!("the stress generator is not available; nothing to measure");
        return;
    };
    let sketch = formats::read("template.yaml", &text).expect("the stress template reads");
    eprintln!(
        "stress template: {} resources, {} connections",
        sketch.len(),
        sketch.connection_count()
    );
    let mut g = c.benchmark_group("sam-1000");
    g.bench_function("baseline: parse YAML only", |b| {
        b.iter(|| sam::parse_document("template.yaml", &text).unwrap())
    });
    g.bench_function("import", |b| {
        b.iter(|| formats::read("template.yaml", &text).unwrap())
    });
    g.bench_function("import + json export", |b| {
        b.iter(|| {
            let s = formats::read("template.yaml", &text).unwrap();
            formats::json::export(&s, Level::Service)
        })
    });
    g.bench_function("import + sam export (unchanged)", |b| {
        b.iter(|| {
            let s = formats::read("template.yaml", &text).unwrap();
            sam::export(&s)
        })
    });
    let mut edited = sketch.clone();
    stacksketch::command::run_script(&mut edited, &["add queue BenchProbe".to_string()]).unwrap();
    g.bench_function("sam export after an edit", |b| {
        b.iter(|| sam::export(&edited))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
