pub mod audit;
pub mod batches;
pub mod code_detail;
pub mod generator;
pub mod history;
pub mod not_found;
pub mod share;
