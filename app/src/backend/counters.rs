//! What the services count for `/metrics` (the `metrics` facade: nothing is recorded until
//! the server installs its exporter). Names in one place, so the README's list stays true.

/// Batch rows finished, by `outcome` (`done` or `failed`).
pub const BATCH_ROWS: &str = "wxacode_batch_rows_total";
/// Living-code resolves, by `outcome` (`active`, `gone`, `unknown`).
pub const RESOLVES: &str = "wxacode_living_resolves_total";
/// Scan events written to the database, and those given up after every retry.
pub const SCANS_WRITTEN: &str = "wxacode_scans_written_total";
pub const SCANS_LOST: &str = "wxacode_scans_lost_total";

pub fn batch_row(done: bool) {
    metrics::counter!(BATCH_ROWS, "outcome" => if done { "done" } else { "failed" }).increment(1);
}

pub fn resolve(outcome: &'static str) {
    metrics::counter!(RESOLVES, "outcome" => outcome).increment(1);
}

pub fn scans(written: bool, events: usize) {
    let name = if written { SCANS_WRITTEN } else { SCANS_LOST };
    metrics::counter!(name).increment(events as u64);
}
