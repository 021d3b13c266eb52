//! Files in and out for the commands: reading an input (template, sketch
//! file, and the layout sidecar beside it), and atomic writes.

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

pub type Result<T> = std::result::Result<T, Failure>;

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
    let meta = fs::metadata(path)
        .map_err(|e| Failure::Input(format!("{name}: cannot read it: {}", io_reason(&e))))?;
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
        let bytes = fs::read(path)
            .map_err(|e| Failure::Input(format!("{name}: cannot read it: {}", io_reason(&e))))?;
        let text = formats::check_text(&name, &bytes)?;
        if formats::Format::from_path(&name) == Some(formats::Format::Terraform) {
            read_terraform_file(path, text)?
        } else {
            read_text(&name, text)?
        }
    };
    if let Some(side) = sidecar_path(path).filter(|p| p.is_file()) {
        let sname = display(&side);
        let bytes = fs::read(&side)
            .map_err(|e| Failure::Input(format!("{sname}: cannot read it: {}", io_reason(&e))))?;
        let text = formats::check_text(&sname, &bytes)?;
        formats::sketch::apply_sidecar(&mut sketch, &sname, text)?;
    }
    Ok(Loaded {
        sketch,
        path: path.to_path_buf(),
        repo,
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
    let rd = fs::read_dir(dir).map_err(|e| {
        Failure::Input(format!(
            "{}: cannot read it: {}",
            display(dir),
            io_reason(&e)
        ))
    })?;
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
        let bytes = fs::read(&f)
            .map_err(|e| Failure::Input(format!("{shown}: cannot read it: {}", io_reason(&e))))?;
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
fn in_folder(root: &Path, mut e: FormatError) -> Failure {
    e.file = display(&root.join(&e.file));
    Failure::from(e)
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
        return Err(Failure::Input(format!(
            "{}: there are no .tf files in this folder\n  hint: give a Terraform folder, a .tf file, a SAM/CloudFormation template or a .sketch.yaml file",
            display(path)
        )));
    }
    add_local_modules(path, &mut files)?;
    formats::terraform::import(&files, &folder_name(path)).map_err(|e| in_folder(path, e))
}

/// Writes a folder of files under `dir`, each atomically; files whose text
/// is already there are left alone.
pub fn write_folder(dir: &Path, files: &std::collections::BTreeMap<String, String>) -> Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read_to_string(&path).is_ok_and(|t| t == *text) {
            continue;
        }
        write_atomic(&path, text)?;
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

/// Writes a file atomically: a temporary file beside it, then a rename, so
/// a crash never leaves half a file behind.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let name = display(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        fs::create_dir_all(&dir).map_err(|e| {
            Failure::Input(format!(
                "{}: cannot create the folder: {}",
                display(&dir),
                io_reason(&e)
            ))
        })?;
    }
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{file}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(old) = fs::metadata(path) {
            // Keep the permissions of the file being replaced.
            fs::set_permissions(&tmp, old.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Failure::Input(format!(
            "{name}: cannot write it: {}",
            io_reason(&e)
        )));
    }
    Ok(())
}
