//! One WeChat budget for every replica: WeChat counts calls per AppID, so replicas on one
//! PostgreSQL database pace their calls through it (a GCRA row per budget) instead of each
//! keeping a budget of its own. A server alone on SQLite keeps pacing in memory.

mod service;
mod store;

pub use service::shared_pacers;
