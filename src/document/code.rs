//! Reading the handler code of what was opened: each stack's functions,
//! their paths resolved against the stack's folder and kept inside the
//! folder that was opened (a template's own folder, a repository's root).

use crate::catalog::Kind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Loaded;
use crate::code::handlers::{self, Report, Stack};
use crate::model::{Dialect, Sketch};

/// Reads the code of every function of what was loaded.
pub fn read_code(loaded: &Loaded) -> Report {
    read_code_of(&loaded.sketch, &loaded.path, loaded.repo.as_ref())
}

/// Reads the code of every function of `sketch`, read from `path` (a
/// folder of stacks when `repo` is given).
pub fn read_code_of(sketch: &Sketch, path: &Path, repo: Option<&crate::scan::Repo>) -> Report {
    if let Some(repo) = repo {
        let mut report = Report::default();
        for st in &repo.stacks {
            let dir = match st.dialect {
                Dialect::Terraform => repo.root.join(&st.file),
                Dialect::Sam => repo.root.join(&st.dir),
            };
            let templates = shown_texts(&dir, &st.files, Some(&repo.root));
            let stack = Stack {
                sketch: &st.sketch,
                dir: &dir,
                root: &repo.root,
                templates,
                shown_from: Some(&repo.root),
            };
            report.extend(handlers::read(&stack).prefixed(&st.id));
        }
        return report;
    }
    let (dir, single) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        (
            parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            Some(path),
        )
    };
    let templates = match (single, &sketch.source) {
        // One template: shown as the user named it.
        (Some(p), Some(src)) if src.files.len() == 1 => src
            .files
            .values()
            .map(|t| {
                (
                    super::display(p).trim_start_matches("./").to_string(),
                    t.clone(),
                )
            })
            .collect(),
        (_, Some(src)) => shown_texts(&dir, &src.files, None),
        (_, None) => BTreeMap::new(),
    };
    handlers::read(&Stack {
        sketch,
        dir: &dir,
        root: &dir,
        templates,
        shown_from: None,
    })
}

/// Reads the code and draws the arrows it makes that the template does not.
pub fn with_code(loaded: &mut Loaded) -> Report {
    let report = read_code(loaded);
    handlers::add_inferred(&mut loaded.sketch, &report);
    report
}

/// Template texts keyed by their path under `dir`, as shown.
fn shown_texts(
    dir: &Path,
    files: &BTreeMap<String, String>,
    from: Option<&Path>,
) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(k, t)| (handlers::source::shown(&dir.join(k), from), t.clone()))
        .collect()
}

/// Lines that say which functions' code was not found or not read.
pub fn coverage_lines(report: &Report) -> Vec<String> {
    use handlers::Status;
    report
        .functions
        .iter()
        .filter_map(|f| match &f.status {
            Status::Read => None,
            Status::Partly(gaps) => Some(format!(
                "code of {} read in part: {}",
                f.function,
                gaps.join("; ")
            )),
            Status::NotFound(why) => Some(format!("code of {} not found: {why}", f.function)),
            Status::NotRead(why) => Some(format!("code of {} not read: {why}", f.function)),
        })
        .collect()
}

/// Whether a sketch has functions at all (reading code is then worth saying).
pub fn has_functions(sketch: &Sketch) -> bool {
    sketch.services().any(|s| s.kind == Kind::Function)
}
