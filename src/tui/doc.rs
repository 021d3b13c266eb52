//! The document being edited: the sketch, its undo history, where it came
//! from and how to write it back. Opening writes nothing; writing is atomic;
//! writing to a template changes only what was edited, and layout goes to
//! the sidecar beside it, never into the template.

use std::path::{Path, PathBuf};

use crate::cli::io;
use crate::formats::{self, Format};
use crate::model::{Edit, History, Sketch};

/// What kind of file the document is, which decides how `:w` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in example: no file until the user names one.
    Example,
    /// A SAM/CloudFormation template (YAML or JSON).
    Template,
    /// A native `.sketch.yaml` file.
    Sketch,
    /// A Terraform folder or file.
    Terraform,
}

pub struct Document {
    pub sketch: Sketch,
    pub history: History,
    pub path: Option<PathBuf>,
    pub origin: Origin,
    /// The sketch as its file gives it, without the sidecar: what the
    /// sidecar records differences from.
    base: Sketch,
}

fn read_file(path: &Path) -> Result<String, String> {
    let name = io::display(path);
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{name}: cannot read it: {}", io::io_reason(&e)))?;
    formats::check_text(&name, &bytes)
        .map(str::to_string)
        .map_err(|e| e.to_string())
}

fn failure(f: io::Failure) -> String {
    match f {
        io::Failure::Input(m) | io::Failure::Usage(m) | io::Failure::Exit(_, m) => m,
    }
}

impl Document {
    pub fn example() -> Document {
        let sketch = io::example();
        Document {
            base: sketch.clone(),
            sketch,
            history: History::new(),
            path: None,
            origin: Origin::Example,
        }
    }

    /// A document for a sketch already in memory (tests, benchmarks).
    pub fn from_sketch(sketch: Sketch, path: Option<PathBuf>, origin: Origin) -> Document {
        Document {
            base: sketch.clone(),
            sketch,
            history: History::new(),
            path,
            origin,
        }
    }

    /// Opens a template, a Terraform folder or file, or a sketch file.
    /// Reads only.
    pub fn open(path: &Path) -> Result<Document, String> {
        let loaded = io::load(path).map_err(failure)?;
        let name = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_string();
        let (origin, base) = if path.is_dir() || Format::from_path(&name) == Some(Format::Terraform)
        {
            (Origin::Terraform, loaded.sketch.clone())
        } else {
            let text = read_file(path)?;
            if formats::sketch::looks_like_sketch(&text) {
                (Origin::Sketch, loaded.sketch.clone())
            } else {
                let base = formats::read(&io::display(path), &text).map_err(|e| e.to_string())?;
                (Origin::Template, base)
            }
        };
        Ok(Document {
            sketch: loaded.sketch,
            history: History::new(),
            path: Some(path.to_path_buf()),
            origin,
            base,
        })
    }

