//! Server-only layer: application state, SQLite store and the generation service.

pub mod accounts;
pub mod archive;
pub mod audit;
pub mod batch;
pub mod db;
mod keyed_lock;
pub mod service;
pub mod state;
pub mod store;
mod tokens;

pub use service::CodeService;
pub use state::AppState;
