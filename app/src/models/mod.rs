//! What crosses the wire between the server and the browser (and, where the
//! REST API answers the same, its clients): one file per domain.

pub mod accounts;
pub mod apps;
pub mod audit;
pub mod batches;
pub mod brand;
pub mod codes;
pub mod errors;
pub mod instance;
pub mod links;
pub mod living;
pub mod paging;
pub mod print;
pub mod settings;
