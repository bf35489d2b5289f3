//! Pushes a fresh [`SpendSummary`] whenever the ledger changes (in this process or another one,
//! e.g. `clawtower ingest` while the app runs) or a calendar period rolls over.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::Zoned;
use tokio::sync::watch;

use crate::spend::{summarize, SpendSummary};
use clawtower_core::error::Result;
use clawtower_store::{data_version, Store};

/// How often the feed looks for commits (`PRAGMA data_version` is a cheap in-memory read).
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How often it recomputes even without commits, so "today" rolls over at midnight.
pub const RECOMPUTE_INTERVAL: Duration = Duration::from_secs(15);

/// A background thread publishing spend summaries; stops when dropped.
pub struct SpendFeed {
    rx: watch::Receiver<SpendSummary>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SpendFeed {
    /// Computes the first summary and starts watching.
    pub fn start(store: Arc<Store>, clock: fn() -> Zoned) -> Result<Self> {
        // Read the version before the first summary so a commit in between is never missed.
        let reader = store.open_reader()?;
        let seen_version = version_of(&reader);
        let first = summarize(&store, &clock())?;
        let (tx, rx) = watch::channel(first);
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("spend-feed".into())
            .spawn(move || run(store, reader, seen_version, clock, tx, stopped))
            .map_err(|e| clawtower_core::EngineError::io("starting the spend feed", e))?;
        Ok(SpendFeed {
            rx,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// A receiver that always holds the latest summary.
    pub fn subscribe(&self) -> watch::Receiver<SpendSummary> {
        self.rx.clone()
    }
}

impl Drop for SpendFeed {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn version_of(reader: &Option<rusqlite::Connection>) -> Option<i64> {
    reader.as_ref().and_then(|c| data_version(c).ok())
}

fn run(
    store: Arc<Store>,
    reader: Option<rusqlite::Connection>,
    mut seen_version: Option<i64>,
    clock: fn() -> Zoned,
    tx: watch::Sender<SpendSummary>,
    stopped: mpsc::Receiver<()>,
) {
    let mut last_compute = Instant::now();
    loop {
        match stopped.recv_timeout(POLL_INTERVAL) {
            Err(RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        let current = version_of(&reader);
        let due = last_compute.elapsed() >= RECOMPUTE_INTERVAL || reader.is_none();
        if current == seen_version && !due {
            continue;
        }
        seen_version = current;
        last_compute = Instant::now();
        match summarize(&store, &clock()) {
            Ok(summary) => {
                tx.send_if_modified(|old| {
                    let changed = !old.same_figures(&summary);
                    if changed {
                        *old = summary;
                    }
                    changed
                });
            }
            Err(err) => tracing::warn!(%err, "spend summary failed; keeping the last one"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_core::period::now_local;
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;

    #[test]
    fn a_commit_from_another_connection_reaches_subscribers() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("c.sqlite");
        let store = Arc::new(Store::open(&path).unwrap());
        let feed = SpendFeed::start(store, now_local).unwrap();
        let mut rx = feed.subscribe();
        assert_eq!(rx.borrow().tray_label, "$0.00 today");

        // A second process would open its own connection, exactly like this.
        let other = Store::open(&path).unwrap();
        let now_ms = jiff::Timestamp::now().as_millisecond();
        other
            .with_conn(|c| insert(c, &sample("x", now_ms, 2.5)))
            .unwrap();

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(10), rx.changed())
                .await
                .expect("no update within 10 s")
                .unwrap();
        });
        assert_eq!(rx.borrow().tray_label, "$2.50 today");
        drop(feed); // joins the thread
    }
}
