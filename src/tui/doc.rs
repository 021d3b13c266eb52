//! The document being edited: the sketch, its undo history, where it came
//! from and how to write it back. Opening writes nothing; writing is atomic;
//! writing to a template changes only what was edited, and layout goes to
//! the sidecar beside it, never into the template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::document as io;
use crate::document::starter;
use crate::formats::{self, Format, translate};
use crate::model::{Dialect, Edit, History, Sketch};

/// What kind of file the document is, which decides how `:w` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in example: no file until the user names one.
    Example,
    /// Code in a language: a SAM/CloudFormation template (YAML or JSON), or
    /// a Terraform folder or file.
    Template(Dialect),
    /// A native `.sketch.yaml` file.
    Sketch,
    /// A folder of stacks: each service is written back to its stack's file.
    Repository,
}

pub struct Document {
    pub sketch: Sketch,
    pub history: History,
    pub path: Option<PathBuf>,
    pub origin: Origin,
    /// The sketch as its file gives it, without the sidecar: what the
    /// sidecar records differences from.
    base: Sketch,
    /// For a Terraform folder, each file's text as last read or written
    /// (by path relative to the folder), to tell when one has changed on
    /// disk since and must not be written over unasked. A template or
    /// sketch file keeps its text under [`OWN_FILE`].
    on_disk: BTreeMap<String, String>,
    /// For a folder of stacks: the stacks as last read or written.
    repo: Option<crate::scan::Repo>,
}

/// The key of a single file's text in `on_disk`.
const OWN_FILE: &str = "";

fn read_file(path: &Path) -> Result<String, String> {
    let name = io::display(path);
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{name}: cannot read it: {}", io::io_reason(&e)))?;
    formats::check_text(&name, &bytes)
        .map(str::to_string)
        .map_err(|e| e.to_string())
}

fn failure(e: io::DocumentError) -> String {
    e.to_string()
}

impl Document {
    /// Reads the handler code of the functions, for a document read from a
    /// path; with the folder code paths are shown from (a repository's root).
    pub fn read_code(&self) -> Option<(crate::code::handlers::Report, Option<PathBuf>)> {
        let path = self.path.as_deref()?;
        let report = crate::document::code::read_code_of(&self.sketch, path, self.repo.as_ref());
        Some((report, self.repo.as_ref().map(|r| r.root.clone())))
    }

    pub fn example() -> Document {
        // The example's own words (its header comment, its description,
        // its name) are not the user's: a sketch saved from it starts clean.
        let mut sketch = formats::read(io::EXAMPLE_NAME, &without_own_words(io::EXAMPLE))
            .expect("the built-in example reads");
        sketch.name = Some("example".to_string());
        Document {
            base: sketch.clone(),
            sketch,
            history: History::new(),
            path: None,
            origin: Origin::Example,
            on_disk: BTreeMap::new(),
            repo: None,
        }
    }

    /// An empty sketch with no file yet, whose new services are named and
    /// typed in `language`. Nothing of the built-in example comes with it.
    pub fn blank(language: Dialect) -> Document {
        let mut sketch = Sketch::new();
        if language == Dialect::Terraform {
            sketch.source = Some(crate::model::Source {
                dialect: Dialect::Terraform,
                files: BTreeMap::new(),
            });
        }
        Document::from_sketch(sketch, None, Origin::Example)
    }

