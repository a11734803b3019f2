//! Batch jobs: a spreadsheet in, one code per row, throttled, resumable, ZIP out.

pub mod runner;
pub mod service;
pub mod sheet;
pub mod store;
pub use service::BatchService;
