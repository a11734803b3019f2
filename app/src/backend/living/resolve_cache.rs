//! What resolves answer from memory: a living code as it was read a moment ago.
//! Changes made on this instance forget their entry at once; other replicas see
//! them when the entry grows stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wxacode::{LivingStatus, Target};

/// Scenes the cache holds before it starts afresh.
const MAX_ENTRIES: usize = 100_000;

/// What a resolve needs of a living code, kept in memory for a moment.
pub struct Cached {
    pub code_id: i64,
    pub target: Target,
    pub set_status: LivingStatus,
    pub ends_at: Option<String>,
    pub fallback_page: wxacode::PagePath,
    pub deleted: bool,
}

/// Scene → what it meant a moment ago (`None`: no such living code).
pub struct ResolveCache {
    ttl: Duration,
    entries: Mutex<Entries>,
}

/// Scene → when it was read, and what it was (`None`: unknown).
type Entries = HashMap<String, (Instant, Option<Arc<Cached>>)>;

impl ResolveCache {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `None` when not cached (or stale); `Some(None)` when cached as unknown.
    pub fn get(&self, scene: &str) -> Option<Option<Arc<Cached>>> {
        let entries = self.lock();
        let (at, found) = entries.get(scene)?;
        (at.elapsed() < self.ttl).then(|| found.clone())
    }

    pub fn put(&self, scene: &str, found: Option<Arc<Cached>>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(scene.to_owned(), (Instant::now(), found));
    }

    pub fn forget(&self, scene: &str) {
        self.lock().remove(scene);
    }
}
