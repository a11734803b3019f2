//! Print: label sheets as PDF, in a CJK-capable font.

pub mod font;
mod service;
pub mod sheet;

pub use service::PrintService;
