//! Terraform folders: every `.tf` file of a folder and of the local modules
//! it calls, read into one sketch keyed by Terraform addresses, and written
//! back so that untouched blocks keep their bytes.

mod derive;
mod export;
mod import;
pub mod registry;
mod skeleton;
mod splice;
mod syntax;
mod text;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::formats::{FormatError, Output};
use crate::model::Sketch;

pub use derive::{is_data, scope_of};
pub use import::{is_local_source, join, missing_module_dirs};
pub use skeleton::EVENT_TARGET;
pub use syntax::JSONENCODE;
pub use text::quote as quote_template;

/// Reads a folder given as relative path to text (a single file is a
/// folder of one). `name` names the sketch.
pub fn import(files: &BTreeMap<String, String>, name: &str) -> Result<Sketch, FormatError> {
    import::read(files, name).map(|(s, _)| s)
}

/// Where each resource, data source and module call of a folder is: its
/// address to the file and the block's byte range in it. Empty when the
/// folder does not read.
pub fn places(files: &BTreeMap<String, String>) -> BTreeMap<String, (String, Range<usize>)> {
    match import::read(files, "terraform") {
        Ok((sketch, index)) => index
            .places
            .into_iter()
            .filter(|(id, _)| sketch.contains(id))
            .map(|(id, p)| (id, (p.file, p.span)))
            .collect(),
        Err(_) => BTreeMap::new(),
    }
}

/// Writes a sketch as a Terraform folder: relative path to text.
pub fn export(sketch: &Sketch) -> Output {
    export::export(sketch)
}
