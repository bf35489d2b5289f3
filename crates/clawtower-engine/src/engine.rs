//! The engine facade the CLI and the desktop app hold: the store, the spend feed, preferences.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::preferences::{self, Theme};
use clawtower_control::alerts::sinks::{store as sink_store, SinkDraft, SinkView};
use clawtower_control::alerts::{self, Alert};
use clawtower_control::anomaly::store::{self as anomaly_store, AnomalyRules};
use clawtower_control::anomaly::{Anomaly, AnomalyDraft};
use clawtower_control::budget::{store as budget_store, Budget, BudgetDraft};
use clawtower_control::BudgetBoard;
use clawtower_core::error::Result;
use clawtower_core::paths::DataDir;
use clawtower_core::period::now_local;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{LedgerWatcher, PassCallback};
use clawtower_ledger::report::{
    summarize, top_spend, SpendFeed, SpendPeriod, SpendSummary, TopSpend,
};
use clawtower_store::Store;

/// A running engine over one data directory.
pub struct Engine {
    data_dir: DataDir,
    store: Arc<Store>,
    feed: SpendFeed,
    follower: Mutex<Option<LedgerWatcher>>,
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
            follower: Mutex::new(None),
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

    /// Follows an OpenClaw state dir from now on (replacing any previous one): everything already
    /// there is imported, then every new transcript line as it is written. Prices come from the
    /// bundled book, the state dir's openclaw.json and the user's `prices.json`.
    pub fn follow_openclaw(&self, state_dir: &Path, on_pass: PassCallback) -> Result<()> {
        let (book, warnings) = PriceBook::for_install(Some(state_dir), &self.data_dir);
        for warning in warnings {
            tracing::warn!("{warning}");
        }
        let watcher =
            LedgerWatcher::start(self.store.clone(), state_dir.to_path_buf(), book, on_pass)?;
        let mut follower = self.follower.lock().unwrap_or_else(|p| p.into_inner());
        *follower = Some(watcher);
        Ok(())
    }

    /// Spend so far, computed now.
    pub fn spend_summary(&self) -> Result<SpendSummary> {
        summarize(&self.store, &now_local())
    }

    /// Latest spend summary, updated whenever the ledger changes.
    pub fn subscribe_spend(&self) -> watch::Receiver<SpendSummary> {
        self.feed.subscribe()
    }

    /// The top `limit` agents, models and sessions of the current day, week or month.
    pub fn top_spend(&self, period: SpendPeriod, limit: usize) -> Result<TopSpend> {
        top_spend(&self.store, period, &now_local(), limit)
    }

    /// The stored UI theme.
    pub fn theme(&self) -> Result<Theme> {
        preferences::theme(&self.store)
    }

    /// Stores the UI theme.
    pub fn set_theme(&self, theme: Theme) -> Result<()> {
        preferences::set_theme(&self.store, theme)
    }

    /// Every budget with where it stands, and the pauses holding now.
    pub fn budget_board(&self) -> Result<BudgetBoard> {
        BudgetBoard::read(&self.store, &now_local())
    }

    /// Adds a budget (`id` `None`) or replaces budget `id`'s definition.
    pub fn save_budget(&self, id: Option<i64>, draft: BudgetDraft) -> Result<Budget> {
        let now_ms = now_local().timestamp().as_millisecond();
        self.store
            .with_conn(|c| budget_store::save(c, id, draft, now_ms))
    }

    /// Removes a budget; returns it so the UI can offer undo ([`Engine::restore_budget`]).
    pub fn remove_budget(&self, id: i64) -> Result<Budget> {
        self.store.with_conn(|c| budget_store::remove(c, id))
    }

    /// Puts back a removed budget under its id.
    pub fn restore_budget(&self, budget: &Budget) -> Result<()> {
        let now_ms = now_local().timestamp().as_millisecond();
        self.store
            .with_conn(|c| budget_store::restore(c, budget, now_ms))
    }

    /// The latest alerts, newest first.
    pub fn alerts(&self, limit: u32) -> Result<Vec<Alert>> {
        self.store.read(|c| alerts::recent(c, limit))
    }

    /// Every anomaly rule.
    pub fn anomaly_rules(&self) -> Result<AnomalyRules> {
        self.store.read(|c| anomaly_store::list_checked(c))
    }

    /// Adds an anomaly rule.
    pub fn add_anomaly_rule(&self, draft: AnomalyDraft) -> Result<Anomaly> {
        self.store.with_conn(|c| anomaly_store::add(c, draft))
    }

