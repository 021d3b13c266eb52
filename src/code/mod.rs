//! A function's handler code: where the template says it lives, and starter
//! handlers for functions whose code is not written yet. A starter reads the
//! environment variables its connections hand it, makes the SDK call each
//! outgoing arrow stands for, and parses the event its trigger sends, so a
//! whiteboard becomes a project that builds and deploys.

mod events;
pub mod handlers;
mod stubs;

pub use stubs::{CodeSite, Runtime, StarterFile, code_sites, starter_files};
