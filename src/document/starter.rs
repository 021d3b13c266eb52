//! Starter code for a sketch written to a new place: a handler and a sample
//! event for each function whose code folder is not there yet.

use std::collections::BTreeMap;
use std::path::Path;

use super::{self as io, Result};
use crate::code::{self, Runtime};
use crate::formats;
use crate::model::{Dialect, Sketch};

/// The folder a written template or Terraform folder's code paths are
/// relative to.
pub fn project_root(out: &Path) -> &Path {
    let is_file = out.extension().is_some_and(|e| {
        matches!(
            e.to_str(),
            Some("yaml" | "yml" | "json" | "template" | "tf")
        )
    });
    if is_file {
        match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    } else {
        out
    }
}

/// Writes the starter files `written` (the sketch as read back from what was
/// just written) needs under `root`, never over anything that exists;
/// returns what it wrote, relative to `root`.
pub fn write(written: &Sketch, root: &Path, runtime: Runtime) -> Result<Vec<String>> {
    let mut files = BTreeMap::new();
    for f in code::starter_files(written, runtime) {
        if f.guards.iter().any(|g| root.join(g).exists()) || root.join(&f.path).exists() {
            continue;
        }
        files.insert(f.path, f.text);
    }
    if files.is_empty() {
        return Ok(Vec::new());
    }
    io::write_folder(root, &files)?;
    Ok(files.into_keys().collect())
}

/// The sketch as the files just written say it, for finding code folders.
pub fn read_back(files: &BTreeMap<String, String>, dialect: Dialect) -> Option<Sketch> {
    match dialect {
        Dialect::Terraform => formats::terraform::import(files, "out").ok(),
        Dialect::Sam => {
            let (name, text) = files.iter().next()?;
            formats::read(name, text).ok()
        }
    }
}
