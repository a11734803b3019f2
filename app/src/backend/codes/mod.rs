//! Stored codes: generating (or reusing) them through WeChat, the history, soft
//! delete, share links and ZIP downloads.

mod service;
mod store;

pub use service::{archive_file_name, new_share_token, parse_expiry, CodeService, Generated};

#[cfg(test)]
mod search_tests;
