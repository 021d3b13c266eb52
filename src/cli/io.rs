//! The commands' files in and out live in the `document` room, shared with
//! the whiteboard.

pub use crate::document::*;
