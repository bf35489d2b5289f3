//! Keeps the message search index current: every few seconds, the sessions the ledger marked
//! pending are read and indexed, in slices short enough never to hold the writer for long. A
//! session indexed less than [`AGAIN_AFTER`] ago waits: a live session is read again every five
//! seconds at most, not after every line OpenClaw writes — and then only what it gained since
//! ([`IndexedTo`]).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clawtower_sessions::search::{index_pending, IndexedTo};
use clawtower_store::Store;

use crate::tasks::Tasks;

/// How often pending sessions are looked for.
const EVERY: Duration = Duration::from_secs(5);
/// The longest one pass reads before it yields (a first index of a large home takes many).
const SLICE: Duration = Duration::from_secs(2);
/// The least time between two readings of one session.
const AGAIN_AFTER: Duration = Duration::from_secs(5);

/// Starts the indexer over the transcripts of `state_dir`.
pub(crate) fn index_messages(store: Arc<Store>, state_dir: PathBuf, tasks: &Tasks) {
    tasks.spawn(async move {
        let mut indexed_at: HashMap<String, Instant> = HashMap::new();
        let read_to = Arc::new(IndexedTo::default());
        loop {
            let (store, state_dir, read_to) = (store.clone(), state_dir.clone(), read_to.clone());
            let recent: HashSet<String> = indexed_at
                .iter()
                .filter(|(_, at)| at.elapsed() < AGAIN_AFTER)
                .map(|(key, _)| key.clone())
                .collect();
            let pass = tokio::task::spawn_blocking(move || {
                let defer = |key: &str| recent.contains(key);
                index_pending(
                    &state_dir,
                    &store,
                    Some(Instant::now() + SLICE),
                    &defer,
                    &read_to,
                )
            })
            .await;
            match pass {
                Ok(Ok(pass)) => {
                    let now = Instant::now();
                    indexed_at.retain(|_, at| at.elapsed() < AGAIN_AFTER);
                    indexed_at.extend(pass.indexed.iter().map(|key| (key.clone(), now)));
                    for (session, why) in &pass.failed {
                        tracing::warn!(%session, %why, "cannot index the messages of a session");
                    }
                    if pass.remaining > 0 {
                        continue;
                    }
                }
                Ok(Err(err)) => tracing::warn!(%err, "the message search index pass failed"),
                Err(err) => tracing::warn!(%err, "the message search index pass stopped"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
