//! Recovery files, like an editor's swap file: when the app is ended from
//! outside (a dropped SSH connection, SIGTERM, SIGINT) or panics with
//! unsaved changes, the sketch is written as a native sketch file into the
//! user's state directory (never beside the user's own files). Opening the
//! same path again offers it back; saving or declining removes it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::formats;
use crate::model::Sketch;

/// Overrides where recovery files go (tests, or a user who wants them
/// somewhere else).
pub const DIR_VAR: &str = "STACKSKETCH_RECOVERY_DIR";

/// The first line of a recovery file names the file it belongs to.
const HEADER: &str = "# stacksketch recovery for: ";

/// The folder recovery files live in: `$STACKSKETCH_RECOVERY_DIR`, else the
/// user's state directory, else the cache directory.
pub fn dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(DIR_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    dirs::state_dir()
        .or_else(dirs::cache_dir)
        .map(|d| d.join("stacksketch").join("recovery"))
}

/// The key a document is known by: its absolute path, or `untitled` for a
/// sketch with no file yet.
fn key(path: Option<&Path>) -> String {
    match path {
        Some(p) => std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .to_string_lossy()
            .to_string(),
        None => "untitled".to_string(),
    }
}

/// FNV-1a: a hash that stays the same from one build to the next, so a
/// later run finds what an earlier one wrote.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where the recovery file of the document at `path` goes.
pub fn file_for(path: Option<&Path>) -> Option<PathBuf> {
    let key = key(path);
    let base: String = path
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| "untitled".to_string())
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    Some(dir()?.join(format!("{base}-{:016x}.sketch.yaml", fnv(&key))))
}

/// Writes the sketch as the recovery of the document at `path`; returns
/// where it went.
pub fn write(path: Option<&Path>, sketch: &Sketch) -> Result<PathBuf, String> {
    let file = file_for(path).ok_or("there is no state or cache directory")?;
    if let Some(d) = file.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700));
        }
    }
    let text = format!("{HEADER}{}\n{}", key(path), formats::sketch::write(sketch));
    crate::document::write_atomic(&file, &text).map_err(|e| e.to_string())?;
    Ok(file)
}

/// Unsaved work kept from an earlier run.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub file: PathBuf,
    pub sketch: Sketch,
    /// When it was written, if the file system says.
    pub written: Option<SystemTime>,
}

impl Recovery {
    /// How long ago it was written, in words.
    pub fn age(&self) -> String {
        let Some(secs) = self
            .written
            .and_then(|w| SystemTime::now().duration_since(w).ok())
            .map(|d| d.as_secs())
        else {
            return "earlier".to_string();
        };
        match secs {
            0..60 => "just now".to_string(),
            60..3600 => format!("{} min ago", secs / 60),
            3600..86400 => format!("{} h ago", secs / 3600),
            _ => format!("{} days ago", secs / 86400),
        }
    }
}

/// The recovery of the document at `path`, if one was kept. A recovery
/// file that does not read (or belongs to another path with the same
/// hash) is left alone and not offered.
pub fn find(path: Option<&Path>) -> Option<Recovery> {
    let file = file_for(path)?;
    let text = std::fs::read_to_string(&file).ok()?;
    let first = text.lines().next()?;
    if first.strip_prefix(HEADER)? != key(path) {
        return None;
    }
    let sketch = formats::sketch::read(&file.display().to_string(), &text).ok()?;
    let written = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
    Some(Recovery {
        file,
        sketch,
        written,
    })
}

/// Forgets the recovery of the document at `path`, if there is one.
pub fn remove(path: Option<&Path>) {
    if let Some(file) = file_for(path) {
        let _ = std::fs::remove_file(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_sketch_is_found_again_for_its_path_only() {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: only this test sets the variable in this process's tests.
        unsafe { std::env::set_var(DIR_VAR, dir.path()) };
        let mut sketch = Sketch::new();
        sketch.name = Some("kept".into());
        let a = Path::new("some/where/template.yaml");
        let file = write(Some(a), &sketch).unwrap();
        assert!(file.starts_with(dir.path()));
        let found = find(Some(a)).expect("found");
        assert_eq!(found.sketch.name.as_deref(), Some("kept"));
        assert!(find(Some(Path::new("other/template.yaml"))).is_none());
        assert!(find(None).is_none());
        remove(Some(a));
        assert!(find(Some(a)).is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
