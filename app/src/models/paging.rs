//! Keyset paging, shared by every list that pages newest first.

/// Where the next keyset page starts: before the last item, when this page came back full.
pub fn next_before<T>(items: &[T], limit: u32, id: impl Fn(&T) -> i64) -> Option<i64> {
    (items.len() == limit as usize).then(|| items.last().map(id)).flatten()
}
