//! The commands' files in and out live in the `document` room, shared with
//! the whiteboard; a command's failure says how the program exits.

pub use crate::document::*;

pub type Result<T> = std::result::Result<T, Failure>;
