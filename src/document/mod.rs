//! Opening, reading and saving documents, for the commands and the
//! whiteboard alike: reading an input (template, sketch file, Terraform
//! folder, folder of stacks, and the layout sidecar beside it), and atomic
//! saves that cannot be redirected.

pub mod code;
pub mod git;
pub mod starter;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::formats::{self, FormatError};
use crate::model::Sketch;

/// Why a command failed, and so how it exits.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: exit 1.
    Input(String),
    /// Bad usage: exit 2.
    Usage(String),
    /// A budget or check failed: its own exit code.
    Exit(i32, String),
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Failure {
        Failure::Input(e.to_string())
    }
}

impl From<DocumentError> for Failure {
    fn from(e: DocumentError) -> Failure {
        Failure::Input(e.to_string())
    }
}

/// What can go wrong opening, reading or saving a document.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The text is not what its format allows; says FILE:LINE:COL.
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("{path}: cannot read it: {}", io_reason(.source))]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: cannot write it: {}", io_reason(.source))]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: cannot create the folder: {}", io_reason(.source))]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: there are no .tf files in this folder\n  hint: give a Terraform folder, a .tf file, a SAM/CloudFormation template or a .sketch.yaml file"
    )]
    NoTerraform { path: String },
    #[error(
        "{path} is read-only; it is replaced only when forced (:w! in the app, --force on the command line)"
    )]
    ReadOnly { path: String },
}

