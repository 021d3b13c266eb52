//! The monthly cost of a sketch, priced from an embedded table of public
//! prices (with its date and sources) that a user file can override.

pub mod prices;

pub use prices::{HOURS_PER_MONTH, PriceRow, PriceTable};
