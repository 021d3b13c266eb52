//! Reading a function's handler code for the AWS SDK calls it makes.

pub mod javascript;
pub mod python;
pub mod syntax;
