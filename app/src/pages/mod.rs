pub mod generator;
pub mod not_found;
