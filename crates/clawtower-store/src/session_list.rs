//! `session_list`: one row per session, what OpenClaw told of it (`sessions`) beside what it
//! spent (`usage_by_session`), kept by triggers on both tables. The sessions list filters, sorts
//! and pages it in SQL with an index per order, so a page of 100,000 sessions is read without
//! joining or building every row (schema 18).

use rusqlite::Connection;

use crate::rollups::BUCKET_MS;
use clawtower_core::error::Result;

/// The table, its orders and the activity column (the later of the gateway's last update and
/// the last quarter hour spent in, as a session row shows it).
pub(crate) const CREATE: &str = r#"
    CREATE TABLE session_list (
        session_key    TEXT PRIMARY KEY,
        agent_id       TEXT NOT NULL,
        listed         INTEGER NOT NULL DEFAULT 0,
        spawned_by     TEXT,
        created_via    TEXT,
        cron_job_id    TEXT,
        label          TEXT,
        status         TEXT,
        has_active_run INTEGER,
        updated_ms     INTEGER,
        calls          INTEGER NOT NULL DEFAULT 0,
        tokens         INTEGER NOT NULL DEFAULT 0,
        cost_nanousd   INTEGER NOT NULL DEFAULT 0,
        unbilled_calls INTEGER NOT NULL DEFAULT 0,
        first_bucket   INTEGER,
        last_bucket    INTEGER,
        activity_ms    INTEGER GENERATED ALWAYS AS (
            MAX(COALESCE(updated_ms, last_bucket * 900000), COALESCE(last_bucket * 900000, updated_ms))
        ) VIRTUAL
    ) WITHOUT ROWID;
    CREATE INDEX session_list_by_activity ON session_list(activity_ms DESC, session_key);
    CREATE INDEX session_list_by_cost ON session_list(cost_nanousd DESC, activity_ms DESC, session_key);
    CREATE INDEX session_list_by_tokens ON session_list(tokens DESC, activity_ms DESC, session_key);
    CREATE INDEX session_list_by_start ON session_list(first_bucket DESC, activity_ms DESC, session_key);
    CREATE INDEX session_list_by_agent ON session_list(agent_id, activity_ms DESC);
"#;

/// What a `sessions` row tells, upserted (`{row}` is `new`).
const TOLD: &str =
    "INSERT INTO session_list (session_key, agent_id, listed, spawned_by, created_via,
        cron_job_id, label, status, has_active_run, updated_ms)
    SELECT {row}.session_key, {row}.agent_id, 1, {row}.spawned_by, {row}.created_via,
        {row}.cron_job_id, {row}.label, {row}.status, {row}.has_active_run, {row}.updated_ms
    {from}
    ON CONFLICT (session_key) DO UPDATE SET agent_id = excluded.agent_id, listed = 1,
        spawned_by = excluded.spawned_by, created_via = excluded.created_via,
        cron_job_id = excluded.cron_job_id, label = excluded.label, status = excluded.status,
        has_active_run = excluded.has_active_run, updated_ms = excluded.updated_ms;";

/// What a `usage_by_session` row sums, upserted (`{row}` is `new`). A session OpenClaw told
/// of keeps the agent it told.
const SPENT: &str = "INSERT INTO session_list (session_key, agent_id, calls, tokens, cost_nanousd,
        unbilled_calls, first_bucket, last_bucket)
    SELECT {row}.session_key, {row}.agent_id, {row}.calls,
        {row}.input_tokens + {row}.output_tokens + {row}.cache_read_tokens + {row}.cache_write_tokens,
        {row}.cost_nanousd, {row}.aborted_calls + {row}.failed_calls, {row}.first_bucket,
        {row}.last_bucket
    {from}
    ON CONFLICT (session_key) DO UPDATE SET
        agent_id = CASE WHEN listed THEN agent_id ELSE excluded.agent_id END,
        calls = excluded.calls, tokens = excluded.tokens, cost_nanousd = excluded.cost_nanousd,
        unbilled_calls = excluded.unbilled_calls, first_bucket = excluded.first_bucket,
        last_bucket = excluded.last_bucket;";

