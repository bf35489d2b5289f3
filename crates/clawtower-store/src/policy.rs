//! What the model router reads on every request — its keys, the budgets, the pauses, the routed
//! OpenClaw providers — kept in memory and read again only when one of those tables changed, so
//! a request's path touches no SQLite at all. A counter in the database (`policy_version`, moved
//! by triggers, migrations 24 and 29)
//! tells changes apart whichever process makes them: this process notes it after each of its
//! own writes (so a key revoked or a pause made here counts from the next request), and a
//! watcher thread reads it every [`POLL`] for changes made by another process (the CLI, a second
//! Clawtower on the same data dir).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::Duration;

use rusqlite::Connection;

use crate::Store;
use clawtower_core::error::Result;

/// How often the watcher looks for another process's changes: what such a change may lag.
pub const POLL: Duration = Duration::from_millis(100);

/// The newest `policy_version` this process has seen.
#[derive(Default)]
pub(crate) struct PolicyVersion {
    seen: AtomicI64,
    watching: OnceLock<()>,
}

impl PolicyVersion {
    fn saw(&self, version: i64) {
        self.seen.fetch_max(version, Ordering::AcqRel);
    }
}

/// Migration 24's step: every insert, update and delete on a table the router reads on every
/// request moves the counter.
pub(crate) fn count_changes(conn: &Connection) -> Result<()> {
    ["router_keys", "budgets", "pauses"]
        .into_iter()
        .try_for_each(|table| count_changes_of(conn, table))
}

/// Migration 29's step: the routed OpenClaw providers too (each attached call looks its own up).
pub(crate) fn count_attachment_changes(conn: &Connection) -> Result<()> {
    count_changes_of(conn, "router_attachments")
}

fn count_changes_of(conn: &Connection, table: &str) -> Result<()> {
    for change in ["INSERT", "UPDATE", "DELETE"] {
        conn.execute_batch(&format!(
            "CREATE TRIGGER {table}_{change}_counted AFTER {change} ON {table}
             BEGIN UPDATE policy_version SET n = n + 1; END;"
        ))?;
    }
    Ok(())
}

/// The counter as `conn` sees it.
pub(crate) fn read_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT n FROM policy_version")?
        .query_row([], |r| r.get(0))?)
}

impl Store {
    /// Notes the counter after a write on the writer connection.
    pub(crate) fn note_policy(&self, conn: &Connection) {
        if let Ok(version) = read_version(conn) {
            self.policy.saw(version);
        }
    }

    /// The newest version of the policy tables seen (an atomic read; starts the watcher of other
    /// processes' changes on first use, for a store on disk).
    pub fn policy_version(&self) -> i64 {
        self.policy.watching.get_or_init(|| self.watch_policy());
        self.policy.seen.load(Ordering::Acquire)
    }

    fn watch_policy(&self) {
        let Ok(Some(conn)) = self.open_reader() else {
            return; // in memory: no other process can write it
        };
        let policy: Weak<PolicyVersion> = Arc::downgrade(&self.policy);
        let watcher = std::thread::Builder::new()
            .name("policy-watch".into())
            .spawn(move || loop {
                std::thread::sleep(POLL);
                let Some(policy) = policy.upgrade() else {
                    return; // the store is gone
                };
                if let Ok(version) = read_version(&conn) {
                    policy.saw(version);
                }
            });
        if let Err(e) = watcher {
            tracing::warn!("cannot watch for budget and key changes by other processes: {e}");
        }
    }
}

/// What `load` reads from the policy tables, kept until they change: [`PolicyCache::get`] reads
/// them again (through [`Store::read`], off the async worker) only when the version moved.
pub struct PolicyCache<T> {
    store: Arc<Store>,
    load: fn(&Connection) -> Result<T>,
    current: RwLock<Option<(i64, Arc<T>)>>,
}

impl<T> PolicyCache<T> {
    /// A cache of `load` over `store`; nothing is read until the first [`PolicyCache::get`].
    pub fn new(store: Arc<Store>, load: fn(&Connection) -> Result<T>) -> Self {
        PolicyCache {
            store,
            load,
            current: RwLock::new(None),
        }
    }

    /// The store it reads.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// What `load` reads now: the kept copy while the tables have not changed, else read again
    /// (a failed read is not kept: the next call tries again).
    pub fn get(&self) -> Result<Arc<T>> {
        let version = self.store.policy_version();
        if let Some((kept, value)) = &*self.current.read().unwrap_or_else(|p| p.into_inner()) {
            if *kept >= version {
                return Ok(value.clone());
            }
        }
        let (read, value) = self.store.read(|c| {
            // The counter and the rows from one snapshot of the database.
            let tx = c.transaction()?;
            Ok((read_version(&tx)?, Arc::new((self.load)(&tx)?)))
        })?;
        self.store.policy.saw(read);
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        if current.as_ref().is_none_or(|(kept, _)| *kept < read) {
            *current = Some((read, value.clone()));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_keys(conn: &Connection) -> Result<i64> {
        Ok(conn.query_row("SELECT COUNT(*) FROM router_keys", [], |r| r.get(0))?)
    }

    fn add_key(conn: &Connection, hash: &str) -> Result<()> {
        conn.execute(
            "INSERT INTO router_keys (name, agent_id, hash, prefix, models, created_ms)
             VALUES ('k', 'a', ?1, 'ctk-', '[]', 0)",
            [hash],
        )?;
        Ok(())
    }

    #[test]
    fn kept_until_this_process_changes_a_policy_table_then_read_again() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let cache = PolicyCache::new(store.clone(), count_keys);
        assert_eq!(*cache.get().unwrap(), 0);
        let first = cache.get().unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get().unwrap()), "kept, not read");
        // A ledger write is not a policy change: still the kept copy.
        store
            .with_conn(|c| {
                c.execute("INSERT INTO preferences (key, value) VALUES ('x', 'y')", [])?;
                Ok(())
            })
            .unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get().unwrap()));
        store.with_conn(|c| add_key(c, "h1")).unwrap();
        assert_eq!(*cache.get().unwrap(), 1, "seen from the very next get");
        // Updates and deletes count too, on each policy table.
        let before = store.policy_version();
        store
            .with_conn(|c| {
                c.execute("UPDATE router_keys SET revoked_ms = 1", [])?;
                c.execute(
                    "INSERT INTO budgets (definition, created_ms) VALUES ('{}', 0)",
                    [],
                )?;
                c.execute("DELETE FROM budgets", [])?;
                c.execute("DELETE FROM router_keys", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.policy_version(), before + 4);
        assert_eq!(*cache.get().unwrap(), 0);
    }

    #[test]
    fn another_process_change_is_seen_within_the_poll() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("c.sqlite");
        let store = Arc::new(Store::open(&path).unwrap());
        let cache = PolicyCache::new(store.clone(), count_keys);
        assert_eq!(*cache.get().unwrap(), 0);
        // Another process: its own connection to the file.
        let other = Store::open(&path).unwrap();
        other.with_conn(|c| add_key(c, "h1")).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while *cache.get().unwrap() == 0 {
            assert!(std::time::Instant::now() < deadline, "never seen");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
