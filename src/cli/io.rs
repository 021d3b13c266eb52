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
    let mut sketch = if meta.is_dir() {
        load_folder(path)?
    } else {
        let bytes = fs::read(path)
            .map_err(|e| Failure::Input(format!("{name}: cannot read it: {}", io_reason(&e))))?;
        let text = formats::check_text(&name, &bytes)?;
        read_text(&name, text)?
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
    })
}

fn read_text(name: &str, text: &str) -> Result<Sketch> {
    if formats::Format::from_path(name) == Some(formats::Format::Terraform) {
        return read_terraform_file(name, text);
    }
    Ok(formats::read(name, text)?)
}

fn read_terraform_file(name: &str, _text: &str) -> Result<Sketch> {
    Err(Failure::Input(format!(
        "{name}: Terraform input is not supported yet"
    )))
}

fn load_folder(path: &Path) -> Result<Sketch> {
    Err(Failure::Input(format!(
        "{}: is a folder; Terraform folders are not supported yet, give a template file",
        display(path)
    )))
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
