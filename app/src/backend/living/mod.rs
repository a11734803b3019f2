//! Living codes (活码): codes whose printed scene is a short key that the mini
//! program's landing page resolves into a target that can change after printing;
//! each resolve is a scan, written in batches.

mod resolve_cache;
mod scan_writer;
mod service;
mod store;

pub use scan_writer::ScanWriterConfig;
pub use service::{LivingConfig, LivingService, ScanHit};
