//! The engine facade the CLI and the desktop app hold: the store, the spend feed, preferences.

use std::sync::Arc;

use tokio::sync::watch;

use crate::error::Result;
use crate::paths::DataDir;
use crate::period::now_local;
use crate::preferences::{self, Theme};
use crate::spend::{summarize, SpendSummary};
use crate::spend_feed::SpendFeed;
use crate::store::Store;

/// A running engine over one data directory.
pub struct Engine {
    data_dir: DataDir,
    store: Arc<Store>,
    feed: SpendFeed,
}

impl Engine {
    /// Opens the data dir (creating it, owner-only) and its ledger store, and starts the spend feed.
    pub fn open(data_dir: DataDir) -> Result<Self> {
        data_dir.ensure()?;
        let store = Arc::new(Store::open(&data_dir.database())?);
        let feed = SpendFeed::start(store.clone(), now_local)?;
        Ok(Engine {
            data_dir,
            store,
            feed,
        })
    }

    /// The data directory.
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    /// The ledger store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Spend so far, computed now.
    pub fn spend_summary(&self) -> Result<SpendSummary> {
        summarize(&self.store, &now_local())
    }

    /// Latest spend summary, updated whenever the ledger changes.
    pub fn subscribe_spend(&self) -> watch::Receiver<SpendSummary> {
        self.feed.subscribe()
    }

    /// The stored UI theme.
    pub fn theme(&self) -> Result<Theme> {
        preferences::theme(&self.store)
    }

    /// Stores the UI theme.
    pub fn set_theme(&self, theme: Theme) -> Result<()> {
        preferences::set_theme(&self.store, theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_fresh_data_dir_and_reports_zero() {
        let tmp = tempfile::tempdir().unwrap();
        let engine = Engine::open(DataDir::at(tmp.path().join("data"))).unwrap();
        assert!(engine.data_dir().database().is_file());
        assert_eq!(engine.spend_summary().unwrap().tray_label, "$0.00 today");
        assert_eq!(engine.subscribe_spend().borrow().tray_label, "$0.00 today");
        engine.set_theme(Theme::Light).unwrap();
        assert_eq!(engine.theme().unwrap(), Theme::Light);
    }

    #[test]
    fn an_unusable_data_dir_is_a_store_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = Engine::open(DataDir::at(&file)).err().expect("must fail");
        assert_eq!(err.code(), crate::ErrorCode::Io);
    }
}