    /// Removes an anomaly rule.
    pub fn remove_anomaly_rule(&self, id: i64) -> Result<()> {
        self.store.with_conn(|c| anomaly_store::remove(c, id))
    }

    /// Every alert sink, without secrets.
    pub fn alert_sinks(&self) -> Result<Vec<SinkView>> {
        let sinks = self.store.read(|c| sink_store::list(c))?;
        Ok(sinks.into_iter().map(|(view, _)| view).collect())
    }

    /// Adds an alert sink.
    pub fn add_alert_sink(&self, draft: &SinkDraft) -> Result<SinkView> {
        self.store.with_conn(|c| sink_store::add(c, draft))
    }

    /// Removes an alert sink.
    pub fn remove_alert_sink(&self, id: i64) -> Result<()> {
        self.store.with_conn(|c| sink_store::remove(c, id))
    }

    /// Sends a test alert to a sink now; the inner error says why it did not arrive.
    pub fn test_alert_sink(&self, id: i64) -> Result<std::result::Result<(), String>> {
        let now_ms = now_local().timestamp().as_millisecond();
        Ok(clawtower_control::alerts::sinks::send_test(&self.store, id, now_ms)?.map_err(|e| e.0))
    }

    /// Acknowledges one alert, or all when `id` is `None`.
    pub fn acknowledge_alerts(&self, id: Option<i64>) -> Result<()> {
        let now_ms = now_local().timestamp().as_millisecond();
        self.store.with_conn(|c| alerts::acknowledge(c, id, now_ms))
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
        assert_eq!(engine.budget_board().unwrap(), BudgetBoard::default());
    }

    #[test]
    fn budgets_can_be_saved_removed_and_restored() {
        use clawtower_control::budget::{BudgetAction, BudgetScope, BudgetWindow};
        let tmp = tempfile::tempdir().unwrap();
        let engine = Engine::open(DataDir::at(tmp.path().join("data"))).unwrap();
        let draft = BudgetDraft {
            name: "Daily".into(),
            scope: BudgetScope::All,
            window: BudgetWindow::Day,
            limit_usd: 20.0,
            thresholds: vec![],
            action: BudgetAction::Pause,
            auto_resume: true,
        };
        let budget = engine.save_budget(None, draft.clone()).unwrap();
        let edited = engine
            .save_budget(
                Some(budget.id),
                BudgetDraft {
                    limit_usd: 25.0,
                    ..draft
                },
            )
            .unwrap();
        let board = engine.budget_board().unwrap();
        assert_eq!(board.budgets[0].label, "$0.00 / $25");
        assert_eq!(board.tray_label("$0.00 today"), "$0.00 / $25");
        let removed = engine.remove_budget(budget.id).unwrap();
        assert_eq!(removed, edited);
        assert!(engine.budget_board().unwrap().budgets.is_empty());
        engine.restore_budget(&removed).unwrap();
        assert_eq!(engine.budget_board().unwrap().budgets[0].budget, edited);
        assert!(engine.alerts(10).unwrap().is_empty());
    }

    #[test]
    fn following_a_state_dir_feeds_the_spend_summary() {
        let tmp = tempfile::tempdir().unwrap();
        let engine = Engine::open(DataDir::at(tmp.path().join("data"))).unwrap();
        let sessions = tmp.path().join("oc/agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        let now = jiff::Timestamp::now().as_millisecond();
        std::fs::write(
            sessions.join("s1.jsonl"),
            format!("{{\"type\":\"message\",\"id\":\"m1\",\"message\":{{\"role\":\"assistant\",\"provider\":\"x\",\"model\":\"y\",\"timestamp\":{now},\"usage\":{{\"input\":1,\"cost\":{{\"total\":2.5}}}}}}}}\n"),
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        engine
            .follow_openclaw(
                &tmp.path().join("oc"),
                Box::new(move |r| {
                    let _ = tx.send(r.map(|r| r.new_calls).ok());
                }),
            )
            .unwrap();
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap(),
            Some(1)
        );
        assert_eq!(engine.spend_summary().unwrap().tray_label, "$2.50 today");
    }

    #[test]
    fn an_unusable_data_dir_is_a_store_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = Engine::open(DataDir::at(&file)).err().expect("must fail");
        assert_eq!(err.code(), clawtower_core::ErrorCode::Io);
    }
}
