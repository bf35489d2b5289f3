//! Stable agent identities. OpenClaw knows an agent by its id, which is its name normalized: an
//! agent restored as `ops-2` has another id than the archived `ops`, and a new agent may take
//! the archived one's id. The ledger stores calls by agent id, so an identity is a list of
//! (agent id, from, until) spans: the restored `ops-2` continues the archived `ops`'s identity,
//! and a new `ops` made after the archive starts an identity of its own.

use rusqlite::{params, Connection, OptionalExtension};

use clawtower_core::money::NanoUsd;
use clawtower_core::Result;
use clawtower_store::rollups::{bucket_of, BUCKET_MS};

/// The identity agent `agent_id` has now; made on first sight. The first identity of an id
/// covers all its history (calls stored before Clawtower tracked identities); one made after
/// that id was archived starts now.
pub fn current(conn: &Connection, agent_id: &str, now_ms: i64) -> Result<String> {
    let open: Option<String> = conn
        .prepare_cached(
            "SELECT identity FROM agent_identities WHERE agent_id = ?1 AND until_ms IS NULL",
        )?
        .query_row([agent_id], |r| r.get(0))
        .optional()?;
    match open {
        Some(identity) => Ok(identity),
        None => {
            let identity = if seen(conn, agent_id)? {
                format!("{agent_id}@{now_ms}")
            } else {
                agent_id.to_string()
            };
            continue_as(conn, &identity, agent_id, now_ms)?;
            Ok(identity)
        }
    }
}

/// Ends agent `agent_id`'s current identity span at `at_ms` (archived); returns the identity.
pub fn end(conn: &Connection, agent_id: &str, at_ms: i64) -> Result<Option<String>> {
    let identity = conn
        .prepare_cached(
            "UPDATE agent_identities SET until_ms = ?2 WHERE agent_id = ?1 AND until_ms IS NULL
             RETURNING identity",
        )?
        .query_row(params![agent_id, bucket_start_after(at_ms)], |r| r.get(0))
        .optional()?;
    Ok(identity)
}

/// Agent `agent_id` is `identity` from `from_ms` on (a restore under that id). An identity the
/// id had until then ends there. A span starts and ends on rollup bucket boundaries (15
/// minutes): an id never seen before starts with all its history; a reused id at the next
/// boundary, so the bucket it was archived in stays with the agent archived.
pub fn continue_as(conn: &Connection, identity: &str, agent_id: &str, from_ms: i64) -> Result<()> {
    let from = if seen(conn, agent_id)? {
        bucket_start_after(from_ms)
    } else {
        0
    };
    end(conn, agent_id, from_ms)?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO agent_identities (identity, agent_id, from_ms, until_ms)
         VALUES (?1, ?2, ?3, NULL)",
    )?
    .execute(params![identity, agent_id, from])?;
    Ok(())
}

/// What `identity` spent since `since_ms` (0: all of it), over every agent id it had, each for
/// its span.
pub fn spend(conn: &Connection, identity: &str, since_ms: i64) -> Result<NanoUsd> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(ssum(r.cost_nanousd), 0) FROM agent_identities i
         JOIN usage_rollups r ON r.agent_id = i.agent_id
           AND r.bucket >= MAX(?2, i.from_ms / ?3)
           AND (i.until_ms IS NULL OR r.bucket < i.until_ms / ?3)
         WHERE i.identity = ?1",
    )?;
    let total = stmt.query_row(params![identity, bucket_of(since_ms), BUCKET_MS], |r| {
        clawtower_store::saturating_sum(r, 0)
    })?;
    Ok(NanoUsd(total))
}

fn seen(conn: &Connection, agent_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM agent_identities WHERE agent_id = ?1)")?
        .query_row([agent_id], |r| r.get(0))?)
}

/// The first bucket boundary at or after `ms`.
fn bucket_start_after(ms: i64) -> i64 {
    let b = bucket_of(ms);
    if b * BUCKET_MS == ms {
        ms
    } else {
        (b + 1) * BUCKET_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;
    use clawtower_store::Store;

    fn call(c: &Connection, id: &str, agent: &str, ts: i64, usd: f64) {
        let mut call = sample(id, ts, usd);
        call.agent_id = agent.into();
        insert(c, &call).unwrap();
    }

    #[test]
    fn a_restored_agent_keeps_its_history_and_a_new_one_with_its_old_id_starts_afresh() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let b = BUCKET_MS;
                call(c, "1", "ops", b, 1.0); // before identities were tracked
                assert_eq!(current(c, "ops", 2 * b)?, "ops");
                call(c, "2", "ops", 3 * b, 2.0);
                assert_eq!(end(c, "ops", 4 * b)?.as_deref(), Some("ops"));
                // A new agent takes the id "ops"; the archived one comes back as "ops-2".
                let newcomer = current(c, "ops", 5 * b)?;
                assert_ne!(newcomer, "ops");
                call(c, "3", "ops", 6 * b, 4.0);
                continue_as(c, "ops", "ops-2", 7 * b)?;
                call(c, "4", "ops-2", 8 * b, 8.0);
                assert_eq!(current(c, "ops-2", 9 * b)?, "ops");
                assert_eq!(spend(c, "ops", 0)?, NanoUsd::from_usd(11.0));
                assert_eq!(spend(c, &newcomer, 0)?, NanoUsd::from_usd(4.0));
                assert_eq!(spend(c, "ops", 8 * b)?, NanoUsd::from_usd(8.0));
                Ok(())
            })
            .unwrap();
    }
}
