pub mod copy_button;
pub mod field_problems;
pub mod header;
pub mod local_time;
pub mod result_panel;
pub mod scene_helper;
pub mod share_expiry;
pub mod toast;
