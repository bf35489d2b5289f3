//! Ordered schema migrations, tracked in `PRAGMA user_version`. Append only: never edit a shipped one.

use std::path::Path;

use rusqlite::Connection;

use clawtower_core::error::{EngineError, Result};

/// The triggers that keep the full-text index of `session_texts` in step with it (migrations 17
/// and 26 make them).
macro_rules! session_texts_triggers {
    () => {
        r#"
    CREATE TRIGGER session_texts_indexed AFTER INSERT ON session_texts BEGIN
        INSERT INTO session_search(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER session_texts_unindexed AFTER DELETE ON session_texts BEGIN
        INSERT INTO session_search(session_search, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    "#
    };
}

const MIGRATIONS: &[&str] = &[
    // 1: preferences and the ledger (first release: nothing shipped before it).
    r#"
    CREATE TABLE preferences (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- One row per model call (an assistant message with usage). Money is integer nano-USD so
    -- sums are exact; `call_id` is the message identity (the transcript entry id, which is also
    -- the gateway's messageId), so re-reading any source never counts a call twice.
    CREATE TABLE model_calls (
        call_id               TEXT PRIMARY KEY,
        agent_id              TEXT NOT NULL,
        session_key           TEXT NOT NULL,
        session_id            TEXT NOT NULL,
        ts_ms                 INTEGER NOT NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL
    );
    CREATE INDEX model_calls_by_time ON model_calls(ts_ms);
    -- Sums per 15-minute bucket × agent × session × model, kept current with each new call, so
    -- reports and the tray never scan every call. 15 minutes: every UTC offset in use is a
    -- multiple of it, so local days (and DST changes) fall on bucket boundaries.
    CREATE TABLE usage_rollups (
        bucket                INTEGER NOT NULL,
        agent_id              TEXT NOT NULL,
        session_key           TEXT NOT NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        calls                 INTEGER NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL,
        PRIMARY KEY (bucket, agent_id, session_key, provider, model)
    ) WITHOUT ROWID;
    -- The same sums per 15-minute bucket alone: calendar reports and the tray read ~35k rows a
    -- year, however many sessions there are.
    CREATE TABLE usage_by_bucket (
        bucket                INTEGER PRIMARY KEY,
        calls                 INTEGER NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL
    );
    -- Every transcript entry, normalized (large text is not copied; custom/unknown entries are),
    -- clustered by session so an import writes each session's entries together. An entry copied
    -- into a forked session belongs to both timelines; model calls are de-duplicated globally.
    CREATE TABLE events (
        session_id   TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        agent_id     TEXT NOT NULL,
        session_key  TEXT NOT NULL,
        parent_id    TEXT,
        ts_ms        INTEGER,
        kind         TEXT NOT NULL,
        tool_call_id TEXT,
        tool_name    TEXT,
        detail       TEXT,
        PRIMARY KEY (session_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX events_by_tool_call ON events(tool_call_id) WHERE tool_call_id IS NOT NULL;
    -- Sessions and their lineage (sub-agents, cron runs).
    CREATE TABLE sessions (
        session_key   TEXT PRIMARY KEY,
        agent_id      TEXT NOT NULL,
        session_id    TEXT,
        kind          TEXT NOT NULL,
        spawned_by    TEXT,
        created_via   TEXT,
        cron_job_id   TEXT,
        label         TEXT
    );
    -- How far each source has been read; written in the same transaction as what it produced.
    CREATE TABLE source_cursors (
        source      TEXT PRIMARY KEY,
        position    INTEGER NOT NULL,
        fingerprint TEXT NOT NULL
    );
    -- Lines that could not be used, by source and reason (shown by `clawtower doctor`).
    CREATE TABLE skipped_lines (
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        count  INTEGER NOT NULL,
        PRIMARY KEY (source, reason)
    );
    "#,
    // 2: budgets, their per-window alert state, the alert history and pause records.
    r#"
    CREATE TABLE budgets (
        id            INTEGER PRIMARY KEY,
        definition    TEXT NOT NULL,   -- BudgetDraft as JSON
        created_ms    INTEGER NOT NULL
    );
    -- Which window a budget was last evaluated in and the highest threshold already alerted in
    -- it, so each threshold alerts once per window, across restarts.
    CREATE TABLE budget_state (
        budget_id       INTEGER PRIMARY KEY REFERENCES budgets(id) ON DELETE CASCADE,
        window_key      INTEGER NOT NULL,
        alerted_percent INTEGER NOT NULL,
        paused_window   INTEGER          -- the window this budget paused in, if it did
    );
    -- Everything the user was alerted about, mirrored in the app (desktop delivery can fail).
    CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        ts_ms           INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        budget_id       INTEGER,
        title           TEXT NOT NULL,
        body            TEXT NOT NULL,
        delivered       INTEGER NOT NULL,
        acknowledged_ms INTEGER
    );
    -- A pause and exactly what it changed on the gateway, so resume undoes just that, also after
    -- a restart. `resumed_ms` is NULL while the pause holds.
    CREATE TABLE pauses (
        id          INTEGER PRIMARY KEY,
        scope       TEXT NOT NULL,     -- BudgetScope as JSON
        reason      TEXT NOT NULL,
        budget_id   INTEGER,
        gateway_url TEXT NOT NULL,
        started_ms  INTEGER NOT NULL,
        steps       TEXT NOT NULL,     -- JSON list of PauseStep done
        problems    TEXT NOT NULL,     -- JSON list of what could not be done
        resumed_ms  INTEGER
    );
    "#,
    // 3: alert sinks (webhook, Slack, Discord, Telegram, ntfy, email). `definition` holds secrets:
    // the database file is owner-only (0600) and they are never read back to the UI.
    r#"
    CREATE TABLE alert_sinks (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        definition    TEXT NOT NULL,
        cooldown_secs INTEGER NOT NULL,
        last_sent_ms  INTEGER,
        last_error    TEXT
    );
    -- Anomaly rules (runaway loops, token velocity, error spikes, long runs, costly sessions)
    -- and what they already fired on, so each subject alerts once.
    CREATE TABLE anomaly_rules (
        id         INTEGER PRIMARY KEY,
        definition TEXT NOT NULL
    );
    CREATE TABLE anomaly_fired (
        rule_id  INTEGER NOT NULL REFERENCES anomaly_rules(id) ON DELETE CASCADE,
        subject  TEXT NOT NULL,
        fired_ms INTEGER NOT NULL,
        PRIMARY KEY (rule_id, subject)
    ) WITHOUT ROWID;
    -- Recent model messages and tool results by time (anomaly rules look at the last minutes).
    CREATE INDEX events_recent ON events(ts_ms) WHERE kind IN ('assistant', 'tool_result');
    -- A session's spend without scanning every bucket (anomaly rule, session reports).
    CREATE INDEX usage_rollups_by_session ON usage_rollups(session_key, bucket);
    -- A sane default: alert (never pause) when an agent repeats the same tool call 10 times.
    INSERT INTO anomaly_rules (definition) VALUES ('{"rule":{"kind":"runawayLoop","repeats":10},"action":"alert"}');
    "#,
    // 4: the live state of sessions, kept current by the gateway's `sessions.changed` events.
    r#"
    ALTER TABLE sessions ADD COLUMN status TEXT;
    ALTER TABLE sessions ADD COLUMN has_active_run INTEGER;
    ALTER TABLE sessions ADD COLUMN updated_ms INTEGER;
    "#,
    // 5: gateways added by URL, and credentials entered by the user. Row 0 holds the credential
    // entered for the local gateway (its URL comes from openclaw.json). Secrets: the database is
    // owner-only and they are never read back to the UI. A removed row stays an hour (undo).
    r#"
    CREATE TABLE gateways (
        id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: an Undo names one gateway
        name       TEXT NOT NULL,
        url        TEXT,
        token      TEXT,
        password   TEXT,
        added_ms   INTEGER NOT NULL,
        removed_ms INTEGER
    );
    "#,
    // 6: the ledger made exact. Aborted and failed calls (all-zero usage) are no longer model
    // calls; what OpenClaw recorded (a provider's bill first) wins over the price book, whose
    // estimate is kept beside it; every call says where its cost came from. Stored calls are
    // corrected: zero-usage ones move to `unbilled_calls`, and every local source is read
    // again once in correction mode (reset archives and checkpoints are keyed anew, costs and
    // origins rewritten); the rollups are rebuilt from the calls.
    r#"
    ALTER TABLE model_calls ADD COLUMN book_cost_nanousd INTEGER;   -- NULL: the book has no price
    ALTER TABLE model_calls ADD COLUMN cost_origin TEXT NOT NULL DEFAULT '';
    ALTER TABLE usage_rollups ADD COLUMN book_cost_nanousd INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_rollups ADD COLUMN aborted_calls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_rollups ADD COLUMN failed_calls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_by_bucket ADD COLUMN book_cost_nanousd INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_by_bucket ADD COLUMN aborted_calls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_by_bucket ADD COLUMN failed_calls INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE unbilled_calls (
        call_id     TEXT PRIMARY KEY,
        agent_id    TEXT NOT NULL,
        session_key TEXT NOT NULL,
        session_id  TEXT NOT NULL,
        ts_ms       INTEGER NOT NULL,
        provider    TEXT NOT NULL,   -- '' when OpenClaw injected the message (an abort)
        model       TEXT NOT NULL,
        outcome     TEXT NOT NULL,   -- 'aborted' | 'failed'
        error       TEXT
    );
    CREATE INDEX unbilled_calls_by_time ON unbilled_calls(ts_ms);
    INSERT OR IGNORE INTO unbilled_calls
      SELECT m.call_id, m.agent_id, m.session_key, m.session_id, m.ts_ms,
             CASE WHEN m.provider = 'openclaw' AND m.model = 'gateway-injected' THEN '' ELSE m.provider END,
             CASE WHEN m.provider = 'openclaw' AND m.model = 'gateway-injected' THEN '' ELSE m.model END,
             CASE WHEN json_extract(e.detail, '$.stopReason') = 'error' THEN 'failed' ELSE 'aborted' END,
             json_extract(e.detail, '$.error')
      FROM model_calls m
      LEFT JOIN events e ON e.session_id = m.session_id AND e.event_id = m.call_id
      WHERE m.input_tokens = 0 AND m.output_tokens = 0 AND m.cache_read_tokens = 0
        AND m.cache_write_tokens = 0 AND m.reported_cost_nanousd = 0
        AND (json_extract(e.detail, '$.aborted') = 1
             OR json_extract(e.detail, '$.stopReason') IN ('aborted', 'error')
             OR (m.provider = 'openclaw' AND m.model = 'gateway-injected'));
    DELETE FROM model_calls
      WHERE input_tokens = 0 AND output_tokens = 0 AND cache_read_tokens = 0
        AND cache_write_tokens = 0 AND reported_cost_nanousd = 0;
    UPDATE model_calls SET cost_nanousd = reported_cost_nanousd, unpriced_tokens = 0
      WHERE reported_cost_nanousd > 0;
    -- A call is now known by its entry id and its time (entry ids are 8 hex digits and repeat
    -- across sessions; see ledger::call::call_key).
    UPDATE model_calls SET call_id = call_id || '@' || ts_ms;
    UPDATE unbilled_calls SET call_id = call_id || '@' || ts_ms;
    DELETE FROM source_cursors;
    DELETE FROM skipped_lines;
    INSERT OR REPLACE INTO preferences(key, value)
      SELECT 'ledger.correction-pending', '1'
      WHERE EXISTS (SELECT 1 FROM model_calls) OR EXISTS (SELECT 1 FROM unbilled_calls);
    "#,
    // 7: nothing looks events up by tool call id across sessions (a tool result pairs with its
    // call inside its session, by the primary key); keeping the index cost every import.
    "DROP INDEX IF EXISTS events_by_tool_call;",
    // 8: why an anomaly rule could not be checked on the last pass (shown on its row).
    "ALTER TABLE anomaly_rules ADD COLUMN last_error TEXT;",
    // 9: the model router's virtual keys: only a SHA-256 of each key is kept (the key is shown
    // once, when made); `prefix` names it in lists. Limits are NULL when not set.
    r#"
    CREATE TABLE router_keys (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      hash BLOB NOT NULL UNIQUE,
      prefix TEXT NOT NULL,
      models TEXT,
      rpm INTEGER,
      tpm INTEGER,
      max_parallel INTEGER,
      budget_id INTEGER,
      expires_ms INTEGER,
      created_ms INTEGER NOT NULL,
      revoked_ms INTEGER
    );
    "#,
    // 10: the router's open circuits and cooldowns, kept across restarts.
    "CREATE TABLE router_breakers (provider TEXT PRIMARY KEY, open_until_ms INTEGER NOT NULL);",
    // 11: OpenClaw routed through the router. A call then reaches the ledger twice: from the
    // router and from OpenClaw's transcript; both carry the provider's response id, and the
    // router's copy folds into the transcript's (which knows the agent and session).
    // `router_key` marks a call that went through the router under that key.
    r#"
    ALTER TABLE model_calls ADD COLUMN response_id TEXT;
    ALTER TABLE model_calls ADD COLUMN router_key INTEGER;
    -- Router calls made with an attach key, until the transcript's copy is found.
    CREATE TABLE routed_pending (
      call_id TEXT PRIMARY KEY,
      response_id TEXT NOT NULL,
      model TEXT NOT NULL,
      ts_ms INTEGER NOT NULL,
      key_id INTEGER NOT NULL
    );
    -- Each OpenClaw provider routed through the router: where it really goes, and what its
    -- config said before (restored exactly on detach).
    CREATE TABLE router_attachments (
      provider TEXT PRIMARY KEY,
      gateway_url TEXT NOT NULL,
      kind TEXT NOT NULL,
      upstream TEXT NOT NULL,
      original TEXT NOT NULL,
      key_id INTEGER NOT NULL,
      state TEXT NOT NULL,
      since_ms INTEGER NOT NULL
    );
    "#,
    // 12: agent lifecycle. Who did what to which agent, session or cron job, and how it went;
    // and each agent's stable identity: an agent archived and restored under another name keeps
    // its history, and a new agent that reuses an archived one's id does not inherit it.
    r#"
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      ts_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      result TEXT NOT NULL,
      detail TEXT
    );
    CREATE TABLE agent_identities (
      identity TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      from_ms INTEGER NOT NULL,
      until_ms INTEGER,
      PRIMARY KEY (agent_id, from_ms)
    );
    "#,
    // 13: a call whose stream was cut (by the provider, or the client going away) keeps the
    // usage that arrived and says why it is incomplete.
    "ALTER TABLE model_calls ADD COLUMN incomplete TEXT;",
    // 14: the same sums per session, with the first and last quarter hour it spent in, so the
    // sessions list never groups every rollup row (100,000 sessions stay instant).
    r#"
    CREATE TABLE usage_by_session (
        session_key           TEXT PRIMARY KEY,
        agent_id              TEXT NOT NULL,
        first_bucket          INTEGER NOT NULL,
        last_bucket           INTEGER NOT NULL,
        calls                 INTEGER NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL,
        book_cost_nanousd     INTEGER NOT NULL,
        aborted_calls         INTEGER NOT NULL,
        failed_calls          INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 15: what a session spawned, without reading every session (the sub-agent tree).
    "CREATE INDEX sessions_by_parent ON sessions(spawned_by) WHERE spawned_by IS NOT NULL;",
    // 16: the rollup sums per local day (in the store's day zone, `day_rollups`): per session,
    // and per agent × model. `day` is the quarter-hour bucket of the day's midnight. Filled when
    // the store is opened with a zone (`Store::open`).
    r#"
    CREATE TABLE usage_by_day_session (
        day                   INTEGER NOT NULL,
        session_key           TEXT NOT NULL,
        agent_id              TEXT NOT NULL,
        calls                 INTEGER NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL,
        book_cost_nanousd     INTEGER NOT NULL,
        aborted_calls         INTEGER NOT NULL,
        failed_calls          INTEGER NOT NULL,
        PRIMARY KEY (day, session_key)
    ) WITHOUT ROWID;
    CREATE TABLE usage_by_day_model (
        day                   INTEGER NOT NULL,
        agent_id              TEXT NOT NULL,
        provider              TEXT NOT NULL,
        model                 TEXT NOT NULL,
        calls                 INTEGER NOT NULL,
        input_tokens          INTEGER NOT NULL,
        output_tokens         INTEGER NOT NULL,
        cache_read_tokens     INTEGER NOT NULL,
        cache_write_tokens    INTEGER NOT NULL,
        reasoning_tokens      INTEGER NOT NULL,
        cost_nanousd          INTEGER NOT NULL,
        reported_cost_nanousd INTEGER NOT NULL,
        unpriced_tokens       INTEGER NOT NULL,
        book_cost_nanousd     INTEGER NOT NULL,
        aborted_calls         INTEGER NOT NULL,
        failed_calls          INTEGER NOT NULL,
        PRIMARY KEY (day, agent_id, provider, model)
    ) WITHOUT ROWID;
    "#,
    // 17: what was said in each session (its user and assistant messages, one document per
    // session), searchable in any language (FTS5's trigram tokenizer: substrings, CJK included),
    // and the sessions whose text is not indexed yet (the ledger marks a session each time it
    // stores entries of it; `generation` tells the indexer whether more came while it read).
    concat!(
        r#"
    CREATE TABLE session_texts (
        id          INTEGER PRIMARY KEY,
        session_key TEXT NOT NULL UNIQUE,
        text        TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE session_search USING fts5(
        text, content = 'session_texts', content_rowid = 'id', tokenize = 'trigram'
    );
"#,
        session_texts_triggers!(),
        r#"    CREATE TABLE search_pending (
        session_key TEXT PRIMARY KEY,
        generation  INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO search_pending (session_key, generation)
        SELECT session_key, 1 FROM sessions UNION SELECT session_key, 1 FROM usage_by_session;
    "#
    ),
    // 18: one row per session, both sources side by side, with an index per order of the
    // sessions list (filled and kept by triggers in the step after it).
    super::session_list::CREATE,
    // 19: the names of OpenClaw's cron jobs (a run's session key carries only its job's id),
    // kept after a job is removed so its past runs stay named.
    r#"
    CREATE TABLE cron_job_names (
        job_id   TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        agent_id TEXT
    ) WITHOUT ROWID;
    "#,
    // 20: which cron job each run's session ran (OpenClaw deletes a run's session after the
    // run; its calls are then counted under `agent:<id>:<sessionId>`, as OpenClaw's own usage
    // counts them), kept after OpenClaw forgets the run.
    r#"
    CREATE TABLE cron_run_sessions (
        session_id TEXT PRIMARY KEY,
        job_id     TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 21: how the router handled each call it answered or tried: the upstream's HTTP status,
    // the route taken (as its `x-clawtower-route` header says), the upstream's time and the
    // router's own (moved to the transcript's copy when a call folds into it).
    r#"
    CREATE TABLE router_requests (
        call_id     TEXT PRIMARY KEY,
        status      INTEGER,
        route       TEXT NOT NULL,
        upstream_ms REAL,
        overhead_ms REAL
    ) WITHOUT ROWID;
    "#,
    // 22: the task each sub-agent was given (OpenClaw's `task_runs`, kept about a week there),
    // for the sub-agent tree.
    r#"
    CREATE TABLE spawned_tasks (
        session_key TEXT PRIMARY KEY,
        task        TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 23: the HTTP proxy an alert sink goes through, when the user gave it one (a sink never
    // uses the environment's proxy).
    "ALTER TABLE alert_sinks ADD COLUMN proxy TEXT;",
    // 24: a counter that moves with every change to the tables the router reads on each request
    // (its keys, the budgets, the pauses), whichever process makes it, so the router can keep
    // them in memory and read them again only when they changed (`policy`, which adds the
    // triggers).
    r#"
    CREATE TABLE policy_version (n INTEGER NOT NULL);
    INSERT INTO policy_version VALUES (0);
    "#,
    // 25: which sub-agent an announce run's call reported (the sub-agent tree shows each
    // sub-agent's announce run, booked in its parent).
    r#"
    ALTER TABLE model_calls ADD COLUMN announces TEXT;
    CREATE INDEX model_calls_by_announced ON model_calls(announces) WHERE announces IS NOT NULL;
    "#,
    // 26: a session's messages may be indexed in several documents (a running session's new
    // messages are added as one, not by indexing the whole again): `session_key` no longer
    // unique. The rows keep their ids, so the full-text index stays as it is.
    concat!(
        r#"
    CREATE TABLE session_texts_new (
        id          INTEGER PRIMARY KEY,
        session_key TEXT NOT NULL,
        text        TEXT NOT NULL
    );
    INSERT INTO session_texts_new (id, session_key, text) SELECT id, session_key, text FROM session_texts;
    DROP TRIGGER session_texts_indexed;
    DROP TRIGGER session_texts_unindexed;
    DROP TABLE session_texts;
    ALTER TABLE session_texts_new RENAME TO session_texts;
    CREATE INDEX session_texts_by_session ON session_texts(session_key);
"#,
        session_texts_triggers!()
    ),
    // 27: the calls whose prompt was above 200k tokens (billed at long-context rates where a
    // model has them), for what the usage views price from sums at base rates.
    "CREATE INDEX model_calls_long_prompts ON model_calls(ts_ms)
     WHERE input_tokens + cache_read_tokens + cache_write_tokens > 200000;",
    // 28: cache tokens per session × local day × model (kept with the other day tables, rebuilt
    // from the quarter-hour rollups): what caching saved each session of a usage view, read in
    // days rather than quarter hours.
    r#"
    CREATE TABLE usage_by_day_session_cache (
        session_key        TEXT NOT NULL,
        day                INTEGER NOT NULL,
        provider           TEXT NOT NULL,
        model              TEXT NOT NULL,
        cache_read_tokens  INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        PRIMARY KEY (session_key, day, provider, model)
    ) WITHOUT ROWID;
    "#,
    // 29: changes to the routed OpenClaw providers move the policy counter too (`policy`, which
    // adds the triggers): the router keeps them in memory with its keys.
    "",
    // 30: calls the router refused before sending them (a budget, a key's limit or model list, a
    // request it could not read): not model calls, so kept apart, for its request log only (the
    // last day, at most `routed::REFUSALS_KEPT` rows).
    r#"
    CREATE TABLE router_refusals (
        id       INTEGER PRIMARY KEY,
        ts_ms    INTEGER NOT NULL,
        key_id   INTEGER NOT NULL,
        agent_id TEXT NOT NULL,
        model    TEXT NOT NULL,
        status   INTEGER NOT NULL,
        reason   TEXT NOT NULL
    );
    CREATE INDEX router_refusals_by_time ON router_refusals(ts_ms);
    "#,
];

/// A step in Rust that follows a migration's SQL, in the same transaction.
type Step = fn(&Connection) -> Result<()>;

/// Rust steps that follow a migration, in the same transaction: `(migration number, step)`.
const AFTER: &[(usize, Step)] = &[
    (6, super::rollups::rebuild_bucket_rollups),
    (14, super::rollups::rebuild_session_sums),
    (18, super::session_list::fill_and_keep),
    (24, super::policy::count_changes),
    (28, super::day_rollups::rebuild_day_rollups),
    (29, super::policy::count_attachment_changes),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every pending migration, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// Applies the pending migrations up to `target`.
fn migrate_to(conn: &mut Connection, path: Option<&Path>, target: i64) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(EngineError::StoreTooNew {
            path: path.map(|p| p.display().to_string()).unwrap_or_default(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    let pending = MIGRATIONS.iter().enumerate().take(target as usize);
    for (index, sql) in pending.skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        for (_, step) in AFTER.iter().filter(|(after, _)| *after == index + 1) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_a_newer_file() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::register_functions(&conn).unwrap();
        migrate(&mut conn, None).unwrap();
        migrate(&mut conn, None).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn, Some(Path::new("/x.sqlite"))).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn schema_18_lists_every_session_of_both_sources_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::register_functions(&conn).unwrap();
        migrate_to(&mut conn, None, 17).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (session_key, agent_id, kind, label, updated_ms)
               VALUES ('agent:a:told', 'a', 'other', 'Told', 5), ('agent:a:both', 'a', 'main', NULL, 7);
             INSERT INTO usage_by_session VALUES
               ('agent:a:both', 'x', 1, 2, 3, 10, 5, 0, 1, 0, 7, 0, 0, 0, 1, 0),
               ('agent:b:spent', 'b', 1, 1, 1, 1, 1, 1, 1, 0, 2, 0, 0, 0, 0, 0);",
        )
        .unwrap();
        migrate(&mut conn, None).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT session_key, agent_id, listed, label, calls, tokens, unbilled_calls, activity_ms
                 FROM session_list ORDER BY 1",
            )
            .unwrap();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..8)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            [
                r#"Text("agent:a:both") Text("a") Integer(1) Null Integer(3) Integer(16) Integer(1) Integer(1800000)"#,
                r#"Text("agent:a:told") Text("a") Integer(1) Text("Told") Integer(0) Integer(0) Integer(0) Integer(5)"#,
                r#"Text("agent:b:spent") Text("b") Integer(0) Null Integer(1) Integer(4) Integer(0) Integer(900000)"#,
            ]
        );
    }

    #[test]
    fn schema_6_corrects_a_ledger_of_the_previous_rules() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::register_functions(&conn).unwrap();
        migrate_to(&mut conn, None, 5).unwrap();
        let call = |id: &str, input: i64, cost: i64, reported: i64, provider: &str, model: &str| {
            conn.execute(
                "INSERT INTO model_calls VALUES (?1, 'main', 'agent:main:main', 's1', 1000, ?2, ?3,
                   ?4, 0, 0, 0, 0, ?5, ?6, 0)",
                rusqlite::params![id, provider, model, input, cost, reported],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO usage_rollups VALUES (0, 'main', 'agent:main:main', ?1, ?2, 1, ?3, 0, 0, 0, 0, ?4, ?5, 0)
                 ON CONFLICT DO UPDATE SET calls = calls + 1, input_tokens = input_tokens + excluded.input_tokens,
                   cost_nanousd = cost_nanousd + excluded.cost_nanousd,
                   reported_cost_nanousd = reported_cost_nanousd + excluded.reported_cost_nanousd",
                rusqlite::params![provider, model, input, cost, reported],
            )
            .unwrap();
        };
        // The old rules: the book's price won over OpenClaw's; aborts and failures were calls.
        call("priced", 100, 500, 400, "stub", "m");
        call("abort", 0, 0, 0, "openclaw", "gateway-injected");
        call("failure", 0, 0, 0, "stub", "m");
        let event = |id: &str, detail: &str| {
            conn.execute(
                "INSERT INTO events (session_id, event_id, agent_id, session_key, kind, detail)
                 VALUES ('s1', ?1, 'main', 'agent:main:main', 'assistant', ?2)",
                [id, detail],
            )
            .unwrap();
        };
        event("abort", r#"{"stopReason":"stop","aborted":true}"#);
        event(
            "failure",
            r#"{"stopReason":"error","error":"500 upstream"}"#,
        );
        conn.execute(
            "INSERT INTO source_cursors VALUES ('jsonl:/x', 10, 'f')",
            [],
        )
        .unwrap();
        migrate(&mut conn, None).unwrap();

        let one = |sql: &str| -> String {
            conn.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| format!("{v:?}"))
                .unwrap()
        };
        assert_eq!(one("SELECT COUNT(*) FROM model_calls"), "Integer(1)");
        assert_eq!(
            one("SELECT call_id FROM model_calls"),
            "Text(\"priced@1000\")"
        );
        assert_eq!(
            one("SELECT cost_nanousd FROM model_calls"),
            "Integer(400)",
            "OpenClaw's cost wins"
        );
        assert_eq!(
            one("SELECT group_concat(outcome || ':' || provider || ':' || COALESCE(error, ''), ' ') FROM (SELECT * FROM unbilled_calls ORDER BY call_id)"),
            "Text(\"aborted:: failed:stub:500 upstream\")"
        );
        assert_eq!(
            one("SELECT calls || ' ' || cost_nanousd || ' ' || aborted_calls || ' ' || failed_calls FROM usage_by_bucket"),
            "Text(\"1 400 1 1\")",
            "rollups rebuilt from the corrected calls"
        );
        assert_eq!(
            one("SELECT COUNT(*) FROM source_cursors"),
            "Integer(0)",
            "every source is read again"
        );
        assert_eq!(
            one("SELECT value FROM preferences WHERE key = 'ledger.correction-pending'"),
            "Text(\"1\")"
        );

        let mut fresh = Connection::open_in_memory().unwrap();
        super::super::register_functions(&fresh).unwrap();
        migrate(&mut fresh, None).unwrap();
        let pending: i64 = fresh
            .query_row("SELECT COUNT(*) FROM preferences", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pending, 0, "a new ledger has nothing to correct");
    }
}
