//! Print: label sheets as PDF, in a CJK-capable font.

pub mod font;
pub mod sheet;
