//! Batch jobs: a spreadsheet in, one code per row, throttled, resumable, ZIP out.

pub mod runner;
mod service;
pub mod sheet;
mod store;
pub mod template;

pub use runner::{BatchRunner, RunnerConfig};
pub use service::BatchService;
