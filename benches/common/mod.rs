//! What the benchmarks share: the inputs (gen-stress output, corpus
//! templates) and Graphviz `dot` on the same graphs.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use stacksketch::model::{Sketch, View};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `gen-stress sam --resources N`, or None (with a note) when
/// the generator or python3 is missing.
pub fn stress_text(resources: usize) -> Option<String> {
    stress_text_seeded(resources, None)
}

/// Like [`stress_text`], with the generator's seed (which varies runtimes,
/// memory and the mix of events).
pub fn stress_text_seeded(resources: usize, seed: Option<u64>) -> Option<String> {
    let tool = crate_dir().join("../shared/tools/gen-stress");
    if !tool.is_file() {
        eprintln!(
            "note: {} is absent; skipping gen-stress inputs",
            tool.display()
        );
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("template.yaml");
    let ok = Command::new("python3")
        .arg(&tool)
        .args(["sam", "--resources", &resources.to_string()])
        .args(
            seed.map(|s| ["--seed".to_string(), s.to_string()])
                .into_iter()
                .flatten(),
        )
        .arg("--out")
        .arg(&out)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("note: python3 could not run gen-stress; skipping gen-stress inputs");
        return None;
    }
    std::fs::read_to_string(&out).ok()
}

pub fn stress(resources: usize) -> Option<Sketch> {
    let text = stress_text(resources)?;
    Some(stacksketch::formats::read("template.yaml", &text).expect("gen-stress output imports"))
}

/// Every corpus template that imports, in path order.
pub fn corpus() -> Vec<(String, Sketch)> {
    let root = crate_dir().join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("note: {} is absent; skipping corpus inputs", root.display());
        return Vec::new();
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            let name = f.display().to_string();
            let sketch = stacksketch::formats::read(&name, &text).ok()?;
            Some((name, sketch))
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
        {
            out.push(p);
        }
    }
}

/// Whether Graphviz `dot` runs here.
pub fn have_dot() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The view as a plain DOT graph: the same boxes (node `n<i>` for the i-th
/// node, sized like our box in inches at 10 columns and 5 rows per inch),
/// the same arrows and the same groups as clusters, left to right.
pub fn plain_dot(view: &View) -> String {
    use std::fmt::Write;
    let index: std::collections::HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut s = String::from("digraph g {\n  rankdir=LR;\n  node [shape=box, fixedsize=true];\n");
    let mut grouped: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, n) in view.nodes.iter().enumerate() {
        let (w, h) = stacksketch::layout::text::box_text(n, false).box_size();
        let _ = writeln!(
            s,
            "  n{i} [width={:.2}, height={:.2}];",
            w as f64 / 10.0,
            h as f64 / 5.0
        );
        if let Some(g) = &n.group {
            grouped.entry(g).or_default().push(i);
        }
    }
    for (k, (_, members)) in grouped.iter().enumerate() {
        let _ = write!(s, "  subgraph cluster_{k} {{");
        for m in members {
            let _ = write!(s, " n{m};");
        }
        s.push_str(" }\n");
    }
    for e in &view.edges {
        if let (Some(a), Some(b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            let _ = writeln!(s, "  n{a} -> n{b};");
        }
    }
    s.push_str("}\n");
    s
}

/// Runs `dot -Tplain` on a graph; its output.
pub fn run_dot(graph: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(graph.as_bytes())
        .expect("dot reads its input");
    let out = child.wait_with_output().expect("dot finishes");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

type Pt = (f64, f64);

/// Each edge of a `-Tplain` drawing as a polyline: its B-spline pieces
/// sampled at 16 points each.
pub fn dot_polylines(plain: &str) -> Vec<Vec<Pt>> {
    let mut out = Vec::new();
    for line in plain.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.first() != Some(&"edge") || f.len() < 4 {
            continue;
        }
        let n: usize = f[3].parse().unwrap_or(0);
        let ctrl: Vec<Pt> = (0..n)
            .filter_map(|i| {
                let x = f.get(4 + 2 * i)?.parse().ok()?;
                let y = f.get(5 + 2 * i)?.parse().ok()?;
                Some((x, y))
            })
            .collect();
        let mut poly = Vec::new();
        let mut i = 0;
        while i + 3 < ctrl.len() {
            let (p0, p1, p2, p3) = (ctrl[i], ctrl[i + 1], ctrl[i + 2], ctrl[i + 3]);
            for k in 0..=16 {
                if k == 0 && !poly.is_empty() {
                    continue;
                }
                let t = k as f64 / 16.0;
                let u = 1.0 - t;
                let b = |a: f64, b: f64, c: f64, d: f64| {
                    u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
                };
                poly.push((b(p0.0, p1.0, p2.0, p3.0), b(p0.1, p1.1, p2.1, p3.1)));
            }
            i += 3;
        }
        out.push(poly);
    }
    out
}

fn orient(a: Pt, b: Pt, c: Pt) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

fn proper(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    const E: f64 = 1e-9;
    ((o1 > E && o2 < -E) || (o1 < -E && o2 > E)) && ((o3 > E && o4 < -E) || (o3 < -E && o4 > E))
}

/// Points where two different polylines cross, bucketed on a grid so
/// large drawings stay quick.
pub fn polyline_crossings(lines: &[Vec<Pt>]) -> usize {
    let segs: Vec<(usize, Pt, Pt)> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.windows(2).map(move |w| (i, w[0], w[1])))
        .collect();
    if segs.is_empty() {
        return 0;
    }
    let cell = 0.5f64;
    let mut buckets: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for (k, &(_, a, b)) in segs.iter().enumerate() {
        let (x0, x1) = ((a.0.min(b.0) / cell) as i64, (a.0.max(b.0) / cell) as i64);
        let (y0, y1) = ((a.1.min(b.1) / cell) as i64, (a.1.max(b.1) / cell) as i64);
        for x in x0..=x1 {
            for y in y0..=y1 {
                buckets.entry((x, y)).or_default().push(k);
            }
        }
    }
    let mut pairs = std::collections::HashSet::new();
    for list in buckets.values() {
        for (i, &p) in list.iter().enumerate() {
            for &q in &list[i + 1..] {
                let ((ep, a, b), (eq, c, d)) = (segs[p], segs[q]);
                if ep != eq && proper(a, b, c, d) {
                    pairs.insert((p.min(q), p.max(q)));
                }
            }
        }
    }
    pairs.len()
}
