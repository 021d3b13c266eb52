//! Scanning a repository of 200 stacks (about 5,000 resources, half SAM
//! templates and half Terraform roots, built from gen-stress output) into
//! one sketch with its joins, and laying it out at the system level, against
//! importing the same templates and folders one by one.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::layout::{self, LayoutOptions};
use stacksketch::model::{Level, View};

const STACKS: usize = 200;
const VARIANTS: usize = 10;
const RESOURCES: usize = 18;

fn generate(kind: &str, seed: usize, out: &Path) -> bool {
    let tool = common::crate_dir().join("../shared/tools/gen-stress");
    Command::new("python3")
        .arg(&tool)
        .args([
            kind,
            "--resources",
            &RESOURCES.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Writes the repository; returns the inputs for importing one by one.
fn build(root: &Path) -> Option<(Vec<String>, Vec<BTreeMap<String, String>>)> {
    let work = tempfile::tempdir().ok()?;
    let mut sam = Vec::new();
    let mut tf = Vec::new();
    for v in 0..VARIANTS {
        let t = work.path().join(format!("t{v}.yaml"));
        let d = work.path().join(format!("tf{v}"));
        if !generate("sam", v + 1, &t) || !generate("tf", v + 1, &d) {
            eprintln!("note: gen-stress or python3 is missing; skipping");
            return None;
        }
        sam.push(std::fs::read_to_string(&t).ok()?);
        let mut files = BTreeMap::new();
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".tf") {
                files.insert(name, std::fs::read_to_string(e.path()).ok()?);
            }
        }
        tf.push(files);
    }
    let mut texts = Vec::new();
    let mut folders = Vec::new();
    for i in 0..STACKS / 2 {
        let dir = root.join(format!("services/svc{i:03}"));
        std::fs::create_dir_all(&dir).ok()?;
        // Each service writes an SSM parameter the next one reads.
        let joined = sam[i % VARIANTS].replacen(
            "\nResources:\n",
            &format!(
                "\nResources:\n  BenchUrl:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Name: /bench/svc{i:03}/url\n      Value: '{{{{resolve:ssm:/bench/svc{:03}/url}}}}'\n",
                (i + 1) % (STACKS / 2)
            ),
            1,
        );
        std::fs::write(dir.join("template.yaml"), &joined).ok()?;
        texts.push(joined);
        let dir = root.join(format!("infra/root{i:03}"));
        std::fs::create_dir_all(&dir).ok()?;
        for (n, t) in &tf[i % VARIANTS] {
            std::fs::write(dir.join(n), t).ok()?;
        }
        folders.push(tf[i % VARIANTS].clone());
    }
    Some((texts, folders))
}

fn bench(c: &mut Criterion) {
    let Some(tmp) = tempfile::tempdir().ok() else {
        return;
    };
    let Some((texts, folders)) = build(tmp.path()) else {
        return;
    };
    let root = tmp.path().to_path_buf();
    let repo = stacksketch::scan::scan(&root).expect("the repository scans");
    let sketch = repo.sketch();
    eprintln!(
        "repository: {} stacks, {} resources, {} joins",
        repo.stacks.len(),
        sketch.len(),
        sketch.joins.len()
    );
    let opts = LayoutOptions {
        max_width: Some(200),
        ..Default::default()
    };
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    g.bench_function("import one by one", |b| {
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                n += stacksketch::formats::read("template.yaml", t)
                    .unwrap()
                    .len();
            }
            for f in &folders {
                n += stacksketch::formats::terraform::import(f, "root")
                    .unwrap()
                    .len();
            }
            n
        })
    });
    g.bench_function("scan and join", |b| {
        b.iter(|| {
            let repo = stacksketch::scan::scan(&root).unwrap();
            repo.sketch().joins.len()
        })
    });
    g.bench_function("scan, join and lay out the system", |b| {
        b.iter(|| {
            let repo = stacksketch::scan::scan(&root).unwrap();
            let sketch = repo.sketch();
            let view = View::of(&sketch, Level::System);
            layout::layout(&view, &opts).width
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
