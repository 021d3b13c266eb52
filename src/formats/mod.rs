//! Text to sketch and sketch to text, one module per format. Everything here
//! is a pure function over strings (and, for folders, maps of relative paths
//! to text); reading and writing files is the caller's business.

pub mod dot;
pub mod json;
pub mod mermaid;
pub mod names;
pub mod patch;
pub mod refs;
pub mod sam;
pub mod sketch;
pub mod terraform;
pub mod translate;
pub mod yaml;

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Sketch;

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
        match word.to_ascii_lowercase().as_str() {
            "sam" | "cloudformation" | "cfn" => Some(Format::Sam),
            "terraform" | "tf" | "hcl" => Some(Format::Terraform),
            "sketch" => Some(Format::Sketch),
            "json" => Some(Format::Json),
            _ => None,
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
        _ => sam::import(name, text),
    }
}

/// What an export produced: the text (or, for folders, files by relative
/// path) and anything worth telling the user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<String>,
}

impl Output {
    pub fn single(name: &str, text: String, warnings: Vec<String>) -> Output {
        let mut files = BTreeMap::new();
        files.insert(name.to_string(), text);
        Output { files, warnings }
    }
    /// The text of a single-file output.
    pub fn text(&self) -> &str {
        self.files.values().next().map(String::as_str).unwrap_or("")
    }
}
