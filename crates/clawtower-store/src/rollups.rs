//! The rollup tables (`usage_rollups`, `usage_by_bucket`, `usage_by_session`, and the day tables
//! of [`crate::day_rollups`]): spend summed per 15-minute bucket (per session, per local day), so
//! reports, the tray and the sessions list never scan every call. Kept current as calls are written (in batches: [`RollupDeltas`]), or rebuilt from the
//! calls.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rusqlite::{params, Connection};

use clawtower_core::error::Result;

use crate::day_rollups;

use crate::rollup_shape::{add_excluded, each_column, sum_placeholders, upsert_sums};
pub use crate::rollup_shape::{bucket_of, ABORTED, BUCKET_MS, FAILED, ROLLUP_COLUMNS};

/// The dimensions of a `usage_rollups` row.
pub struct RollupKey<'a> {
    bucket: i64,
    agent_id: &'a str,
    session_key: &'a str,
    provider: &'a str,
    model: &'a str,
}

impl<'a> RollupKey<'a> {
    /// The row a call at `ts_ms` with these dimensions counts in.
    pub fn of(
        ts_ms: i64,
        agent_id: &'a str,
        session_key: &'a str,
        provider: &'a str,
        model: &'a str,
    ) -> Self {
        RollupKey {
            bucket: bucket_of(ts_ms),
            agent_id,
            session_key,
            provider,
            model,
        }
    }
}

/// A rollup row's dimensions, owned.
type OwnedKey = (i64, String, String, String, String);

/// Changes to the rollup tables gathered while calls are written, applied once per row: an
/// import touches each rollup row once per transaction instead of once per call.
#[derive(Default)]
pub struct RollupDeltas {
    /// Sums to add per row, and whether any was negative (the row may have emptied).
    rows: BTreeMap<OwnedKey, ([i64; ROLLUP_COLUMNS.len()], bool)>,
}

impl RollupDeltas {
    /// Adds `sums` (negative to take away) to the row of `key`.
    pub fn add(&mut self, key: &RollupKey<'_>, sums: &[i64; ROLLUP_COLUMNS.len()]) {
        let owned = (
            key.bucket,
            key.agent_id.to_string(),
            key.session_key.to_string(),
            key.provider.to_string(),
            key.model.to_string(),
        );
        let (row, shrinks) = self
            .rows
            .entry(owned)
            .or_insert(([0; ROLLUP_COLUMNS.len()], false));
        for (total, v) in row.iter_mut().zip(sums) {
            *total = total.saturating_add(*v);
        }
        *shrinks |= sums.iter().any(|v| *v < 0);
    }

    /// Writes every gathered change (in the caller's transaction) and forgets them.
    pub fn apply(&mut self, conn: &Connection) -> Result<()> {
        let rows = std::mem::take(&mut self.rows);
        // Each session's row once (its agent as of its latest quarter hour): a session spans
        // many rollup rows, and each write of its row is also a write of `session_list`. Its
        // first and last quarter hours are those something was added in (a row whose calls
        // all moved away adds none), or any it was touched in when nothing was added.
        let mut sessions: BTreeMap<&str, SessionDelta<'_>> = BTreeMap::new();
        for (key, (sums, shrinks)) in &rows {
            add_to_rollup(conn, key, sums)?;
            if *shrinks {
                drop_if_empty(conn, key)?;
            }
            let (bucket, agent_id, session_key, _, _) = key;
            let added = sums.iter().any(|v| *v > 0);
            let session = sessions.entry(session_key).or_insert(SessionDelta {
                agent_id,
                first_bucket: *bucket,
                last_bucket: *bucket,
                added,
                sums: [0; ROLLUP_COLUMNS.len()],
                shrinks: false,
            });
            session.agent_id = agent_id;
            if added && !session.added {
                (session.first_bucket, session.last_bucket, session.added) =
                    (*bucket, *bucket, true);
            } else if added || !session.added {
                session.first_bucket = session.first_bucket.min(*bucket);
                session.last_bucket = session.last_bucket.max(*bucket);
            }
            for (total, v) in session.sums.iter_mut().zip(sums) {
                *total = total.saturating_add(*v);
            }
            session.shrinks |= *shrinks;
        }
        for (session_key, delta) in sessions {
            add_to_session(conn, session_key, &delta)?;
        }
        day_rollups::apply(
            conn,
            rows.iter().map(
                |((bucket, agent, session, provider, model), (sums, shrinks))| {
                    (
                        *bucket,
                        [agent.as_str(), session, provider, model],
                        sums,
                        *shrinks,
                    )
                },
            ),
        )
    }
}

