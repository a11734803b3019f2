//! Keyset paging, shared by every list that pages newest first.

/// Cuts a page fetched with one row more than `limit`: that extra row only says a
/// next page exists, which then starts before the last row kept.
pub fn split_page<T>(mut items: Vec<T>, limit: u32, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
    let limit = limit as usize;
    if items.len() <= limit {
        return (items, None);
    }
    items.truncate(limit);
    let next = items.last().map(id);
    (items, next)
}

/// One row more than a page holds, to ask the store for.
pub fn fetch_size(limit: u32) -> u32 {
    limit.saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_ends_exactly_at_the_last_row_has_no_next_page() {
        assert_eq!(split_page(vec![5, 4, 3], 3, |x| *x), (vec![5, 4, 3], None));
        assert_eq!(split_page(vec![5, 4, 3, 2], 3, |x| *x), (vec![5, 4, 3], Some(3)));
        assert_eq!(split_page(Vec::<i64>::new(), 3, |x| *x), (vec![], None));
    }
}
