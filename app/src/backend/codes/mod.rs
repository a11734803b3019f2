//! Stored codes: generating (or reusing) them through WeChat, the history, soft
//! delete, share links and ZIP downloads.

mod service;
mod store;

pub use service::{new_share_token, parse_expiry, CodeService, Generated};