impl DocumentError {
    fn read(path: &Path, source: std::io::Error) -> DocumentError {
        DocumentError::Read {
            path: display(path),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, DocumentError>;

/// A sketch as read from a path, with what it takes to write it back.
pub struct Loaded {
    pub sketch: Sketch,
    /// The path as the user gave it.
    pub path: PathBuf,
    /// For a folder of stacks: the stacks, as read.
    pub repo: Option<crate::scan::Repo>,
}

/// The built-in example, opened when no path is given.
pub const EXAMPLE_NAME: &str = "example.yaml";
pub const EXAMPLE: &str = include_str!("../../examples/queue-pipeline/template.yaml");

pub fn example() -> Sketch {
    let mut s = formats::read(EXAMPLE_NAME, EXAMPLE).expect("the built-in example reads");
    s.name = Some("example".to_string());
    s
}

pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Where the layout sidecar of an input lives: `.NAME.stacksketch.yaml`
/// beside a template, `.stacksketch.yaml` inside a folder.
pub fn sidecar_path(input: &Path) -> Option<PathBuf> {
    if input.is_dir() {
        return Some(input.join(".stacksketch.yaml"));
    }
    let name = input.file_name()?.to_str()?;
    if formats::Format::from_path(name) == Some(formats::Format::Sketch) {
        return None;
    }
    Some(input.with_file_name(format!(".{name}.stacksketch.yaml")))
}

/// Reads a template, a Terraform folder or file, or a sketch file.
pub fn load(path: &Path) -> Result<Loaded> {
    let name = display(path);
    let meta = fs::metadata(path).map_err(|e| DocumentError::read(path, e))?;
    let mut repo = None;
    let mut sketch = if meta.is_dir() && !crate::scan::is_single_terraform_root(path) {
        let r = crate::scan::scan(path)?;
        let mut s = r.sketch();
        price_stacks(&mut s);
        repo = Some(r);
        s
    } else if meta.is_dir() {
        load_folder(path)?
    } else {
        let bytes = fs::read(path).map_err(|e| DocumentError::read(path, e))?;
        let text = formats::check_text(&name, &bytes)?;
        if formats::Format::from_path(&name) == Some(formats::Format::Terraform) {
            read_terraform_file(path, text)?
        } else {
            read_text(&name, text)?
        }
    };
    if let Some(side) = sidecar_path(path).filter(|p| p.is_file()) {
        let sname = display(&side);
        let bytes = fs::read(&side).map_err(|e| DocumentError::read(&side, e))?;
        let text = formats::check_text(&sname, &bytes)?;
        formats::sketch::apply_sidecar(&mut sketch, &sname, text)?;
    }
    Ok(Loaded {
        sketch,
        path: path.to_path_buf(),
        repo,
    })
}

/// INPUT and any more paths given with it: one path reads as it is;
/// several read together as one system of stacks.
pub fn load_inputs(first: &Path, more: &[PathBuf]) -> Result<Loaded> {
    if more.is_empty() {
        return load(first);
    }
    let mut all = vec![first.to_path_buf()];
    all.extend(more.iter().cloned());
    let repo = crate::scan::scan_paths(&all)?;
    let mut sketch = repo.sketch();
    price_stacks(&mut sketch);
    Ok(Loaded {
        sketch,
        path: first.to_path_buf(),
        repo: Some(repo),
    })
}

/// Each stack's monthly cost, with usage flowing along every arrow,
/// those between stacks too.
pub fn price_stacks(sketch: &mut Sketch) {
    let report = crate::cost::estimate(
        sketch,
        &crate::cost::CostOptions {
            free_tier: false,
            budget_usd: None,
            usage_file: None,
            prices: crate::cost::PriceTable::embedded(),
        },
    );
    for st in &mut sketch.stacks {
        st.monthly = Some(
            report
                .services
                .iter()
                .filter(|s| crate::model::stack_of(&s.id) == Some(st.id.as_str()))
                .map(|s| s.monthly_usd)
                .sum(),
        );
    }
}

fn read_text(name: &str, text: &str) -> Result<Sketch> {
    Ok(formats::read(name, text)?)
}

/// The `.tf` files directly in a folder, sorted by name.
fn tf_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = fs::read_dir(dir).map_err(|e| DocumentError::read(dir, e))?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
        .collect();
    v.sort();
    Ok(v)
}

/// Adds the `.tf` files of `dir` (relative `rel` to the root) to `files`.
fn add_tf_files(
    root: &Path,
    rel: &str,
    files: &mut std::collections::BTreeMap<String, String>,
) -> Result<usize> {
    let dir = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for f in tf_files(&dir)? {
        let shown = display(&f);
        let bytes = fs::read(&f).map_err(|e| DocumentError::read(&f, e))?;
        let text = formats::check_text(&shown, &bytes)?;
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("main.tf");
        let key = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        files.insert(key, text.to_string());
        n += 1;
    }
    Ok(n)
}

/// Reads the local modules (`source = "./..."`) that `files` call, and the
/// modules those call, relative to `root`.
fn add_local_modules(
    root: &Path,
    files: &mut std::collections::BTreeMap<String, String>,
) -> Result<()> {
    for _ in 0..16 {
        let mut grew = false;
        for m in formats::terraform::missing_module_dirs(files) {
            grew |= add_tf_files(root, &m, files)? > 0;
        }
        if !grew {
            break;
        }
    }
    Ok(())
}

/// Error positions name files relative to the folder; show them as paths.
fn in_folder(root: &Path, mut e: FormatError) -> DocumentError {
    e.file = display(&root.join(&e.file));
    DocumentError::from(e)
}

fn folder_name(path: &Path) -> String {
    path.canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .or_else(|| path.file_name())
        .and_then(|f| f.to_str())
        .unwrap_or("terraform")
        .to_string()
}

/// A single `.tf` file: a folder of one, plus the local modules it calls.
fn read_terraform_file(path: &Path, text: &str) -> Result<Sketch> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or("main.tf")
        .to_string();
    let mut files = std::collections::BTreeMap::from([(name.clone(), text.to_string())]);
    add_local_modules(&dir, &mut files)?;
    let stem = name.strip_suffix(".tf").unwrap_or(&name).to_string();
    formats::terraform::import(&files, &stem).map_err(|e| in_folder(&dir, e))
}

/// A Terraform folder: every `.tf` file in it and in the local modules it calls.
fn load_folder(path: &Path) -> Result<Sketch> {
    let mut files = std::collections::BTreeMap::new();
    if add_tf_files(path, "", &mut files)? == 0 {
        return Err(DocumentError::NoTerraform {
            path: display(path),
        });
    }
    add_local_modules(path, &mut files)?;
    formats::terraform::import(&files, &folder_name(path)).map_err(|e| in_folder(path, e))
}

/// Writes a folder of files under `dir`, each atomically; files whose text
/// is already there are left alone. A read-only file is only written with
/// `force`.
pub fn write_folder(dir: &Path, files: &std::collections::BTreeMap<String, String>) -> Result<()> {
    write_folder_with(dir, files, false)
}

pub fn write_folder_with(
    dir: &Path,
    files: &std::collections::BTreeMap<String, String>,
    force: bool,
) -> Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read_to_string(&path).is_ok_and(|t| t == *text) {
            continue;
        }
        write_file(&path, text, force)?;
    }
    Ok(())
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Writes a file atomically, refusing a read-only one.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    write_file(path, text, false)
}

