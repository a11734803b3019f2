//! Batch jobs: a spreadsheet in, one code per row, throttled, resumable, ZIP out.

pub mod sheet;
