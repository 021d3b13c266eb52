//! How long the whiteboard takes to draw one frame of a large sketch (1,000
//! resources from the shared stress generator), at 120×40 and 240×70, with
//! the layout already worked out, as it is between keystrokes. Next to it:
//! two edits (relayout, code, cost, then the frame), and a frame that only
//! clears the screen, as the floor the figures stand on.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use stacksketch::formats;
use stacksketch::model::Dialect;
use stacksketch::tui::action::Action;
use stacksketch::tui::doc::Origin;
use stacksketch::tui::{self, App, Document, Options, ui};

fn app_for(text: &str, w: u16, h: u16) -> (App, Terminal<TestBackend>) {
    let sketch = formats::read("template.yaml", text).expect("the stress template reads");
    let doc = Document::from_sketch(sketch, None, Origin::Template(Dialect::Sam));
    let mut app = App::new(doc, Options::default());
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    tui::frame(&mut term, &mut app).unwrap();
    (app, term)
}

fn bench(c: &mut Criterion) {
    let Some(text) = common::stress_text(1000) else {
        eprintln!("the stress generator is not available; nothing to measure");
        return;
    };
    let (mut app, mut term) = app_for(&text, 120, 40);
    eprintln!(
        "stress sketch: {} resources, {} boxes at the service level, diagram {}x{} cells",
        app.doc.sketch.len(),
        app.derived.view.nodes.len(),
        app.derived.scene.grid.width,
        app.derived.scene.grid.height
    );
    // Somewhere in the middle of the diagram, with a box selected.
    if let Some(id) = app.derived.view.nodes.get(app.derived.view.nodes.len() / 2) {
        let id = id.id.clone();
        app.select(&id);
    }
    tui::frame(&mut term, &mut app).unwrap();

    let mut g = c.benchmark_group("tui-1000");
    g.bench_function("baseline: clear a 120x40 frame", |b| {
        b.iter(|| {
            term.draw(|f| f.render_widget(Block::new().style(app.theme.base), f.area()))
                .unwrap();
        })
    });
    g.bench_function("draw one frame, 120x40", |b| {
        b.iter(|| {
            term.draw(|f| ui::draw(f, &app)).unwrap();
        })
    });
    let (big, mut big_term) = app_for(&text, 240, 70);
    g.bench_function("draw one frame, 240x70", |b| {
        b.iter(|| {
            big_term.draw(|f| ui::draw(f, &big)).unwrap();
        })
    });
    g.sample_size(10);
    g.bench_function("add a service: relayout + code + cost + frame", |b| {
        b.iter(|| {
            app.run_command("add queue BenchProbe");
            tui::frame(&mut term, &mut app).unwrap();
            app.act(Action::Undo);
        })
    });
    g.bench_function("add a service: until the canvas shows it", |b| {
        b.iter_custom(|iters| {
            let mut waited = std::time::Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                app.run_command("add queue BenchProbe");
                tui::frame_first(&mut term, &mut app).unwrap();
                waited += start.elapsed();
                // Caught up and taken back, outside what the user waits for.
                tui::frame(&mut term, &mut app).unwrap();
                app.act(Action::Undo);
                tui::frame(&mut term, &mut app).unwrap();
            }
            waited
        })
    });
    // Right and back, so the box stays among the others however many
    // times it runs: two edits per iteration. The add above left the first
    // box selected; an ordinary one in the middle is moved instead.
    let middle = app.derived.view.nodes[app.derived.view.nodes.len() / 2]
        .id
        .clone();
    app.select(&middle);
    g.bench_function(
        "move a box right and back: 2 x (relayout + frame; code and cost stay)",
        |b| {
            b.iter(|| {
                app.act(Action::MoveRight);
                tui::frame(&mut term, &mut app).unwrap();
                app.act(Action::MoveLeft);
                tui::frame(&mut term, &mut app).unwrap();
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