    /// A document for a sketch already in memory (tests, benchmarks).
    pub fn from_sketch(sketch: Sketch, path: Option<PathBuf>, origin: Origin) -> Document {
        Document {
            base: sketch.clone(),
            sketch,
            history: History::new(),
            path,
            origin,
            on_disk: BTreeMap::new(),
            repo: None,
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
        let mut on_disk = BTreeMap::new();
        if let Some(repo) = loaded.repo {
            return Ok(Document {
                base: repo.sketch(),
                sketch: loaded.sketch,
                history: History::new(),
                path: Some(path.to_path_buf()),
                origin: Origin::Repository,
                on_disk,
                repo: Some(repo),
            });
        }
        let (origin, base) = if path.is_dir() || Format::from_path(&name) == Some(Format::Terraform)
        {
            let files = loaded
                .sketch
                .source
                .as_ref()
                .map(|s| s.files.clone())
                .unwrap_or_default();
            let sketch_name = loaded.sketch.name.as_deref().unwrap_or("terraform");
            // The loaded sketch has the sidecar applied; the base must not.
            let base =
                formats::terraform::import(&files, sketch_name).map_err(|e| e.to_string())?;
            on_disk = files;
            (Origin::Template(Dialect::Terraform), base)
        } else {
            let text = read_file(path)?;
            on_disk.insert(OWN_FILE.to_string(), text.clone());
            if formats::sketch::looks_like_sketch(&text) {
                (Origin::Sketch, loaded.sketch.clone())
            } else {
                let base = formats::read(&io::display(path), &text).map_err(|e| e.to_string())?;
                (Origin::Template(Dialect::Sam), base)
            }
        };
        Ok(Document {
            sketch: loaded.sketch,
            history: History::new(),
            path: Some(path.to_path_buf()),
            origin,
            base,
            on_disk,
            repo: None,
        })
    }

    /// In a folder of stacks: one stack's own sketch (the one given, else
    /// the first), for the code pane.
    pub fn stack_sketch(&self, stack: Option<&str>) -> Option<Sketch> {
        let repo = self.repo.as_ref()?;
        let st = match stack {
            Some(id) => repo.stack(id)?,
            None => repo.stacks.first()?,
        };
        Some(crate::scan::stack_sketch(st, &self.sketch))
    }

    /// The language the sketch is written in, when it came from a file of
    /// one; the built-in example follows the user's choice.
    pub fn language(&self) -> Option<Dialect> {
        match self.origin {
            Origin::Example | Origin::Repository => None,
            Origin::Template(d) => Some(d),
            Origin::Sketch => self.sketch.source.as_ref().map(|s| s.dialect),
        }
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
                    "the example has no file yet; name one: :w NAME.yaml (a template), :w NAME.sketch.yaml or :w DIR/ (Terraform)"
                        .to_string(),
                );
            }
        };
        let shown = io::display(&target);
        let own = self.path.as_deref().is_some_and(|p| same_file(p, &target));
        if self.origin == Origin::Repository {
            if !own {
                return Err(
                    "a folder of stacks is written back to its own files: :w alone".to_string(),
                );
            }
            return self.save_repository(&target);
        }
        let name = target
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_string();
        let format = if is_folder(&target) {
            Some(Format::Terraform)
        } else if own && self.origin == Origin::Sketch {
            Some(Format::Sketch)
        } else {
            Format::from_path(&name)
        };
        if format == Some(Format::Terraform) {
            return self.save_terraform(&target, own, force);
        }
        if !own && target.exists() && !force {
            return Err(format!("{shown} exists; :w! {shown} replaces it"));
        }
        if own && !force && self.changed_on_disk(&target) {
            return Err(format!(
                "{shown} changed on disk since it was read; :w! writes over it, :e! reloads it"
            ));
        }
        let mut notes = Vec::new();
        match format {
            Some(Format::Sketch) => {
                let text = formats::sketch::write(&self.sketch);
                io::write_file(&target, &text, force).map_err(failure)?;
                self.on_disk = BTreeMap::from([(OWN_FILE.to_string(), text)]);
                self.origin = Origin::Sketch;
                self.base = self.sketch.clone();
            }
            Some(Format::Sam) | Some(Format::Json) => {
                if self.origin == Origin::Template(Dialect::Terraform) {
                    return Err(
                        "this sketch came from Terraform; writing it as SAM is :export sam PATH"
                            .to_string(),
                    );
                }
                let out = formats::sam::export(&self.sketch);
                let text = out.text().to_string();
                let fresh = !target.exists();
                io::write_file(&target, &text, force).map_err(failure)?;
                if fresh {
                    notes.extend(starters(
                        &out.files,
                        Dialect::Sam,
                        starter::project_root(&target),
                    ));
                }
                self.on_disk = BTreeMap::from([(OWN_FILE.to_string(), text.clone())]);
                notes.extend(out.warnings.iter().cloned());
                out.mark(&mut self.sketch);
                notes.extend(not_in_code(&out.unwritten));
                // What the sidecar is measured against is the template as written.
                self.base = formats::read(&shown, &text).map_err(|e| e.to_string())?;
                if let Some(side) = io::sidecar_path(&target) {
                    self.write_layout(&side, &mut notes)?;
                }
                self.origin = Origin::Template(Dialect::Sam);
            }
            Some(Format::Terraform) => unreachable!("written above"),
            None => {
                return Err(format!(
                    "cannot tell the format from `{name}`; end it in .yaml or .json (a template) or .sketch.yaml, or in / for a Terraform folder"
                ));
            }
        }
        self.path = Some(target);
        self.history.mark_saved();
        Ok(done(format!("wrote {shown}"), &notes))
    }

    /// Whether the document's own file no longer holds the text it was read
    /// with or last written. A file that is gone has not changed: writing
    /// it back loses nothing.
    fn changed_on_disk(&self, target: &Path) -> bool {
        let (Some(read), Ok(now)) = (self.on_disk.get(OWN_FILE), std::fs::read(target)) else {
            return false;
        };
        read.as_bytes() != now.as_slice()
    }

    /// `:w` to a Terraform folder or `.tf` file. A sketch in Terraform's
    /// words adopts the folder, as any save adopts its file. One in SAM's
    /// words is translated, which is an export: the sketch stays what it
    /// is, because what Terraform cannot say would be lost by reading the
    /// folder back in its place.
    fn save_terraform(&mut self, target: &Path, own: bool, force: bool) -> Result<String, String> {
        let shown = io::display(target);
        let again = format!(":w! {shown}");
        if translate::needs_terraform(&self.sketch) {
            let notes = self.export_terraform(target, force, &again)?;
            let keep = match self.origin {
                Origin::Example => ":w NAME.yaml",
                _ => ":w",
            };
            let stays = if self.is_dirty() {
                format!("the sketch stays SAM and unsaved ({keep} saves it)")
            } else {
                "the sketch stays SAM".to_string()
            };
            return Ok(done(
                format!("wrote {shown} translated from SAM; {stays}"),
                &notes,
            ));
        }
        let written = self.write_terraform(target, own, force, &again)?;
        self.base = formats::terraform::import(
            &written.files,
            self.sketch.name.as_deref().unwrap_or("terraform"),
        )
        .map_err(|e| e.to_string())?;
        let mut notes = Vec::new();
        if written.changed == 0 {
            notes.push("no file changed".to_string());
        }
        self.write_layout(&written.sidecar, &mut notes)?;
        notes.extend(written.warnings);
        let marks = formats::Output {
            unwritten: written.unwritten,
            ..Default::default()
        };
        marks.mark(&mut self.sketch);
        notes.extend(not_in_code(&marks.unwritten));
        self.on_disk = written.files;
        self.origin = Origin::Template(Dialect::Terraform);
        self.path = Some(target.to_path_buf());
        self.history.mark_saved();
        Ok(done(format!("wrote {shown}"), &notes))
    }

    /// Writes the sketch as Terraform: into a folder, or as one `.tf` file
    /// when it comes out as one (or is the document's own file, whose
    /// folder it then writes back). Only files whose text changes are
    /// written. A file that is someone else's, or that changed on disk
    /// since it was read, is only replaced with `force`; `again` is the
    /// command that says so.
    fn write_terraform(
        &self,
        target: &Path,
        own: bool,
        force: bool,
        again: &str,
    ) -> Result<WrittenFolder, String> {
        let out = formats::terraform::export(&self.sketch);
        let one_file = !is_folder(target);
        if one_file && !target.to_string_lossy().ends_with(".tf") {
            return Err(format!(
                "Terraform is written as a folder (:w DIR/) or a .tf file, not `{}`",
                io::display(target)
            ));
        }
        let (dir, files) = if one_file && !own {
            if out.files.len() > 1 {
                return Err(format!(
                    "this sketch writes {} Terraform files; give a folder (DIR/) instead of `{}`",
                    out.files.len(),
                    io::display(target)
                ));
            }
            let name = target
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_else(|| "main.tf".to_string());
            (
                parent(target),
                BTreeMap::from([(name, out.text().to_string())]),
            )
        } else if one_file {
            // The document's own file: the files are named from its folder.
            (parent(target), out.files.clone())
        } else {
            (target.to_path_buf(), out.files.clone())
        };
        let mut changed = 0;
        for (rel, text) in &files {
            let path = dir.join(rel);
            let Ok(now) = std::fs::read_to_string(&path) else {
                if path.exists() && !force {
                    return Err(format!(
                        "{} exists; {again} replaces it",
                        io::display(&path)
                    ));
                }
                changed += 1;
                continue;
            };
            if now == *text {
                continue;
            }
            changed += 1;
            if force {
                continue;
            }
            match self.on_disk.get(rel) {
                Some(read) if own && *read == now => {}
                Some(_) if own => {
                    return Err(format!(
                        "{} changed on disk since it was read; {again} writes over it, :e! reloads it",
                        io::display(&path)
                    ));
                }
                _ => {
                    return Err(format!(
                        "{} exists; {again} replaces it",
                        io::display(&path)
                    ));
                }
            }
        }
        let fresh = !std::fs::read_dir(&dir).is_ok_and(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
        });
        io::write_folder_with(&dir, &files, force).map_err(failure)?;
        let mut warnings = out.warnings;
        if fresh {
            warnings.extend(starters(&files, Dialect::Terraform, &dir));
        }
        let sidecar = if one_file {
            io::sidecar_path(target)
        } else {
            Some(dir.join(".stacksketch.yaml"))
        }
        .unwrap_or_else(|| dir.join(".stacksketch.yaml"));
        Ok(WrittenFolder {
            files,
            sidecar,
            changed,
            warnings,
            unwritten: out.unwritten,
        })
    }

    /// Writes what the code cannot hold (positions, usage, groups, notes)
    /// to the sidecar, measured against `self.base`.
    /// `:w` in a folder of stacks: each edited stack's file, atomically,
    /// and only those whose text changes; the layout to one sidecar at the
    /// folder's root.
    fn save_repository(&mut self, root: &Path) -> Result<String, String> {
        let repo = self.repo.as_ref().ok_or("the stacks are not loaded")?;
        let crate::scan::RepoWrite {
            files,
            warnings,
            unwritten,
        } = crate::scan::changed_files(repo, &self.sketch)?;
        for (path, text) in &files {
            io::write_atomic(path, text).map_err(failure)?;
        }
        let repo = crate::scan::scan(root).map_err(|e| e.to_string())?;
        self.base = repo.sketch();
        self.repo = Some(repo);
        let mut notes = Vec::new();
        if files.is_empty() {
            notes.push("no file changed".to_string());
        }
        notes.extend(warnings);
        let marks = formats::Output {
            unwritten,
            ..Default::default()
        };
        marks.mark(&mut self.sketch);
        notes.extend(not_in_code(&marks.unwritten));
        if let Some(side) = io::sidecar_path(root) {
            self.write_layout(&side, &mut notes)?;
        }
        self.history.mark_saved();
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect();
        let what = if names.is_empty() {
            io::display(root)
        } else {
            names.join(", ")
        };
        Ok(done(format!("wrote {what}"), &notes))
    }

    fn write_layout(&self, side: &Path, notes: &mut Vec<String>) -> Result<(), String> {
        match formats::sketch::write_sidecar(&self.sketch, &self.base) {
            Some(layout) => {
                if std::fs::read_to_string(side).is_ok_and(|t| t == layout) {
                    return Ok(());
                }
                io::write_atomic(side, &layout).map_err(failure)?;
                notes.push(format!(
                    "layout in {}",
                    side.file_name().unwrap_or_default().to_string_lossy()
                ));
            }
            // Nothing to keep, but an old sidecar would bring back
            // positions the user has since undone.
            None if side.is_file() => {
                io::write_atomic(side, "stacksketch_layout: 1\n").map_err(failure)?;
            }
            None => {}
        }
        Ok(())
    }

    /// Writes the sketch as Terraform without making the folder the
    /// document's; the layout goes with it when its keys are addresses.
    /// Returns what to add to the message.
    fn export_terraform(
        &mut self,
        target: &Path,
        force: bool,
        again: &str,
    ) -> Result<Vec<String>, String> {
        let own = self.origin == Origin::Template(Dialect::Terraform)
            && self.path.as_deref().is_some_and(|p| same_file(p, target));
        let written = self.write_terraform(target, own, force, again)?;
        let mut notes = Vec::new();
        // Positions are keyed by id, so they only carry over when the
        // sketch already speaks Terraform.
        if !translate::needs_terraform(&self.sketch) {
            let mut doc = Document::from_sketch(self.sketch.clone(), None, self.origin);
            doc.base = formats::terraform::import(
                &written.files,
                self.sketch.name.as_deref().unwrap_or("terraform"),
            )
            .map_err(|e| e.to_string())?;
            doc.write_layout(&written.sidecar, &mut notes)?;
        }
        notes.extend(written.warnings);
        if own {
            // The document's own folder now holds this text.
            self.on_disk.extend(written.files);
        }
        Ok(notes)
    }

    /// Writes the sketch in another format without making that file the
    /// document's.
    pub fn export(&mut self, format: &str, target: &Path, force: bool) -> Result<String, String> {
        let shown = io::display(target);
        let again = format!(":export! {format} {shown}");
        let mut notes = Vec::new();
        let text = match Format::parse(format) {
            Some(Format::Terraform) => {
                let notes = self.export_terraform(target, force, &again)?;
                return Ok(done(format!("exported terraform to {shown}"), &notes));
            }
            Some(Format::Sam) => {
                let out = formats::sam::export(&self.sketch);
                notes.extend(out.warnings.iter().cloned());
                out.text().to_string()
            }
            Some(Format::Json) => formats::json::export(&self.sketch, crate::model::Level::Service),
            Some(Format::Sketch) => formats::sketch::write(&self.sketch),
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
        if target.exists() && !force {
            return Err(format!("{shown} exists; {again} replaces it"));
        }
        io::write_file(target, &text, force).map_err(failure)?;
        Ok(done(format!("exported {format} to {shown}"), &notes))
    }
}

