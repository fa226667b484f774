//! A short-lived, bounded memo: what the worker remembers between requests of one isolate (the
//! credential behind a key hash, a partner's allowed origins), so that a warm request spends its one
//! D1 round trip on the route's own data.
//!
//! The rule it keeps: an entry is never served later than `ttl_ms` after it was read from the
//! database, nor after the instant it stops being valid by itself (a portal token's expiry). A change
//! made through this isolate evicts what it changed at once ([`Memo::evict_where`]); a change made
//! through another isolate is seen here at most `ttl_ms` later. Bounded: when full, the entry read
//! longest ago goes first.

/// How long a remembered credential or origin list is served: the bound on how long a revocation
/// made in another isolate can be outlived.
pub const CREDENTIAL_TTL_MS: u64 = 5_000;

/// How many credentials (or partners' origin lists) one isolate remembers.
pub const CREDENTIAL_CAPACITY: usize = 512;

struct Entry<K, V> {
    key: K,
    value: V,
    read_at_ms: u64,
    /// The entry's own end (min of `read_at_ms + ttl_ms` and the value's expiry).
    until_ms: u64,
}

/// A time-bounded memo of at most `capacity` entries.
pub struct Memo<K, V> {
    ttl_ms: u64,
    capacity: usize,
    entries: Vec<Entry<K, V>>,
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// An empty memo.
    pub const fn new(ttl_ms: u64, capacity: usize) -> Self {
        Memo { ttl_ms, capacity, entries: Vec::new() }
    }

    /// The value remembered for `key`, if it was read less than `ttl_ms` before `now_ms` and has not
    /// expired by itself. An entry found stale is dropped.
    pub fn get(&mut self, key: &K, now_ms: u64) -> Option<V> {
        let i = self.entries.iter().position(|e| &e.key == key)?;
        let e = &self.entries[i];
        // A clock that went backwards (another isolate's clock is not ours) does not extend a life.
        if now_ms >= e.until_ms || now_ms < e.read_at_ms {
            self.entries.swap_remove(i);
            return None;
        }
        Some(e.value.clone())
    }

    /// Remembers `value` for `key` as read at `now_ms`, valid until `expires_ms` at the latest.
    pub fn put(&mut self, key: K, value: V, now_ms: u64, expires_ms: Option<u64>) {
        self.entries.retain(|e| e.key != key && now_ms < e.until_ms);
        let until_ms = now_ms.saturating_add(self.ttl_ms).min(expires_ms.unwrap_or(u64::MAX));
        if until_ms <= now_ms || self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            if let Some(oldest) = (0..self.entries.len()).min_by_key(|&i| self.entries[i].read_at_ms) {
                self.entries.swap_remove(oldest);
            }
        }
        self.entries.push(Entry { key, value, read_at_ms: now_ms, until_ms });
    }

    /// Forgets every entry whose value matches (a revoked key, a partner whose origins changed).
    pub fn evict_where(&mut self, mut matches: impl FnMut(&V) -> bool) {
        self.entries.retain(|e| !matches(&e.value));
    }

    /// Entries held (stale ones included until touched).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_entry_is_served_within_its_ttl_and_not_after() {
        let mut m = Memo::new(5_000, 8);
        m.put("k", 1, 1_000, None);
        assert_eq!(m.get(&"k", 1_000), Some(1));
        assert_eq!(m.get(&"k", 5_999), Some(1));
        assert_eq!(m.get(&"k", 6_000), None, "a revocation elsewhere is seen 5 s after the read at the latest");
        assert!(m.is_empty(), "a stale entry is dropped when found");
    }

    #[test]
    fn a_value_that_expires_by_itself_is_not_served_after_its_expiry() {
        let mut m = Memo::new(5_000, 8);
        m.put("token", 1, 1_000, Some(2_500));
        assert_eq!(m.get(&"token", 2_499), Some(1));
        assert_eq!(m.get(&"token", 2_500), None);
        m.put("expired", 2, 3_000, Some(2_000));
        assert_eq!(m.get(&"expired", 3_000), None, "an already expired value is not remembered");
    }

    #[test]
    fn a_clock_going_backwards_does_not_extend_a_life() {
        let mut m = Memo::new(5_000, 8);
        m.put("k", 1, 10_000, None);
        assert_eq!(m.get(&"k", 9_000), None);
    }

    #[test]
    fn eviction_forgets_what_changed_here_at_once() {
        let mut m = Memo::new(5_000, 8);
        m.put("a", ("key_1", "p1"), 0, None);
        m.put("b", ("key_2", "p1"), 0, None);
        m.evict_where(|v| v.0 == "key_1");
        assert_eq!(m.get(&"a", 1), None);
        assert_eq!(m.get(&"b", 1), Some(("key_2", "p1")));
    }

    #[test]
    fn when_full_the_entry_read_longest_ago_goes_first() {
        let mut m = Memo::new(5_000, 2);
        m.put("a", 1, 0, None);
        m.put("b", 2, 10, None);
        m.put("c", 3, 20, None);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(&"a", 30), None);
        assert_eq!(m.get(&"b", 30), Some(2));
        assert_eq!(m.get(&"c", 30), Some(3));
    }

    #[test]
    fn putting_a_key_again_replaces_it_and_restarts_its_life() {
        let mut m = Memo::new(5_000, 4);
        m.put("a", 1, 0, None);
        m.put("a", 2, 4_000, None);
        assert_eq!(m.len(), 1);
        assert_eq!(m.get(&"a", 8_999), Some(2));
    }

    proptest! {
        /// Whatever the sequence of reads and writes, a value is never served `ttl` or more after it
        /// was put, nor at or after its own expiry, and the memo never holds more than its capacity.
        #[test]
        fn never_served_stale_and_never_over_capacity(
            ops in proptest::collection::vec((0u8..4, 0u8..6, 0u64..20_000, proptest::option::of(0u64..20_000)), 1..80)
        ) {
            let mut m: Memo<u8, (u64, u64)> = Memo::new(5_000, 3);
            let mut clock = 0u64;
            for (op, key, step, expires) in ops {
                clock += step % 3_000;
                match op {
                    0 | 1 => m.put(key, (clock, expires.unwrap_or(u64::MAX)), clock, expires),
                    2 => m.evict_where(|v| v.0 % 2 == 0),
                    _ => {
                        if let Some((put_at, exp)) = m.get(&key, clock) {
                            prop_assert!(clock < put_at + 5_000);
                            prop_assert!(clock < exp);
                        }
                    }
                }
                prop_assert!(m.len() <= 3);
            }
        }
    }
}
