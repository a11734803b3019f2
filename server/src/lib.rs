#![recursion_limit = "512"]
//! The wxacode HTTP server: configuration, wiring and the REST API. The pages
//! and server functions come from the `app` crate, the WeChat client and
//! simulator from `wxacode`.

pub mod auth;
pub mod client_ip;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod metrics;
pub mod request_id;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
