pub mod field_problems;
pub mod header;
pub mod result_panel;
