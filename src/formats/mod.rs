//! Text to sketch and sketch to text, one module per format. Everything here
//! is a pure function over strings (and, for folders, maps of relative paths
//! to text); reading and writing files is the caller's business.

pub mod dangling;
pub mod dot;
mod fold;
pub mod json;
pub mod json_doc;
pub mod mermaid;
pub mod names;
pub mod patch;
pub mod recipes;
pub mod refs;
pub mod sam;
pub mod sketch;
pub mod terraform;
pub mod tfstate;
pub mod translate;
mod wiring;
pub mod yaml;

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Dialect, Sketch};

/// A problem with an input, pointing at where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl FormatError {
    pub fn new(file: &str, line: usize, column: usize, message: impl Into<String>) -> FormatError {
        FormatError {
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            hint: None,
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> FormatError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FormatError {}

/// The formats a sketch can be read from or written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// AWS SAM / CloudFormation, YAML or JSON.
    Sam,
    Terraform,
    /// The native `.sketch.yaml` file.
    Sketch,
    /// The graph as JSON (`{"nodes":[...],"edges":[...]}`).
    Json,
}

impl Format {
    pub fn parse(word: &str) -> Option<Format> {
        if let Some(d) = Dialect::parse(word) {
            return Some(d.into());
        }
        match word.to_ascii_lowercase().as_str() {
            "sketch" => Some(Format::Sketch),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The language of a format that is code in one.
    pub fn dialect(self) -> Option<Dialect> {
        match self {
            Format::Sam => Some(Dialect::Sam),
            Format::Terraform => Some(Dialect::Terraform),
            Format::Sketch | Format::Json => None,
        }
    }

    /// The format a file name implies, when it implies one.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".sketch.yaml") || lower.ends_with(".sketch.yml") {
            Some(Format::Sketch)
        } else if lower.ends_with(".tf") || lower.ends_with(".tf.json") {
            Some(Format::Terraform)
        } else if lower.ends_with(".yaml")
            || lower.ends_with(".yml")
            || lower.ends_with(".json")
            || lower.ends_with(".template")
        {
            Some(Format::Sam)
        } else {
            None
        }
    }
}

impl From<Dialect> for Format {
    fn from(d: Dialect) -> Format {
        match d {
            Dialect::Sam => Format::Sam,
            Dialect::Terraform => Format::Terraform,
        }
    }
}

/// Text that is not valid UTF-8 cannot be a template; say where it stops being text.
pub fn check_text<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, FormatError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(FormatError::new(name, line, column, "this is not UTF-8 text (is it a binary file?)")
                .hint("give a SAM/CloudFormation template, a Terraform file or folder, or a .sketch.yaml file"))
        }
    }
}

/// Reads one file: a `.sketch.yaml`, or a SAM/CloudFormation template
/// (YAML or JSON). The name is used for messages and to pick the format.
pub fn read(name: &str, text: &str) -> Result<Sketch, FormatError> {
    if text.trim().is_empty() {
        return Err(FormatError::new(name, 1, 1, "the file is empty")
            .hint("a template needs at least a `Resources:` section"));
    }
    match Format::from_path(name) {
        Some(Format::Sketch) => sketch::read(name, text),
        _ if sketch::looks_like_sketch(text) => sketch::read(name, text),
        _ if tfstate::looks_like_state(name, text) => tfstate::read(name, text),
        _ => sam::import(name, text),
    }
}

/// What an export produced: the text (or, for folders, files by relative
/// path) and anything worth telling the user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<String>,
    /// Connections drawn in the sketch that the files do not grant, and why.
    /// Writing such files over a template would claim more than they do.
    pub unwritten: Vec<Unwritten>,
}

/// A connection the export could not write, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unwritten {
    pub from: String,
    pub to: String,
    pub kind: crate::model::ConnectionKind,
    pub reason: String,
}

impl fmt::Display for Unwritten {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} -> {} ({}): {}",
            self.from, self.to, self.kind, self.reason
        )
    }
}

impl Output {
    /// The sketch's connections marked with what this output could not write.
    pub fn mark(&self, sketch: &mut Sketch) {
        let list: Vec<_> = self
            .unwritten
            .iter()
            .map(|u| (u.from.clone(), u.to.clone(), u.kind, u.reason.clone()))
            .collect();
        sketch.mark_not_written(&list);
    }

    pub fn single(name: &str, text: String, warnings: Vec<String>) -> Output {
        let mut files = BTreeMap::new();
        files.insert(name.to_string(), text);
        Output {
            files,
            warnings,
            unwritten: Vec::new(),
        }
    }
    /// The text of a single-file output.
    pub fn text(&self) -> &str {
        self.files.values().next().map(String::as_str).unwrap_or("")
    }

    /// The files as one text, the way `export` prints a folder: a single
    /// file as it is; several each under a `# ---- PATH` line, with a blank
    /// line between them. See [`split_listing`] for the way back.
    pub fn listing(&self) -> String {
        listing(&self.files)
    }
}

/// What starts each file of a listing of several files. It is a comment in
/// every format that comes as a folder, so a listing still reads as code.
pub const LISTING_HEADER: &str = "# ---- ";

