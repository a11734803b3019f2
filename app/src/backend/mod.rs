//! The server-side layer (feature `ssr`). One folder per domain — `codes`,
//! `batches`, `accounts`, `apps`, `audit`, `living`, `links`, `budget`, `print`, `brand`, `settings` — each with `service.rs`, its one public face
//! (every rule and permission check), and `store.rs`, its SQL, which only that
//! service calls. Routes and server functions call services, never a store or
//! the pool. Shared pieces sit beside them: `db` (pool, `StoreError`, stored
//! instants), `actor` (who is asking), `archive` (ZIP and CSV files), `tokens`.

pub mod accounts;
pub mod actor;
pub mod apps;
pub mod archive;
pub mod audit;
pub mod batches;
pub mod brand;
pub mod budget;
pub mod codes;
pub mod counters;
pub mod db;
pub mod health;
mod keyed_lock;
pub mod links;
pub mod living;
pub mod print;
pub(crate) mod row;
mod schema;
pub mod settings;
pub mod state;
mod tokens;
pub(crate) mod zone;

pub use state::AppState;
