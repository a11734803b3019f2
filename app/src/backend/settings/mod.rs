//! Team settings (admins change them, everyone reads them) and what they steer: the names
//! downloads and ZIP entries get ([`FileNamer`]).

mod namer;
mod service;
mod store;

pub use namer::FileNamer;
pub use service::SettingsService;