/// Files as one text; see [`Output::listing`].
pub fn listing(files: &BTreeMap<String, String>) -> String {
    if files.len() == 1 {
        return files.values().next().cloned().unwrap_or_default();
    }
    let mut out = String::new();
    for (i, (name, text)) in files.iter().enumerate() {
        if i > 0 {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(LISTING_HEADER);
        out.push_str(name);
        out.push('\n');
        out.push_str(text);
    }
    out
}

/// Where each file's text begins in [`listing`], as a zero-based line.
pub fn listing_starts(files: &BTreeMap<String, String>) -> Vec<(String, usize)> {
    if files.len() == 1 {
        return files.keys().map(|k| (k.clone(), 0)).collect();
    }
    let mut out = Vec::new();
    let mut line = 0;
    for (i, (name, text)) in files.iter().enumerate() {
        if i > 0 {
            line += 1;
        }
        out.push((name.clone(), line + 1));
        line += 1 + text.split_inclusive('\n').count();
    }
    out
}

/// Splits an edited listing back into the files `names`. The header
/// lines say where each file starts, so each must still be there, once;
/// text before the first one belongs to no file. An error's line is
/// the listing's, counted from 1.
pub fn split_listing(
    text: &str,
    names: &[String],
) -> Result<BTreeMap<String, String>, FormatError> {
    if names.len() <= 1 {
        let name = names.first().map_or("main.tf", String::as_str);
        return Ok(BTreeMap::from([(name.to_string(), text.to_string())]));
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let header = |line: &str| {
        line.trim_end_matches(['\n', '\r'])
            .strip_prefix(LISTING_HEADER)
            .filter(|n| names.iter().any(|x| x == n))
            .map(str::to_string)
    };
    let at = |i: usize, msg: String| FormatError::new("code", i + 1, 1, msg);
    let mut starts: Vec<(String, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(name) = header(l) {
            if starts.iter().any(|(n, _)| *n == name) {
                return Err(at(
                    i,
                    format!("`{LISTING_HEADER}{name}` is here twice; each file has one such line"),
                ));
            }
            starts.push((name, i));
        }
    }
    let first = starts.first().map_or(lines.len(), |s| s.1);
    if let Some(i) = lines[..first].iter().position(|l| !l.trim().is_empty()) {
        return Err(at(
            i,
            format!("this comes before the first `{LISTING_HEADER}FILE` line, so it is in no file"),
        ));
    }
    if let Some(missing) = names.iter().find(|n| !starts.iter().any(|(s, _)| s == *n)) {
        return Err(at(
            first.min(lines.len().saturating_sub(1)),
            format!(
                "the line `{LISTING_HEADER}{missing}` is gone; put it back where {missing} starts"
            ),
        ));
    }
    let mut out = BTreeMap::new();
    for (k, (name, start)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |s| s.1);
        let mut body = &lines[start + 1..end];
        // The blank line that separates one file from the next.
        if k + 1 < starts.len() {
            if let Some((last, rest)) = body.split_last() {
                if last.trim_end_matches(['\n', '\r']).is_empty() {
                    body = rest;
                }
            }
        }
        out.insert(name.clone(), body.concat());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_listing_splits_back_into_its_files() {
        let f = files(&[
            ("main.tf", "a\n\nb\n"),
            ("modules/x/main.tf", "c"),
            ("z.tf", ""),
        ]);
        let text = listing(&f);
        assert_eq!(
            text,
            "# ---- main.tf\na\n\nb\n\n# ---- modules/x/main.tf\nc\n\n# ---- z.tf\n"
        );
        let lines: Vec<&str> = text.lines().collect();
        for (name, start) in listing_starts(&f) {
            assert_eq!(lines[start - 1], format!("{LISTING_HEADER}{name}"));
        }
        let names: Vec<String> = f.keys().cloned().collect();
        let back = split_listing(&text, &names).unwrap();
        assert_eq!(back["main.tf"], f["main.tf"]);
        // A file without a last newline gets one; nothing else changes.
        assert_eq!(back["modules/x/main.tf"], "c\n");
        assert_eq!(back["z.tf"], "");
    }

    #[test]
    fn one_file_is_its_own_listing() {
        let f = files(&[("main.tf", "a\n")]);
        assert_eq!(listing(&f), "a\n");
        assert_eq!(listing_starts(&f), [("main.tf".to_string(), 0)]);
        let back = split_listing("b\n", &["main.tf".to_string()]).unwrap();
        assert_eq!(back["main.tf"], "b\n");
    }

    #[test]
    fn a_listing_needs_each_file_line_once() {
        let names = vec!["a.tf".to_string(), "b.tf".to_string()];
        let e = split_listing("# ---- a.tf\nx\n", &names).unwrap_err();
        assert!(e.message.contains("b.tf"), "{e}");
        let e = split_listing("x\n# ---- a.tf\n# ---- b.tf\n", &names).unwrap_err();
        assert_eq!(e.line, 1);
        let e = split_listing("# ---- a.tf\n# ---- b.tf\n# ---- a.tf\n", &names).unwrap_err();
        assert_eq!(e.line, 3);
        // A line naming no file of the folder is an ordinary comment.
        let back = split_listing("# ---- a.tf\n# ---- c.tf\n\n# ---- b.tf\ny\n", &names).unwrap();
        assert_eq!(back["a.tf"], "# ---- c.tf\n");
        assert_eq!(back["b.tf"], "y\n");
    }
}
