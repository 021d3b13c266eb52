//! AWS SAM and CloudFormation templates, YAML or JSON.

mod export;
mod import;
pub mod policies;

pub use export::export;
pub use import::{FOR_EACH, IMPLICIT_HTTP_API, IMPLICIT_REST_API, import, parse_document};
