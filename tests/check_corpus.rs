//! `check` over the real templates and Terraform folders of the corpus:
//! a connection the catalog finds odd ("a function does not usually write
//! a function") is almost always one the importer typed wrong, so their
//! number must stay at what the importers reach now. The test prints each
//! one that is left.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use stacksketch::analysis::{self, Warning};
use stacksketch::model::{Level, Sketch, View};

/// The odd connections drawn over the corpus: none.
const MOST_ODD: usize = 0;

fn odd(sketch: &Sketch) -> Vec<String> {
    let view = View::of(sketch, Level::Service);
    analysis::check(&view)
        .into_iter()
        .filter(|w| matches!(w, Warning::Odd { .. }))
        .map(|w| w.text("->"))
        .collect()
}

#[test]
fn the_importers_type_the_corpus_connections_as_the_catalog_expects() {
    let Some(root) = common::corpus() else { return };
    let mut found: Vec<String> = Vec::new();
    let mut read = 0usize;
    for f in common::template_files(&root) {
        let p = f.to_string_lossy();
        if p.contains("/bad/") || p.contains("/repos/") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        if !common::is_template_text(&text) {
            continue;
        }
        let Ok(sketch) = stacksketch::formats::read(&p, &text) else {
            continue;
        };
        read += 1;
        found.extend(odd(&sketch).into_iter().map(|w| format!("{p}: {w}")));
    }
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut tf = Vec::new();
    common::files_under(&root, &[".tf"], &mut tf);
    for f in tf {
        if let Some(d) = f.parent() {
            dirs.insert(d.to_path_buf());
        }
    }
    for d in dirs {
        let Ok(loaded) = stacksketch::document::load(&d) else {
            continue;
        };
        read += 1;
        found.extend(
            odd(&loaded.sketch)
                .into_iter()
                .map(|w| format!("{}: {w}", d.display())),
        );
    }
    println!("{} odd connections over {read} inputs", found.len());
    for w in &found {
        println!("  {w}");
    }
    assert!(read > 200, "the corpus looks too small: {read}");
    assert!(found.len() <= MOST_ODD, "{found:#?}");
}
