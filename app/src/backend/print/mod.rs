//! Print: label sheets as PDF, in a CJK-capable font, and the PNG drawing posters and logo
//! renditions share.

pub mod draw;
pub mod font;
mod service;
pub mod sheet;

pub use service::PrintService;
