//! Speed of the layout, against Graphviz `dot` as the baseline measured in
//! the same run:
//!
//! - a full render (import, layout, draw) of gen-stress at 1,000 resources
//!   against `dot -Tplain` laying out the same graph (goal: at most half
//!   of dot's time);
//! - the layout alone at 5,000 resources (goal: under 2 s);
//! - `render` of 10,000 resources cut into parts at 100 columns, against
//!   reading the same template (the ratio says what drawing adds).
//!
//! `cargo bench --bench layout`. Without python3 there are no inputs;
//! without `dot` its side is skipped. The ratio is printed at the end.

mod common;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use stacksketch::canvas::{self, CanvasOptions};
use stacksketch::layout::{self, LayoutOptions};
use stacksketch::model::{Level, View};

thread_local! {
    /// (total time, iterations) per measured function, for the ratio.
    static TIMES: RefCell<Vec<(&'static str, Duration, u64)>> = const { RefCell::new(Vec::new()) };
}

fn record(name: &'static str, total: Duration, iters: u64) {
    TIMES.with(|t| {
        let mut t = t.borrow_mut();
        match t.iter_mut().find(|e| e.0 == name) {
            Some(e) => {
                e.1 += total;
                e.2 += iters;
            }
            None => t.push((name, total, iters)),
        }
    });
}

fn mean(name: &str) -> Option<f64> {
    TIMES.with(|t| {
        t.borrow()
            .iter()
            .find(|e| e.0 == name)
            .map(|e| e.1.as_secs_f64() / e.2.max(1) as f64)
    })
}

fn render_1000(c: &mut Criterion) {
    let Some(text) = common::stress_text(1000) else {
        return;
    };
    let mut group = c.benchmark_group("render 1000 resources");
    group.sample_size(20);
    group.bench_function("stacksketch render", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let sketch = stacksketch::formats::read("template.yaml", &text).unwrap();
                let view = View::of(&sketch, Level::Service);
                let l = layout::layout(
                    &view,
                    &LayoutOptions {
                        max_width: Some(100),
                        ..LayoutOptions::default()
                    },
                );
                let grid = canvas::draw(&view, &l, &CanvasOptions::default());
                std::hint::black_box(grid.to_text());
            }
            let t = start.elapsed();
            record("ours", t, iters);
            t
        })
    });
    if common::have_dot() {
        let sketch = stacksketch::formats::read("template.yaml", &text).unwrap();
        let graph = common::plain_dot(&View::of(&sketch, Level::Service));
        group.bench_function("dot -Tplain", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    std::hint::black_box(common::run_dot(&graph));
                }
                let t = start.elapsed();
                record("dot", t, iters);
                t
            })
        });
    } else {
        eprintln!("note: `dot` is not installed (apt-get install -y graphviz); no baseline");
    }
    group.finish();
}

fn layout_5000(c: &mut Criterion) {
    let Some(sketch) = common::stress(5000) else {
        return;
    };
    let view = View::of(&sketch, Level::Service);
    let mut group = c.benchmark_group("layout 5000 resources");
    group.sample_size(10);
    group.bench_function("layout", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                std::hint::black_box(layout::layout(&view, &LayoutOptions::default()));
            }
            let t = start.elapsed();
            record("layout 5000", t, iters);
            t
        })
    });
    group.finish();
}

fn render_parts_10000(c: &mut Criterion) {
    let Some(text) = common::stress_text(10_000) else {
        return;
    };
    let mut group = c.benchmark_group("render 10000 resources in parts");
    group.sample_size(10);
    group.bench_function("read the template", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                std::hint::black_box(stacksketch::formats::read("template.yaml", &text).unwrap());
            }
            let t = start.elapsed();
            record("read 10000", t, iters);
            t
        })
    });
    group.bench_function("render at 100 columns", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let sketch = stacksketch::formats::read("template.yaml", &text).unwrap();
                std::hint::black_box(stacksketch::cli::render::diagram(
                    &sketch,
                    Level::Service,
                    layout::Direction::LeftRight,
                    100,
                    false,
                ));
            }
            let t = start.elapsed();
            record("render 10000", t, iters);
            t
        })
    });
    group.finish();
}

criterion_group!(benches, render_1000, layout_5000, render_parts_10000);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let (Some(ours), Some(dot)) = (mean("ours"), mean("dot")) {
        println!(
            "render 1000: ours {:.1} ms, dot -Tplain {:.1} ms, ratio {:.3} (goal <= 0.5)",
            ours * 1e3,
            dot * 1e3,
            ours / dot
        );
    }
    if let Some(t) = mean("layout 5000") {
        println!("layout 5000: {:.3} s (goal < 2 s)", t);
    }
    if let (Some(render), Some(read)) = (mean("render 10000"), mean("read 10000")) {
        println!(
            "render 10000 in parts: {:.2} s, {:.1}x reading the template ({:.2} s)",
            render,
            render / read,
            read
        );
    }
}