    /// The name shown in the status bar.
    pub fn title(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_else(|| io::display(p)),
            None => "example (not saved)".to_string(),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    pub fn apply(&mut self, edit: Edit) -> Result<(), String> {
        self.history
            .apply(&mut self.sketch, edit)
            .map_err(|e| e.to_string())
    }

    pub fn undo(&mut self) -> Result<bool, String> {
        self.history
            .undo(&mut self.sketch)
            .map_err(|e| e.to_string())
    }

    pub fn redo(&mut self) -> Result<bool, String> {
        self.history
            .redo(&mut self.sketch)
            .map_err(|e| e.to_string())
    }

    /// Writes the document: to its own file with no target, else to
    /// `target`, which becomes its file. An existing file that is not the
    /// document's own is only replaced with `force`. Returns what to tell
    /// the user.
    pub fn save(&mut self, target: Option<&Path>, force: bool) -> Result<String, String> {
        let target: PathBuf = match (target, &self.path) {
            (Some(t), _) => t.to_path_buf(),
            (None, Some(p)) => p.clone(),
            (None, None) => {
                return Err(
                    "the example has no file yet; name one: :w NAME.yaml (a template) or :w NAME.sketch.yaml"
                        .to_string(),
                );
            }
        };
        let shown = io::display(&target);
        let own = self.path.as_deref().is_some_and(|p| same_file(p, &target));
        if !own && target.exists() && !force {
            return Err(format!("{shown} exists; :w! {shown} replaces it"));
        }
        let name = target
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_string();
        let format = if target.is_dir() {
            Some(Format::Terraform)
        } else if own && self.origin == Origin::Sketch {
            Some(Format::Sketch)
        } else {
            Format::from_path(&name)
        };
        let mut notes = Vec::new();
        match format {
            Some(Format::Sketch) => {
                io::write_atomic(&target, &formats::sketch::write(&self.sketch))
                    .map_err(failure)?;
                self.origin = Origin::Sketch;
                self.base = self.sketch.clone();
            }
            Some(Format::Sam) | Some(Format::Json) => {
                if self.origin == Origin::Terraform {
                    return Err(
                        "this sketch came from Terraform; writing it as SAM is :export sam PATH"
                            .to_string(),
                    );
                }
                let out = formats::sam::export(&self.sketch);
                let text = out.text().to_string();
                io::write_atomic(&target, &text).map_err(failure)?;
                notes.extend(out.warnings);
                // What the sidecar is measured against is the template as written.
                self.base = formats::read(&shown, &text).map_err(|e| e.to_string())?;
                if let Some(side) = io::sidecar_path(&target) {
                    match formats::sketch::write_sidecar(&self.sketch, &self.base) {
                        Some(layout) => {
                            io::write_atomic(&side, &layout).map_err(failure)?;
                            notes.push(format!(
                                "layout in {}",
                                side.file_name().unwrap_or_default().to_string_lossy()
                            ));
                        }
                        // Nothing to keep, but an old sidecar would bring back
                        // positions the user has since undone.
                        None if side.is_file() => {
                            io::write_atomic(&side, "stacksketch_layout: 1\n").map_err(failure)?;
                        }
                        None => {}
                    }
                }
                self.origin = Origin::Template;
            }
            Some(Format::Terraform) => {
                return Err(
                    "writing Terraform is not available yet; :w NAME.sketch.yaml keeps everything"
                        .to_string(),
                );
            }
            None => {
                return Err(format!(
                    "cannot tell the format from `{name}`; end it in .yaml or .json (a template) or .sketch.yaml"
                ));
            }
        }
        self.path = Some(target);
        self.history.mark_saved();
        let mut msg = format!("wrote {shown}");
        if !notes.is_empty() {
            msg.push_str(&format!(" ({})", notes.join("; ")));
        }
        Ok(msg)
    }

    /// Writes the sketch in another format without making that file the
    /// document's.
    pub fn export(&self, format: &str, target: &Path, force: bool) -> Result<String, String> {
        let shown = io::display(target);
        if target.exists() && !force {
            return Err(format!(
                "{shown} exists; :export! {format} {shown} replaces it"
            ));
        }
        let text = match Format::parse(format) {
            Some(Format::Sam) => {
                let out = formats::sam::export(&self.sketch);
                out.text().to_string()
            }
            Some(Format::Json) => formats::json::export(&self.sketch, crate::model::Level::Service),
            Some(Format::Sketch) => formats::sketch::write(&self.sketch),
            Some(Format::Terraform) => {
                return Err("exporting Terraform is not available yet".to_string());
            }
            None if format.eq_ignore_ascii_case("mermaid") => {
                formats::mermaid::export(&self.sketch, crate::model::Level::Service)
            }
            None if format.eq_ignore_ascii_case("dot") => {
                formats::dot::export(&self.sketch, crate::model::Level::Service)
            }
            None => {
                return Err(format!(
                    "`{format}` is not a format; use sam, terraform, mermaid, dot, json or sketch"
                ));
            }
        };
        io::write_atomic(target, &text).map_err(failure)?;
        Ok(format!("exported {format} to {shown}"))
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("stacksketch-doc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn run(doc: &mut Document, line: &str) {
        let p = command::plan(&doc.sketch, line).unwrap().unwrap();
        doc.apply(p.edit).unwrap();
    }

    #[test]
    fn opening_writes_nothing_and_saving_keeps_untouched_text() {
        let dir = scratch("save");
        let t = dir.join("template.yaml");
        std::fs::write(&t, io::EXAMPLE).unwrap();
        let mut doc = Document::open(&t).unwrap();
        assert_eq!(doc.origin, Origin::Template);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        run(&mut doc, "add queue Extra");
        run(&mut doc, "move Extra 4 2");
        assert!(doc.is_dirty());
        let msg = doc.save(None, false).unwrap();
        assert!(msg.contains("layout in"), "{msg}");
        assert!(!doc.is_dirty());
        let written = std::fs::read_to_string(&t).unwrap();
        for line in io::EXAMPLE.lines() {
            assert!(written.lines().any(|l| l == line), "lost: {line}");
        }
        assert!(written.contains("Extra:"));
        // Layout never goes into the template.
        assert!(!written.contains("position"), "{written}");
        let side = io::sidecar_path(&t).unwrap();
        let layout = std::fs::read_to_string(&side).unwrap();
        assert!(layout.contains("Extra"), "{layout}");
        // Reopening brings the layout back.
        let again = Document::open(&t).unwrap();
        assert_eq!(
            again.sketch.service("Extra").unwrap().position,
            Some(crate::model::Position { x: 4, y: 2 })
        );
    }

    #[test]
    fn the_example_needs_a_name_and_others_files_need_force() {
        let dir = scratch("force");
        let mut doc = Document::example();
        assert!(doc.save(None, false).unwrap_err().contains(":w NAME"));
        let other = dir.join("other.yaml");
        std::fs::write(&other, "keep me").unwrap();
        assert!(doc.save(Some(&other), false).unwrap_err().contains(":w!"));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
        doc.save(Some(&other), true).unwrap();
        assert_eq!(doc.path.as_deref(), Some(other.as_path()));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), io::EXAMPLE);
        assert!(doc.save(Some(&dir.join("x.txt")), false).is_err());
    }

    #[test]
    fn exports_write_other_formats_without_adopting_them() {
        let dir = scratch("export");
        let doc = Document::example();
        let m = dir.join("diagram.mmd");
        doc.export("mermaid", &m, false).unwrap();
        assert!(std::fs::read_to_string(&m).unwrap().contains("JobQueue"));
        assert!(
            doc.export("mermaid", &m, false)
                .unwrap_err()
                .contains(":export!")
        );
        assert!(doc.export("nonsense", &dir.join("x"), false).is_err());
        assert_eq!(doc.path, None);
    }

    #[test]
    fn a_sketch_file_saves_as_a_sketch_file() {
        let dir = scratch("sketch");
        let mut doc = Document::example();
        let p = dir.join("pipe.sketch.yaml");
        doc.save(Some(&p), false).unwrap();
        let reopened = Document::open(&p).unwrap();
        assert_eq!(reopened.origin, Origin::Sketch);
        assert_eq!(reopened.sketch, doc.sketch);
    }
}
