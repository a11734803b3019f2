//! WeChat links (URL Link, URL Scheme, Short Link) that open the mini program from SMS,
//! e-mail and H5 pages: made through WeChat, kept, listed, renewed before they expire.

mod jump;
mod service;
mod store;

pub use service::LinkService;
