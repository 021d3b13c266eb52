//! Terraform translated to SAM passes cfn-lint: every corpus Terraform folder
//! is exported with `stacksketch export DIR --to sam` and the templates are
//! linted with `../shared/tools/validate-sam`. The count of errors (E codes)
//! is printed by code; no property may carry a Terraform argument over under
//! a CloudFormation-looking name (E3002, "additional properties").

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{bin, corpus, lint_sam, scratch};

fn tf_files_in(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.path().is_file() && e.path().extension().is_some_and(|x| x == "tf"))
    })
}

/// Every folder holding `.tf` files, as the Terraform corpus test finds them.
fn dirs_with_tf(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    if tf_files_in(root) {
        out.push(root.to_path_buf());
    }
    for e in entries {
        if e.is_dir() {
            dirs_with_tf(&e, out);
        }
    }
}

#[derive(Default)]
struct Lint {
    folders: usize,
    exported: usize,
    templates_with_errors: usize,
    errors: usize,
    by_code: BTreeMap<String, usize>,
    /// E3002 lines, to show what was carried over.
    e3002: Vec<String>,
}

/// Exports each folder to SAM and lints the templates.
fn lint_folders(dirs: &[PathBuf], scratch_name: &str) -> Option<Lint> {
    let out_dir = scratch(scratch_name);
    let mut l = Lint {
        folders: dirs.len(),
        ..Lint::default()
    };
    let mut templates = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        let out = out_dir.join(format!("t{i:03}.yaml"));
        let ok = bin()
            .arg("export")
            .arg(d)
            .args(["--to", "sam", "-o"])
            .arg(&out)
            .output()
            .is_ok_and(|o| o.status.success());
        if ok && out.is_file() {
            l.exported += 1;
            templates.push((d.clone(), out));
        }
    }
    let mut failing = std::collections::BTreeSet::new();
    for chunk in templates.chunks(40) {
        let files: Vec<PathBuf> = chunk.iter().map(|(_, t)| t.clone()).collect();
        let (_, text) = lint_sam(&files)?;
        for line in text.lines() {
            // FILE:LINE:COL:ENDLINE:ENDCOL:RULE:MESSAGE
            let mut parts = line.splitn(7, ':');
            let file = parts.next().unwrap_or("");
            let rule = parts.nth(4).unwrap_or("");
            if !rule.starts_with('E') || !rule[1..].chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            l.errors += 1;
            *l.by_code.entry(rule.to_string()).or_insert(0) += 1;
            failing.insert(file.to_string());
            if rule == "E3002" {
                let folder = chunk
                    .iter()
                    .find(|(_, t)| t.to_string_lossy() == file)
                    .map(|(d, _)| d.display().to_string())
                    .unwrap_or_default();
                l.e3002.push(format!("{folder}: {line}"));
            }
        }
    }
    l.templates_with_errors = failing.len();
    let _ = fs::remove_dir_all(&out_dir);
    Some(l)
}

fn report(label: &str, l: &Lint) {
    println!(
        "{label}: {} folders, {} exported to SAM, {} templates with errors, {} cfn-lint errors, {} E3002",
        l.folders,
        l.exported,
        l.templates_with_errors,
        l.errors,
        l.by_code.get("E3002").copied().unwrap_or(0)
    );
    let mut codes: Vec<(&String, &usize)> = l.by_code.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (c, n) in codes {
        println!("  {n:4}  {c}");
    }
    for e in l.e3002.iter().take(40) {
        println!("  {e}");
    }
}

fn corpus_folders() -> Option<Vec<PathBuf>> {
    let root = corpus()?;
    let mut dirs = Vec::new();
    dirs_with_tf(&root, &mut dirs);
    Some(dirs)
}

/// The project's own Terraform fixtures, and its SAM examples written as
/// Terraform and translated back: every one exports, and none carries a
/// Terraform argument over by name.
#[test]
fn the_projects_own_folders_translate_to_sam_without_carried_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = Vec::new();
    dirs_with_tf(&root.join("tests/fixtures"), &mut dirs);
    // A folder that does not parse is another test's business.
    dirs.retain(|d| !d.ends_with("broken"));
    assert!(dirs.len() >= 5, "{dirs:?}");
    let tf_dir = scratch("tf-to-sam-examples");
    let mut examples = Vec::new();
    common::files_under(&root.join("examples"), &["template.yaml"], &mut examples);
    assert!(examples.len() >= 3);
    for (i, t) in examples.iter().enumerate() {
        let out = tf_dir.join(format!("e{i:02}"));
        bin()
            .arg("export")
            .arg(t)
            .args(["--to", "terraform", "-o"])
            .arg(&out)
            .assert()
            .success();
        dirs.push(out);
    }
    let Some(l) = lint_folders(&dirs, "tf-to-sam-own") else {
        return;
    };
    let _ = fs::remove_dir_all(&tf_dir);
    report("own folders", &l);
    assert_eq!(l.exported, l.folders);
    assert!(l.e3002.is_empty(), "{:#?}", l.e3002);
}

/// A fixed sample (every 8th folder): no argument carried over by name.
#[test]
fn a_corpus_sample_translates_to_sam_without_carried_names() {
    let Some(all) = corpus_folders() else { return };
    let sample: Vec<PathBuf> = all.into_iter().step_by(8).collect();
    let Some(l) = lint_folders(&sample, "tf-to-sam-sample") else {
        return;
    };
    report("corpus sample", &l);
    // A folder with a connection that SAM has no recipe for is refused
    // (exit 1, nothing written) rather than written without it.
    assert!(
        l.exported * 3 >= l.folders * 2,
        "{} of {}",
        l.exported,
        l.folders
    );
    assert!(l.e3002.is_empty(), "{:#?}", l.e3002);
    // Translated arguments lint: at most one error in five templates (the
    // whole corpus had 124 errors in 56 templates before the property maps,
    // 6 in 64 after).
    assert!(l.errors * 5 <= l.exported, "{:?}", l.by_code);
}

/// Every corpus folder. Slow (cfn-lint starts Python for each template): run
/// with `cargo test --release --test terraform_to_sam_lint -- --ignored --nocapture`.
#[test]
#[ignore]
fn every_corpus_folder_translates_to_sam_that_lints() {
    let Some(all) = corpus_folders() else { return };
    let Some(l) = lint_folders(&all, "tf-to-sam-all") else {
        return;
    };
    report("corpus", &l);
    assert!(l.e3002.is_empty(), "{:#?}", l.e3002);
}