/// Fills the table from both sources, then keeps it with triggers (the step after migration 18).
pub(crate) fn fill_and_keep(conn: &Connection) -> Result<()> {
    debug_assert_eq!(BUCKET_MS, 900_000, "the activity column's quarter hour");
    let each = |sql: &str, from: &str, row: &str| sql.replace("{from}", from).replace("{row}", row);
    // `WHERE true` lets SQLite tell the upsert's ON from a join's.
    conn.execute_batch(&each(TOLD, "FROM sessions s WHERE true", "s"))?;
    conn.execute_batch(&each(SPENT, "FROM usage_by_session u WHERE true", "u"))?;
    let mut triggers = String::new();
    for (table, body) in [("sessions", TOLD), ("usage_by_session", SPENT)] {
        for event in ["INSERT", "UPDATE"] {
            triggers.push_str(&format!(
                "CREATE TRIGGER session_list_{table}_{event} AFTER {event} ON {table} BEGIN {} END;\n",
                each(body, "", "new")
            ));
        }
    }
    triggers.push_str(
        "CREATE TRIGGER session_list_sessions_DELETE AFTER DELETE ON sessions BEGIN
             UPDATE session_list SET listed = 0, spawned_by = NULL, created_via = NULL,
                 cron_job_id = NULL, label = NULL, status = NULL, has_active_run = NULL,
                 updated_ms = NULL
             WHERE session_key = old.session_key;
             DELETE FROM session_list WHERE session_key = old.session_key
                 AND NOT EXISTS (SELECT 1 FROM usage_by_session WHERE session_key = old.session_key);
         END;
         CREATE TRIGGER session_list_usage_by_session_DELETE AFTER DELETE ON usage_by_session BEGIN
             UPDATE session_list SET calls = 0, tokens = 0, cost_nanousd = 0, unbilled_calls = 0,
                 first_bucket = NULL, last_bucket = NULL
             WHERE session_key = old.session_key;
             DELETE FROM session_list WHERE session_key = old.session_key AND NOT listed;
         END;",
    );
    conn.execute_batch(&triggers)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Store;

    type Listed = (String, String, i64, Option<String>, i64, i64, Option<i64>);

    fn listed(store: &Store) -> Vec<Listed> {
        store
            .read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT session_key, agent_id, listed, label, calls, tokens, activity_ms
                     FROM session_list ORDER BY session_key",
                )?;
                let rows = stmt
                    .query_map([], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(rows)
            })
            .unwrap()
    }

    fn spend(store: &Store, key: &str, agent: &str, bucket: i64, calls: i64) {
        store
            .with_conn(|conn| {
                conn.execute(
                    "INSERT INTO usage_by_session VALUES (?1, ?2, ?3, ?3, ?4, 10, 5, 0, 1, 0, 7, 0, 0, 0, 0, 0)
                     ON CONFLICT (session_key) DO UPDATE SET calls = calls + excluded.calls,
                        last_bucket = MAX(last_bucket, excluded.last_bucket)",
                    rusqlite::params![key, agent, bucket, calls],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn tell(store: &Store, key: &str, agent: &str, label: Option<&str>, updated_ms: i64) {
        store
            .with_conn(|conn| {
                conn.execute(
                    "INSERT INTO sessions (session_key, agent_id, kind, label, updated_ms)
                     VALUES (?1, ?2, 'other', ?3, ?4)
                     ON CONFLICT (session_key) DO UPDATE SET label = excluded.label,
                        updated_ms = excluded.updated_ms",
                    rusqlite::params![key, agent, label, updated_ms],
                )?;
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn follows_both_sources_through_inserts_updates_and_deletes() {
        let store = Store::open_in_memory().unwrap();
        // Only the ledger knows it: the ledger's agent, its sums, its last quarter hour.
        spend(&store, "agent:a:x", "a", 4, 2);
        assert_eq!(
            listed(&store),
            [(
                "agent:a:x".into(),
                "a".into(),
                0,
                None,
                2,
                16,
                Some(4 * 900_000)
            )]
        );
        // OpenClaw tells of it later (another agent wins, a later update is its activity).
        tell(&store, "agent:a:x", "b", Some("Hi"), 9_000_000);
        spend(&store, "agent:a:x", "a", 5, 1);
        assert_eq!(
            listed(&store),
            [(
                "agent:a:x".into(),
                "b".into(),
                1,
                Some("Hi".into()),
                3,
                16,
                Some(9_000_000)
            )]
        );
        // Told of but never spent in; then the spend goes (a correction) and the row stays told.
        tell(&store, "agent:a:y", "a", None, 1);
        store
            .with_conn(|conn| Ok(conn.execute("DELETE FROM usage_by_session", [])?))
            .unwrap();
        let rows = listed(&store);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].4, rows[0].5, rows[0].6), (0, 0, Some(9_000_000)));
        // Forgotten by both: gone.
        store
            .with_conn(|conn| {
                Ok(conn.execute("DELETE FROM sessions WHERE session_key = 'agent:a:y'", [])?)
            })
            .unwrap();
        assert_eq!(listed(&store).len(), 1);
    }
}
