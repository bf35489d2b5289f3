//! When a feed last heard from its gateway, kept in the store: what the gateway said while the
//! app was closed is read back at the next start (a remote gateway has no file watcher to fill
//! the gap), as a lost connection is.

use clawtower_gateway::redact_url;
use clawtower_store::{preferences, Store};

/// The time is written at most this often while events flow (the backfill reaches a minute
/// further back than it, so nothing between two writes is missed).
const SAVE_EVERY_MS: i64 = 10_000;

/// The last time a gateway was heard from, Unix ms, and what of it is stored.
pub(crate) struct LastSeen {
    key: String,
    at: Option<i64>,
    saved: Option<i64>,
}

impl LastSeen {
    /// What the store holds for the gateway at `url` (nothing for one never followed).
    pub(crate) fn load(store: &Store, url: &str) -> LastSeen {
        // Keyed by the URL without any credential it may carry.
        let key = format!("feed.last_seen:{}", redact_url(url));
        let at = store
            .with_conn(|c| preferences::get(c, &key))
            .unwrap_or_else(|e| {
                tracing::warn!(%e, "when the gateway was last heard from is not readable");
                None
            })
            .and_then(|text| text.parse().ok());
        LastSeen { key, at, saved: at }
    }

    /// When it was last heard from.
    pub(crate) fn at(&self) -> Option<i64> {
        self.at
    }

    /// It was heard from at `now_ms`; stored when the last write is old enough.
    pub(crate) fn heard(&mut self, store: &Store, now_ms: i64) {
        self.at = Some(now_ms);
        if self
            .saved
            .is_none_or(|saved| now_ms - saved >= SAVE_EVERY_MS)
        {
            self.save(store);
        }
    }

    /// Stores the time it was last heard from (when the feed stops, and as it goes).
    pub(crate) fn save(&mut self, store: &Store) {
        let Some(at) = self.at.filter(|at| Some(*at) != self.saved) else {
            return;
        };
        match store.with_conn(|c| preferences::set(c, &self.key, &at.to_string())) {
            Ok(()) => self.saved = Some(at),
            Err(e) => tracing::warn!(%e, "could not store when the gateway was last heard from"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_across_loads_written_at_most_every_ten_seconds_and_never_with_a_credential() {
        let store = Store::open_in_memory().unwrap();
        let url = "ws://user:hunter2@127.0.0.1:18789";
        let mut seen = LastSeen::load(&store, url);
        assert_eq!(seen.at(), None);
        seen.heard(&store, 1_000);
        seen.heard(&store, 5_000);
        assert_eq!(
            LastSeen::load(&store, url).at(),
            Some(1_000),
            "not written again yet"
        );
        seen.heard(&store, 11_000);
        assert_eq!(LastSeen::load(&store, url).at(), Some(11_000));
        seen.heard(&store, 12_000);
        seen.save(&store);
        assert_eq!(
            LastSeen::load(&store, url).at(),
            Some(12_000),
            "written when the feed stops"
        );
        let keys: Vec<String> = store
            .with_conn(|c| {
                Ok(c.prepare("SELECT key FROM preferences")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert!(keys.iter().all(|k| !k.contains("hunter2")), "{keys:?}");
    }
}