/// What writing a Terraform folder did.
struct WrittenFolder {
    /// The files as written, by path relative to the folder.
    files: BTreeMap<String, String>,
    /// Where the folder's layout goes.
    sidecar: PathBuf,
    /// How many files were written (the rest already said the same).
    changed: usize,
    warnings: Vec<String>,
    /// Connections drawn that the files do not grant.
    unwritten: Vec<formats::Unwritten>,
}

/// What `:w` says of connections kept in the sketch but not in the code.
fn not_in_code(unwritten: &[formats::Unwritten]) -> Option<String> {
    if unwritten.is_empty() {
        return None;
    }
    let list: Vec<String> = unwritten.iter().map(|u| u.to_string()).collect();
    Some(format!(
        "{} connection(s) are in the sketch but not in the code yet: {}",
        unwritten.len(),
        list.join("; ")
    ))
}

/// A target that names a folder: one that exists, or a path ending in a
/// separator (`:w infra/`).
/// A template without its leading comment and its `Description`: the
/// example's words about itself, which a user's file should not inherit.
fn without_own_words(text: &str) -> String {
    let mut out = String::new();
    let mut in_description = false;
    let mut lines = text.lines().skip_while(|l| l.starts_with('#')).peekable();
    while let Some(l) = lines.next() {
        if l.starts_with("Description:") {
            in_description = true;
            continue;
        }
        if in_description && (l.starts_with(' ') || l.is_empty()) {
            if l.is_empty() && lines.peek().is_some_and(|n| !n.starts_with(' ')) {
                in_description = false;
                out.push('\n');
            }
            continue;
        }
        in_description = false;
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn is_folder(target: &Path) -> bool {
    target.is_dir()
        || target
            .as_os_str()
            .to_string_lossy()
            .ends_with(std::path::is_separator)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A message with notes after it. Exporters' warnings can be many; the
/// status line has room for a few.
fn done(mut msg: String, notes: &[String]) -> String {
    const SHOWN: usize = 3;
    if !notes.is_empty() {
        let mut shown: Vec<String> = notes.iter().take(SHOWN).cloned().collect();
        if notes.len() > SHOWN {
            shown.push(format!("{} more", notes.len() - SHOWN));
        }
        msg.push_str(&format!(" ({})", shown.join("; ")));
    }
    msg
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}

/// Starter handlers and sample events for the functions of a project just
/// written to a new place, whose code folders are missing; what was written,
/// as notes.
fn starters(files: &BTreeMap<String, String>, dialect: Dialect, root: &Path) -> Vec<String> {
    let Some(written) = starter::read_back(files, dialect) else {
        return Vec::new();
    };
    match starter::write(&written, root, crate::code::Runtime::Python) {
        Ok(names) if names.is_empty() => Vec::new(),
        Ok(names) => vec![format!("started the code: {}", names.join(", "))],
        Err(e) => vec![format!("the starter code was not written: {e}")],
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
        assert_eq!(doc.origin, Origin::Template(Dialect::Sam));
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
        // The example's resources, but not its header comment or description.
        let saved = std::fs::read_to_string(&other).unwrap();
        let first = io::EXAMPLE.lines().next().unwrap();
        assert!(first.starts_with('#') && !saved.contains(first), "{saved}");
        let described = io::EXAMPLE
            .lines()
            .find(|l| l.starts_with("Description:"))
            .unwrap();
        assert!(!saved.contains(described), "{saved}");
        let back = formats::read("other.yaml", &saved).unwrap();
        assert_eq!(back.len(), io::example().len());
        assert!(doc.save(Some(&dir.join("x.txt")), false).is_err());
    }

    #[test]
    fn exports_write_other_formats_without_adopting_them() {
        let dir = scratch("export");
        let mut doc = Document::example();
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
    fn a_save_to_a_new_place_starts_the_code_and_an_existing_project_keeps_its_own() {
        let dir = scratch("starters");
        let mut doc = Document::example();
        let target = dir.join("app/template.yaml");
        doc.save(Some(&target), false).unwrap();
        let worker = dir.join("app/src/worker/app.py");
        let text = std::fs::read_to_string(&worker).expect("a starter handler");
        assert!(text.contains("def handler(event, context):"), "{text}");
        assert!(dir.join("app/events/worker.json").is_file());
        // Written again over its own file, nothing of the user's is touched.
        std::fs::write(&worker, "mine\n").unwrap();
        doc.save(None, false).unwrap();
        assert_eq!(std::fs::read_to_string(&worker).unwrap(), "mine\n");
        // A Terraform folder written from nothing gets its starters too.
        let tf = dir.join("infra/");
        doc.export("terraform", &tf, false).unwrap();
        assert!(tf.join("src/worker/app.py").is_file());
    }

    /// A copy of a Terraform fixture folder.
    fn terraform_copy(fixture: &str, name: &str) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/terraform")
            .join(fixture);
        let dir = scratch(name).join(fixture);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(&from).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
        dir
    }

    fn folder(dir: &Path) -> BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn a_terraform_folder_is_written_back_changing_only_what_was_edited() {
        let dir = terraform_copy("app", "tf-save");
        let before = folder(&dir);
        let mut doc = Document::open(&dir).unwrap();
        assert_eq!(doc.origin, Origin::Template(Dialect::Terraform));
        assert_eq!(doc.language(), Some(Dialect::Terraform));
        assert_eq!(folder(&dir), before, "opening wrote something");
        run(&mut doc, "add topic alerts");
        run(&mut doc, "connect worker alerts");
        run(&mut doc, "move alerts 6 3");
        let msg = doc.save(None, false).unwrap();
        assert!(msg.contains("layout in .stacksketch.yaml"), "{msg}");
        assert!(!doc.is_dirty());
        let after = folder(&dir);
        assert_eq!(after["variables.tf"], before["variables.tf"]);
        assert_eq!(after["outputs.tf"], before["outputs.tf"]);
        // Every line is kept; the function's new variable may realign the
        // `=` of the one beside it, as `terraform fmt` does.
        let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        for line in before["main.tf"].lines() {
            assert!(
                after["main.tf"].lines().any(|l| l == line)
                    || (line.contains("STAGE")
                        && after["main.tf"].lines().any(|l| words(l) == words(line))),
                "lost: {line}"
            );
        }
        assert!(after["main.tf"].contains("resource \"aws_sns_topic\" \"alerts\""));
        // Layout never goes into the .tf files.
        assert!(!after["main.tf"].contains("position"));
        let again = Document::open(&dir).unwrap();
        assert!(again.sketch.is_connected(
            "aws_lambda_function.worker",
            "aws_sns_topic.alerts",
            None
        ));
        assert_eq!(
            again
                .sketch
                .service("aws_sns_topic.alerts")
                .unwrap()
                .position,
            Some(crate::model::Position { x: 6, y: 3 })
        );
        // Saving again with nothing new writes no file.
        let mut again = again;
        let msg = again.save(None, false).unwrap();
        assert!(msg.contains("no file changed"), "{msg}");
        assert_eq!(folder(&dir), after);
    }

    #[test]
    fn a_file_changed_on_disk_since_it_was_read_is_not_written_over() {
        let dir = terraform_copy("app", "tf-changed");
        let mut doc = Document::open(&dir).unwrap();
        run(&mut doc, "set worker timeout 40");
        let theirs = std::fs::read_to_string(dir.join("main.tf")).unwrap() + "# theirs\n";
        std::fs::write(dir.join("main.tf"), &theirs).unwrap();
        let err = doc.save(None, false).unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.join("main.tf")).unwrap(),
            theirs
        );
        assert!(doc.is_dirty());
        doc.save(None, true).unwrap();
        assert!(
            std::fs::read_to_string(dir.join("main.tf"))
                .unwrap()
                .contains("timeout          = 40")
        );
        // What this save wrote is what the next one compares with.
        run(&mut doc, "set worker timeout 50");
        doc.save(None, false).unwrap();
    }

    #[test]
    fn a_template_or_sketch_changed_on_disk_is_not_written_over_unasked() {
        let dir = scratch("changed");
        let t = dir.join("template.yaml");
        std::fs::write(&t, io::EXAMPLE).unwrap();
        let k = dir.join("mine.sketch.yaml");
        let mut first = Document::open(&t).unwrap();
        first.save(Some(&k), false).unwrap();
        for path in [&t, &k] {
            let mut doc = Document::open(path).unwrap();
            run(&mut doc, "add queue Extra");
            let theirs = format!(
                "{}\n# someone else's line\n",
                std::fs::read_to_string(path).unwrap()
            );
            std::fs::write(path, &theirs).unwrap();
            let err = doc.save(None, false).unwrap_err();
            assert!(
                err.contains("changed on disk") && err.contains(":w!"),
                "{err}"
            );
            assert_eq!(std::fs::read_to_string(path).unwrap(), theirs);
            doc.save(None, true).unwrap();
            assert!(std::fs::read_to_string(path).unwrap().contains("Extra"));
            // What this save wrote is what the next one compares with.
            run(&mut doc, "add topic Later");
            doc.save(None, false).unwrap();
        }
    }

    #[test]
    fn a_single_tf_file_is_written_back_with_its_own_sidecar() {
        let dir = terraform_copy("app", "tf-file");
        let main = dir.join("main.tf");
        let mut doc = Document::open(&main).unwrap();
        assert_eq!(doc.origin, Origin::Template(Dialect::Terraform));
        run(&mut doc, "add queue extra");
        run(&mut doc, "move extra 2 2");
        doc.save(None, false).unwrap();
        assert!(
            std::fs::read_to_string(&main)
                .unwrap()
                .contains("resource \"aws_sqs_queue\" \"extra\"")
        );
        assert!(io::sidecar_path(&main).unwrap().is_file());
        assert!(!dir.join(".stacksketch.yaml").exists());
        let again = Document::open(&main).unwrap();
        assert!(
            again
                .sketch
                .service("aws_sqs_queue.extra")
                .unwrap()
                .position
                .is_some()
        );
    }

    #[test]
    fn any_sketch_writes_a_terraform_folder() {
        let dir = scratch("tf-any");
        let mut doc = Document::example();
        // A SAM sketch is translated; it stays a SAM sketch.
        let out = dir.join("infra/");
        let msg = doc.save(Some(&out), false).unwrap();
        assert!(msg.contains("the sketch stays SAM"), "{msg}");
        assert_eq!(doc.path, None);
        let written = folder(&dir.join("infra"));
        assert!(written.contains_key("main.tf"), "{written:?}");
        let back = formats::terraform::import(&written, "infra").unwrap();
        assert!(back.services().any(|s| s.type_name == "aws_sqs_queue"));
        // The same folder again is refused only where a file would change.
        doc.export("terraform", &dir.join("infra"), false).unwrap();
        std::fs::write(dir.join("infra/main.tf"), "# mine\n").unwrap();
        let err = doc
            .export("terraform", &dir.join("infra"), false)
            .unwrap_err();
        assert!(err.contains(":export! terraform"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.join("infra/main.tf")).unwrap(),
            "# mine\n"
        );
        // One .tf file only when the sketch comes out as one.
        let err = doc.save(Some(&dir.join("one.tf")), false).unwrap_err();
        assert!(err.contains("give a folder"), "{err}");
        assert!(!dir.join("one.tf").exists());
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