/// The file a path names once symbolic links are followed, so that a save
/// through a link writes the file it points to (as editors do) and the link
/// stays a link. A path that is not a link is its own target.
pub fn link_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As many hops as the system itself follows before giving up.
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = if to.is_absolute() {
                    to
                } else {
                    parent_dir(&p).join(to)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes a file atomically: a new file beside it, then a rename, so a
/// crash never leaves half a file behind. The new file has an unpredictable
/// name and is created exclusively (a link planted in the folder cannot
/// redirect it), with the mode of the file it replaces from the start; file
/// and folder are flushed to disk before this returns. A read-only file is
/// replaced only with `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<()> {
    let name = display(path);
    let cannot = |e: std::io::Error| DocumentError::Write {
        path: name.clone(),
        source: e,
    };
    let target = link_target(path).map_err(cannot)?;
    let dir = parent_dir(&target);
    if !dir.is_dir() {
        fs::create_dir_all(&dir).map_err(|e| DocumentError::CreateFolder {
            path: display(&dir),
            source: e,
        })?;
    }
    let old = fs::metadata(&target).ok().filter(|m| m.is_file());
    if let Some(m) = &old
        && m.permissions().readonly()
        && !force
    {
        return Err(DocumentError::ReadOnly { path: name });
    }
    let file = target.file_name().and_then(|f| f.to_str()).unwrap_or("out");
    let prefix = format!(".{file}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets what the umask allows, as any new file would; a
        // replaced one keeps its own mode, never wider.
        let mode = old
            .as_ref()
            .map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(cannot)?;
    let result = (|| -> std::io::Result<()> {
        if let Some(m) = &old {
            // The umask may have taken bits the old file had; set them on
            // the open file, never through its name.
            tmp.as_file().set_permissions(m.permissions())?;
        }
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        Ok(())
    })();
    result.map_err(cannot)?;
    tmp.persist(&target).map_err(|e| cannot(e.error))?;
    // The rename is only durable once the folder is flushed too.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("stacksketch-io-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    /// Someone who can write to the folder plants links, for every name a
    /// temporary file could plausibly get, to a file only the saving user
    /// may write. The save must not touch it.
    #[test]
    fn planted_links_cannot_redirect_a_save() {
        let dir = scratch("plant");
        let victim_dir = scratch("victim");
        let victim = victim_dir.join("secret");
        fs::write(&victim, "mine").unwrap();
        fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
        let out = dir.join("out.yaml");
        fs::write(&out, "old").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o644)).unwrap();
        let pid = std::process::id();
        for p in pid.saturating_sub(64)..pid + 64 {
            for name in [format!(".out.yaml.{p}.tmp"), format!("out.yaml.{p}.tmp")] {
                symlink(&victim, dir.join(name)).unwrap();
            }
        }
        write_atomic(&out, "new").unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "new");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
        assert_eq!(mode(&victim), 0o600);
        assert!(fs::symlink_metadata(&out).unwrap().is_file());
    }

    #[test]
    fn a_save_keeps_the_mode_of_the_file_it_replaces() {
        let dir = scratch("mode");
        for m in [0o600, 0o640, 0o644] {
            let out = dir.join(format!("t{m:o}.yaml"));
            fs::write(&out, "old").unwrap();
            fs::set_permissions(&out, fs::Permissions::from_mode(m)).unwrap();
            write_atomic(&out, "new").unwrap();
            assert_eq!(mode(&out), m);
        }
        // Nothing is left beside the files.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 3);
    }

    #[test]
    fn a_save_through_a_link_writes_the_file_it_points_to() {
        let dir = scratch("link");
        fs::create_dir_all(dir.join("real")).unwrap();
        let real = dir.join("real/template.yaml");
        fs::write(&real, "old").unwrap();
        let link = dir.join("link.yaml");
        symlink("real/template.yaml", &link).unwrap();
        write_atomic(&link, "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_read_only_file_is_replaced_only_when_forced() {
        let dir = scratch("readonly");
        let out = dir.join("out.yaml");
        fs::write(&out, "old").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
        let Err(e @ DocumentError::ReadOnly { .. }) = write_atomic(&out, "new") else {
            panic!("a read-only file was written");
        };
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "old");
        write_file(&out, "new", true).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "new");
        assert_eq!(mode(&out), 0o444);
    }

    /// A save killed half way leaves its temporary file; the next save must
    /// not trip over it, whatever stands at the name it had.
    #[test]
    fn what_a_killed_save_left_does_not_stop_the_next() {
        let dir = scratch("killed");
        let out = dir.join("out.yaml");
        fs::write(&out, "old").unwrap();
        fs::create_dir(dir.join(format!(".out.yaml.{}.tmp", std::process::id()))).unwrap();
        write_atomic(&out, "new").unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "new");
    }
}
