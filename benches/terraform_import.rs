//! Importing the 1,000-resource Terraform folder that
//! `../shared/tools/gen-stress tf --resources 1000` writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::formats::terraform;

fn stress_folder() -> Option<BTreeMap<String, String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tool = root.join("../shared/tools/gen-stress");
    if !tool.is_file() {
        println!("note: ../shared/tools/gen-stress is not here; nothing to measure");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("stacksketch-stress-tf-{}", std::process::id()));
    let ok = Command::new("python3")
        .arg(&tool)
        .args(["tf", "--resources", "1000", "--out"])
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("note: gen-stress failed; nothing to measure");
        return None;
    }
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(&dir).ok()? {
        let p = e.ok()?.path();
        if p.extension().is_some_and(|x| x == "tf") {
            let name = p.file_name()?.to_string_lossy().to_string();
            files.insert(name, std::fs::read_to_string(&p).ok()?);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Some(files)
}

fn bench(c: &mut Criterion) {
    let Some(files) = stress_folder() else { return };
    let sketch = terraform::import(&files, "stress").expect("the stress folder imports");
    println!(
        "stress folder: {} files, {} services, {} connections",
        files.len(),
        sketch.len(),
        sketch.connection_count()
    );
    c.bench_function("terraform import, 1000 resources", |b| {
        b.iter(|| terraform::import(std::hint::black_box(&files), "stress").unwrap())
    });
    c.bench_function("terraform export unchanged, 1000 resources", |b| {
        b.iter(|| terraform::export(std::hint::black_box(&sketch)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
