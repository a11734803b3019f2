//! Team accounts: sign-in with throttling, sessions, roles, API keys, and the
//! first admin. Secrets (passwords, session tokens, keys) are only ever stored
//! as hashes and never logged.

pub mod cookie;
mod password;
mod service;
mod store;
mod throttle;

pub use cookie::SessionPolicy;
pub use service::{account_subject, key_actor_name, key_subject, AccountService, SignedIn, UserChange};
pub use throttle::ThrottlePolicy;

#[cfg(test)]
mod tests;
