//! Real templates: every one that imports gets an estimate whose total is a
//! finite, non-negative sum of its services, and whose services are each a
//! sum of their components; most real templates price something.

mod common;

use stacksketch::cost::{self, CostOptions};
use stacksketch::formats;

#[test]
fn corpus_estimates_add_up() {
    let Some(dir) = common::corpus() else { return };
    let options = CostOptions::default();
    let (mut estimated, mut priced) = (0usize, 0usize);
    for path in common::template_files(&dir) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(text) = formats::check_text(&name, &bytes) else {
            continue;
        };
        let Ok(sketch) = formats::read(&name, text) else {
            continue;
        };
        let report = cost::estimate(&sketch, &options);
        estimated += 1;
        priced += usize::from(!report.services.is_empty());
        assert!(
            report.total_monthly_usd.is_finite() && report.total_monthly_usd >= 0.0,
            "{name}: total {}",
            report.total_monthly_usd
        );
        let sum: f64 = report.services.iter().map(|s| s.monthly_usd).sum();
        assert!((sum - report.total_monthly_usd).abs() < 1e-6, "{name}");
        for s in &report.services {
            let parts: f64 = s.components.iter().map(|c| c.monthly_usd).sum();
            assert!((parts - s.monthly_usd).abs() < 1e-6, "{name}: {}", s.id);
            for c in &s.components {
                assert!(
                    c.quantity >= 0.0 && c.quantity.is_finite(),
                    "{name}: {} {}",
                    s.id,
                    c.name
                );
            }
        }
    }
    println!("cost: {priced}/{estimated} imported templates price at least one service");
    assert!(estimated > 100, "the corpus looks too small: {estimated}");
    assert!(
        priced * 2 > estimated,
        "only {priced} of {estimated} price anything"
    );
}
