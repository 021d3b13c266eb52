//! Handler code read across the corpus: the shopping cart repository (its
//! Python handlers are there) and every serverless pattern (the corpus keeps
//! their templates only, so what is read there is inline code). Prints how
//! many functions' code was found and read, the inferred arrows and the
//! findings (run with `--nocapture` to see them), and holds floors so a
//! change that stops reading code shows.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stacksketch::code::handlers::{Report, Status, Target};
use stacksketch::document::{self, code};

#[derive(Default)]
struct Tally {
    inputs: usize,
    functions: usize,
    found: usize,
    read: usize,
    complete: usize,
    calls: usize,
    tied: usize,
    inferred: usize,
    missing: usize,
    unused: usize,
    unknown: usize,
    log: String,
}

impl Tally {
    fn add(&mut self, name: &str, r: &Report) {
        self.inputs += 1;
        for f in &r.functions {
            self.functions += 1;
            match &f.status {
                Status::Read => {
                    self.found += 1;
                    self.read += 1;
                    self.complete += 1;
                }
                Status::Partly(_) => {
                    self.found += 1;
                    self.read += 1;
                }
                Status::NotRead(_) => self.found += 1,
                Status::NotFound(_) => {}
            }
            self.calls += f.calls.len();
            self.tied += f
                .calls
                .iter()
                .filter(|c| matches!(c.target, Target::Service(_)))
                .count();
        }
        self.inferred += r.inferred.len();
        for i in &r.inferred {
            let _ = writeln!(
                self.log,
                "{name}: inferred {} -> {} ({}) at {}",
                i.from,
                i.to,
                i.kind.word(),
                i.evidence
            );
        }
        for f in &r.findings {
            let t = f.text();
            if t.contains(": missing permission:") {
                self.missing += 1;
            } else if t.contains(": unused grant:") {
                self.unused += 1;
            } else {
                self.unknown += 1;
            }
            let _ = writeln!(self.log, "{name}: {t}");
        }
    }
}

fn inputs(corpus: &Path) -> Vec<PathBuf> {
    let mut out = vec![corpus.join("repos/aws-serverless-shopping-cart")];
    let patterns = corpus.join("serverless-patterns");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&patterns)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    // The corpus keeps templates only: a pattern's handlers are there when
    // they are inline in its template, or when its folder ships them.
    out.extend(dirs);
    out
}

#[test]
fn handler_code_across_the_corpus() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut t = Tally::default();
    for dir in inputs(&corpus) {
        let Ok(mut loaded) = document::load(&dir) else {
            continue;
        };
        let report = code::with_code(&mut loaded);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        t.add(&name, &report);
    }
    println!("{}", t.log);
    println!(
        "inputs {} · functions {} · code found {} · read {} (completely {}) · calls {} (tied to a resource {}) · inferred arrows {} · missing permissions {} · unused grants {} · unknown targets {}",
        t.inputs,
        t.functions,
        t.found,
        t.read,
        t.complete,
        t.calls,
        t.tied,
        t.inferred,
        t.missing,
        t.unused,
        t.unknown
    );
    // Handlers inline in templates, and the shopping cart's ten.
    assert!(t.read >= 30, "read {} of {} functions", t.read, t.functions);
    assert!(t.tied * 2 > t.calls, "tied {} of {} calls", t.tied, t.calls);
}