/// What a transaction adds to one session's row of `usage_by_session`.
struct SessionDelta<'a> {
    agent_id: &'a str,
    first_bucket: i64,
    last_bucket: i64,
    /// Whether the bounds are those of rows something was added to.
    added: bool,
    sums: [i64; ROLLUP_COLUMNS.len()],
    shrinks: bool,
}

/// The three rollup upserts, built once from [`ROLLUP_COLUMNS`].
static ROLLUP_SQL: LazyLock<[String; 3]> = LazyLock::new(|| {
    let columns = ROLLUP_COLUMNS.join(", ");
    let add = add_excluded();
    let values = sum_placeholders;
    [
        format!(
            "INSERT INTO usage_rollups (bucket, agent_id, session_key, provider, model, {columns})
             VALUES (?1, ?2, ?3, ?4, ?5, {})
             ON CONFLICT (bucket, agent_id, session_key, provider, model) DO UPDATE SET {add}",
            values(6)
        ),
        format!(
            "INSERT INTO usage_by_bucket (bucket, {columns}) VALUES (?1, {})
             ON CONFLICT (bucket) DO UPDATE SET {add}",
            values(2)
        ),
        format!(
            "INSERT INTO usage_by_session (session_key, agent_id, first_bucket, last_bucket, {columns})
             VALUES (?1, ?2, ?3, ?4, {})
             ON CONFLICT (session_key) DO UPDATE SET agent_id = excluded.agent_id,
               first_bucket = MIN(first_bucket, excluded.first_bucket),
               last_bucket = MAX(last_bucket, excluded.last_bucket), {add}",
            values(5)
        ),
    ]
});

/// Adds `delta` to its session's row, dropped when it left the row counting nothing.
fn add_to_session(conn: &Connection, session_key: &str, delta: &SessionDelta<'_>) -> Result<()> {
    upsert_sums(
        &mut conn.prepare_cached(&ROLLUP_SQL[2])?,
        params![
            session_key,
            delta.agent_id,
            delta.first_bucket,
            delta.last_bucket
        ],
        &delta.sums,
    )?;
    if delta.shrinks {
        conn.prepare_cached(
            "DELETE FROM usage_by_session WHERE session_key = ?1 AND calls = 0 AND aborted_calls = 0 AND failed_calls = 0",
        )?
        .execute([session_key])?;
    }
    Ok(())
}

/// Adds `sums` to a rollup row and to its bucket's row.
fn add_to_rollup(conn: &Connection, key: &OwnedKey, sums: &[i64]) -> Result<()> {
    let [by_dims_sql, by_bucket_sql, _] = &*ROLLUP_SQL;
    let (bucket, agent_id, session_key, provider, model) = key;
    upsert_sums(
        &mut conn.prepare_cached(by_dims_sql)?,
        params![bucket, agent_id, session_key, provider, model],
        sums,
    )?;
    upsert_sums(
        &mut conn.prepare_cached(by_bucket_sql)?,
        params![bucket],
        sums,
    )
}

/// Drops the rollup and bucket rows of `key` left counting nothing (they would show as empty
/// report rows).
fn drop_if_empty(conn: &Connection, key: &OwnedKey) -> Result<()> {
    let (bucket, agent_id, session_key, provider, model) = key;
    conn.prepare_cached(
        "DELETE FROM usage_rollups WHERE bucket = ?1 AND agent_id = ?2 AND session_key = ?3
           AND provider = ?4 AND model = ?5 AND calls = 0 AND aborted_calls = 0 AND failed_calls = 0",
    )?
    .execute(params![bucket, agent_id, session_key, provider, model])?;
    conn.prepare_cached(
        "DELETE FROM usage_by_bucket WHERE bucket = ?1 AND calls = 0 AND aborted_calls = 0 AND failed_calls = 0",
    )?
    .execute([bucket])?;
    Ok(())
}

/// Recomputes every rollup table from the calls themselves (after a correction pass rewrote
/// stored calls).
pub fn rebuild_rollups(conn: &Connection) -> Result<()> {
    rebuild_bucket_rollups(conn)?;
    rebuild_session_sums(conn)?;
    day_rollups::rebuild_day_rollups(conn)
}

