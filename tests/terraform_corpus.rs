//! The Terraform half of the corpus: every folder imports and writes back
//! byte for byte. Reads `../shared/corpus` next to the crate and skips with
//! a note when it is not there.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use stacksketch::formats::terraform;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        println!("note: ../shared/corpus is not here; skipping the corpus walk");
        None
    }
}

fn tf_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn dirs_with_tf(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    if !tf_files_in(root).is_empty() {
        out.push(root.to_path_buf());
    }
    for e in entries {
        if e.is_dir() {
            dirs_with_tf(&e, out);
        }
    }
}

/// A folder as the CLI reads it: its `.tf` files and those of the local
/// modules it calls, by relative path. Also returns the module folders used.
fn load(dir: &Path) -> (BTreeMap<String, String>, Vec<PathBuf>) {
    let mut files = BTreeMap::new();
    let mut used = Vec::new();
    let add = |rel: &str, files: &mut BTreeMap<String, String>| {
        let d = if rel.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(rel)
        };
        for f in tf_files_in(&d) {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let key = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if let Ok(text) = fs::read_to_string(&f) {
                files.insert(key, text);
            }
        }
        d
    };
    add("", &mut files);
    for _ in 0..8 {
        let missing = terraform::missing_module_dirs(&files);
        let mut grew = false;
        for m in missing {
            if m.starts_with("..") {
                continue;
            }
            let before = files.len();
            let d = add(&m, &mut files);
            if files.len() > before {
                grew = true;
                used.push(d);
            }
        }
        if !grew {
            break;
        }
    }
    (files, used)
}

#[test]
fn every_corpus_folder_imports_and_writes_back() {
    let Some(root) = corpus() else { return };
    let mut dirs = Vec::new();
    dirs_with_tf(&root, &mut dirs);
    let mut modules: BTreeSet<PathBuf> = BTreeSet::new();
    let mut loaded = Vec::new();
    for d in &dirs {
        let (files, used) = load(d);
        modules.extend(used);
        loaded.push((d.clone(), files));
    }
    let (mut total, mut imported, mut exact) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for (d, files) in loaded {
        if modules.contains(&d) {
            continue;
        }
        total += 1;
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        match terraform::import(&files, &name) {
            Ok(sketch) => {
                imported += 1;
                let out = terraform::export(&sketch);
                if out.files == files {
                    exact += 1;
                } else {
                    failures.push(format!("{}: not byte for byte", d.display()));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", d.display())),
        }
    }
    println!(
        "terraform corpus: {total} folders, {imported} imported ({:.1}%), {exact} written back byte for byte ({:.1}% of imported)",
        100.0 * imported as f64 / total.max(1) as f64,
        100.0 * exact as f64 / imported.max(1) as f64
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(total > 0);
    assert!(imported * 100 >= total * 99, "{failures:#?}");
    assert_eq!(exact, imported, "{failures:#?}");
}

/// An edit on every corpus folder with a function: add a topic, connect the
/// function to it. The result reads back with the new arrow, and every file
/// the edit did not need is unchanged.
#[test]
fn every_corpus_folder_takes_an_edit() {
    use stacksketch::command;
    use stacksketch::model::ConnectionKind;
    let Some(root) = corpus() else { return };
    let mut dirs = Vec::new();
    dirs_with_tf(&root, &mut dirs);
    let (mut tried, mut ok) = (0usize, 0usize);
    let mut failures = Vec::new();
    for d in dirs {
        let (files, _) = load(&d);
        let Ok(mut sketch) = terraform::import(&files, "x") else {
            continue;
        };
        let Some(f) = sketch
            .services()
            .find(|s| s.type_name == "aws_lambda_function" && !s.id.starts_with("module."))
            .map(|s| s.id.clone())
        else {
            continue;
        };
        tried += 1;
        let script = vec![
            "add topic sketch_alerts".to_string(),
            format!("connect {f} sketch_alerts"),
        ];
        if let Err(e) = command::run_script(&mut sketch, &script) {
            failures.push(format!("{}: {e}", d.display()));
            continue;
        }
        let out = terraform::export(&sketch);
        match terraform::import(&out.files, "x") {
            Ok(back)
                if back.is_connected(
                    &f,
                    "aws_sns_topic.sketch_alerts",
                    Some(ConnectionKind::Publish),
                ) =>
            {
                ok += 1;
            }
            Ok(_) => failures.push(format!("{}: the arrow did not read back", d.display())),
            Err(e) => failures.push(format!("{}: {e}", d.display())),
        }
        // Files holding neither the function nor anything new stay as they were.
        for (path, text) in &files {
            let touched = out.files.get(path) != Some(text);
            if touched && !text.contains(&format!("\"{}\"", f.rsplit('.').next().unwrap())) {
                let added_only = out.files[path].starts_with(text.as_str());
                assert!(added_only, "{}: {path} changed", d.display());
            }
        }
    }
    println!("terraform corpus edits: {ok} of {tried} folders with a function take the edit");
    for f in &failures {
        println!("  {f}");
    }
    assert!(ok * 100 >= tried * 95, "{failures:#?}");
}
