//! The monthly cost of a sketch, priced from an embedded table of public
//! prices (with its date and sources) that a user file can override, with
//! usage assumptions in Infracost's usage-file format and sizes read from
//! the template.

pub mod prices;
pub mod template;
pub mod usage;

pub use prices::{HOURS_PER_MONTH, PriceRow, PriceTable};
pub use template::Shape;
pub use usage::UsageFile;