/// Recomputes `usage_rollups` and `usage_by_bucket` from the calls (schema 6 had no
/// `usage_by_session` yet).
pub fn rebuild_bucket_rollups(conn: &Connection) -> Result<()> {
    let columns = ROLLUP_COLUMNS.join(", ");
    let sums = each_column(|c| format!("ssum({c})"));
    let bucket =
        format!("(ts_ms - (((ts_ms % {BUCKET_MS}) + {BUCKET_MS}) % {BUCKET_MS})) / {BUCKET_MS}");
    conn.execute_batch(&format!(
        "DELETE FROM usage_rollups;
         DELETE FROM usage_by_bucket;
         CREATE TEMP TABLE rollup_source AS
           SELECT {bucket} AS bucket, agent_id, session_key, provider, model,
                  1 AS calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                  reasoning_tokens, cost_nanousd, reported_cost_nanousd, unpriced_tokens,
                  COALESCE(book_cost_nanousd, 0) AS book_cost_nanousd,
                  0 AS aborted_calls, 0 AS failed_calls
           FROM model_calls
           UNION ALL
           SELECT {bucket}, agent_id, session_key, provider, model, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  outcome = 'aborted', outcome = 'failed'
           FROM unbilled_calls;
         INSERT INTO usage_rollups (bucket, agent_id, session_key, provider, model, {columns})
           SELECT bucket, agent_id, session_key, provider, model, {sums} FROM rollup_source
           GROUP BY bucket, agent_id, session_key, provider, model;
         INSERT INTO usage_by_bucket (bucket, {columns})
           SELECT bucket, {sums} FROM rollup_source GROUP BY bucket;
         DROP TABLE rollup_source;"
    ))?;
    Ok(())
}

/// Recomputes `usage_by_session` from `usage_rollups`. A session's first and last quarter hours
/// are bounds: a call moved away later leaves them as they were.
pub fn rebuild_session_sums(conn: &Connection) -> Result<()> {
    let columns = ROLLUP_COLUMNS.join(", ");
    let sums = each_column(|c| format!("ssum({c})"));
    conn.execute_batch(&format!(
        "DELETE FROM usage_by_session;
         INSERT INTO usage_by_session (session_key, agent_id, first_bucket, last_bucket, {columns})
           SELECT session_key, MAX(agent_id), MIN(bucket), MAX(bucket), {sums}
           FROM usage_rollups GROUP BY session_key;"
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_calls::{forget_billed, write, OnExisting};
    use crate::testing::sample;
    use crate::Store;

    fn rows(conn: &Connection) -> Vec<(i64, String, i64, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT bucket, session_key, calls, cost_nanousd FROM usage_rollups ORDER BY 1, 2",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn gathered_changes_equal_a_rebuild_and_emptied_rows_go() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let tx = c.transaction()?;
                let mut deltas = RollupDeltas::default();
                for (i, ts) in [0, 60_000, BUCKET_MS, BUCKET_MS + 5]
                    .into_iter()
                    .enumerate()
                {
                    write(
                        &tx,
                        &sample(&format!("c{i}"), ts, 0.5),
                        OnExisting::Keep,
                        &mut deltas,
                    )?;
                }
                // A call moved to another session, and one taken away: the emptied row goes.
                let mut moved = sample("c0", 0, 0.5);
                moved.session_key = "agent:main:other".into();
                write(&tx, &moved, OnExisting::Correct, &mut deltas)?;
                forget_billed(&tx, "c1", &mut deltas)?;
                deltas.apply(&tx)?;
                tx.commit()?;
                let gathered = rows(c);
                assert_eq!(
                    gathered,
                    vec![
                        (0, "agent:main:other".into(), 1, 500_000_000),
                        (1, "agent:main:main".into(), 2, 1_000_000_000),
                    ]
                );
                let sessions = |c: &Connection| -> Vec<(String, i64, i64, i64, i64)> {
                    let mut stmt = c
                        .prepare("SELECT session_key, first_bucket, last_bucket, calls, cost_nanousd FROM usage_by_session ORDER BY 1")
                        .unwrap();
                    let rows = stmt
                        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                        .unwrap();
                    rows.collect::<rusqlite::Result<_>>().unwrap()
                };
                let by_session = sessions(c);
                assert_eq!(
                    by_session,
                    vec![
                        ("agent:main:main".into(), 1, 1, 2, 1_000_000_000),
                        ("agent:main:other".into(), 0, 0, 1, 500_000_000),
                    ]
                );
                rebuild_rollups(c)?;
                assert_eq!(rows(c), gathered);
                assert_eq!(sessions(c), by_session);
                Ok(())
            })
            .unwrap();
    }
}
