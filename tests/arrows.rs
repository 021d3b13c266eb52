//! The arrows an engineer would draw: each file under `tests/arrows/` names
//! a corpus template or Terraform folder and lists, one per line as
//! `FROM KIND TO`, the service-level arrows a careful engineer reading it
//! would draw. This test imports each input, compares the arrows it draws at
//! the service level with that list, and prints precision and recall per
//! language. The floors below are what the importers reach; a change that
//! draws worse arrows fails here.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Lowest precision and recall (in percent) accepted, per language.
const SAM_FLOOR: (f64, f64) = (95.0, 95.0);
const TF_FLOOR: (f64, f64) = (95.0, 92.0);

type Arrow = (String, String, String);

struct Truth {
    name: String,
    input: String,
    arrows: BTreeSet<Arrow>,
}

fn truths() -> Vec<Truth> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/arrows");
    let mut out = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .expect("tests/arrows is there")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "arrows"))
        .collect();
    paths.sort();
    for p in paths {
        let text = fs::read_to_string(&p).expect("a truth file");
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        let mut input = None;
        let mut arrows = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["input", path] => input = Some(path.to_string()),
                [from, kind, to] => {
                    assert!(
                        stacksketch::model::ConnectionKind::parse(kind).is_some(),
                        "{name}:{}: `{kind}` is not a connection kind",
                        i + 1
                    );
                    arrows.insert((from.to_string(), kind.to_string(), to.to_string()));
                }
                _ => panic!("{name}:{}: expected `FROM KIND TO` or `input PATH`", i + 1),
            }
        }
        let input = input.unwrap_or_else(|| panic!("{name}: no `input` line"));
        out.push(Truth {
            name,
            input,
            arrows,
        });
    }
    out
}

/// The service-level arrows and box ids the importer gives an input.
fn drawn(path: &Path) -> (BTreeSet<Arrow>, BTreeSet<String>) {
    let out = common::bin()
        .args(["export", path.to_str().unwrap(), "--to", "json"])
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON out");
    let edges = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let nodes = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    (edges, nodes)
}

#[derive(Default)]
struct Score {
    inputs: usize,
    hit: usize,
    drawn: usize,
    truth: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        if self.drawn == 0 {
            100.0
        } else {
            100.0 * self.hit as f64 / self.drawn as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.truth == 0 {
            100.0
        } else {
            100.0 * self.hit as f64 / self.truth as f64
        }
    }
}

#[test]
fn importers_draw_the_arrows_an_engineer_would() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let all = truths();
    assert!(all.len() >= 25, "at least 25 inputs have ground truth");
    let mut sam = Score::default();
    let mut tf = Score::default();
    let mut report = String::new();
    for t in &all {
        let path = corpus.join(&t.input);
        assert!(
            path.exists(),
            "{}: {} is not in the corpus",
            t.name,
            t.input
        );
        let (edges, nodes) = drawn(&path);
        for (a, _, b) in &t.arrows {
            for id in [a, b] {
                if !nodes.contains(id) {
                    report.push_str(&format!("{}: no box `{id}`\n", t.name));
                }
            }
        }
        let hit = edges.intersection(&t.arrows).count();
        let score = if path.is_dir() { &mut tf } else { &mut sam };
        score.inputs += 1;
        score.hit += hit;
        score.drawn += edges.len();
        score.truth += t.arrows.len();
        for e in edges.difference(&t.arrows) {
            report.push_str(&format!("{}: extra  {} {} {}\n", t.name, e.0, e.1, e.2));
        }
        for e in t.arrows.difference(&edges) {
            report.push_str(&format!("{}: missed {} {} {}\n", t.name, e.0, e.1, e.2));
        }
    }
    eprint!("{report}");
    for (lang, s) in [("SAM/CloudFormation", &sam), ("Terraform", &tf)] {
        eprintln!(
            "{lang}: {} inputs, {} of {} arrows drawn are right, {} of {} expected are drawn: precision {:.1}%, recall {:.1}%",
            s.inputs,
            s.hit,
            s.drawn,
            s.hit,
            s.truth,
            s.precision(),
            s.recall()
        );
    }
    for (lang, s, floor) in [("SAM", &sam, SAM_FLOOR), ("Terraform", &tf, TF_FLOOR)] {
        assert!(
            s.precision() >= floor.0 && s.recall() >= floor.1,
            "{lang}: precision {:.1}% and recall {:.1}% fell below {:.1}% and {:.1}%",
            s.precision(),
            s.recall(),
            floor.0,
            floor.1
        );
    }
}
