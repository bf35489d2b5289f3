//! Calls that went through the router while OpenClaw was routed through it. Such a call reaches
//! the ledger twice: from the router, the moment it ends, and from OpenClaw's transcript, a
//! moment later (or much later, when Clawtower was not running). Both carry the provider's
//! response id. The router's copy counts until the transcript's is found; then it folds into
//! it: the transcript's copy knows the agent and session, and is marked with the router key.

use rusqlite::{params, Connection};

use super::model_calls::forget_billed;
use super::rollups::RollupDeltas;
use clawtower_core::error::Result;

/// How far apart the two copies of one call can be stored (the router's at the end of the
/// answer, OpenClaw's after it handled it).
const MATCH_WINDOW_MS: i64 = 5 * 60 * 1000;

/// How long a router call waits for its transcript copy before it is taken as the only one
/// (OpenClaw writes no transcript entry for some calls, such as a session title).
const PENDING_FOR_MS: i64 = 7 * 24 * 3600 * 1000;

/// Notes that the stored router call `call_id` (made with the attach key `key_id`) has a copy
/// coming in OpenClaw's transcript.
pub fn expect_transcript_copy(
    conn: &Connection,
    call_id: &str,
    response_id: &str,
    model: &str,
    ts_ms: i64,
    key_id: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO routed_pending (call_id, response_id, model, ts_ms, key_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![call_id, response_id, model, ts_ms, key_id])?;
    Ok(())
}

/// How the router handled one call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RouterRequest {
    /// The upstream's HTTP status (`None`: it never answered).
    pub status: Option<u16>,
    /// The route taken, as the call's `x-clawtower-route` header says.
    pub route: String,
    /// From sending to the upstream until its answer (for a stream, its first byte), ms.
    pub upstream_ms: Option<f64>,
    /// What the router added to the call, ms (`None` for an attempt that failed).
    pub overhead_ms: Option<f64>,
}

/// Records how the router handled the stored call `call_id`.
pub fn record_request(conn: &Connection, call_id: &str, request: &RouterRequest) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO router_requests (call_id, status, route, upstream_ms, overhead_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        call_id,
        request.status,
        request.route,
        request.upstream_ms,
        request.overhead_ms
    ])?;
    Ok(())
}

/// Each waiting router call with its transcript copy: the waiting calls first, each looking up
/// its window by time (left to itself, SQLite scanned every stored call for each transaction:
/// ~1 s on a 670,000-call ledger, with nothing waiting too).
const FOLD_PAIRS: &str = "SELECT p.call_id, p.key_id, t.call_id FROM routed_pending p
     CROSS JOIN model_calls t INDEXED BY model_calls_by_time
       ON t.ts_ms BETWEEN p.ts_ms - ?1 AND p.ts_ms + ?1
       AND t.response_id = p.response_id AND t.model = p.model
       AND t.call_id <> p.call_id AND t.call_id NOT LIKE 'router:%'";

/// Folds every router call whose transcript copy is now stored into that copy (the rollup
/// change gathered in `rollups`), and stops waiting for copies older than a week; returns how
/// many folded. Nothing is read when nothing waits (every write transaction of the ledger and
/// the router asks); a waiting call looks only at the calls stored within its match window.
pub fn fold(conn: &Connection, now_ms: i64, rollups: &mut RollupDeltas) -> Result<usize> {
    let waiting: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM routed_pending)")?
        .query_row([], |r| r.get(0))?;
    if !waiting {
        return Ok(0);
    }
    let pairs: Vec<(String, i64, String)> = conn
        .prepare_cached(FOLD_PAIRS)?
        .query_map([MATCH_WINDOW_MS], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut folded = 0;
    for (routed, key_id, copy) in pairs {
        let waiting = conn
            .prepare_cached("DELETE FROM routed_pending WHERE call_id = ?1")?
            .execute([&routed])?;
        if waiting == 0 {
            continue; // two transcript copies (a fork): folded into the first
        }
        forget_billed(conn, &routed, rollups)?;
        conn.prepare_cached("UPDATE model_calls SET router_key = ?1 WHERE call_id = ?2")?
            .execute(params![key_id, copy])?;
        conn.prepare_cached(
            "UPDATE OR IGNORE router_requests SET call_id = ?1 WHERE call_id = ?2",
        )?
        .execute(params![copy, routed])?;
        folded += 1;
    }
    conn.prepare_cached("DELETE FROM routed_pending WHERE ts_ms < ?1")?
        .execute([now_ms.saturating_sub(PENDING_FOR_MS)])?;
    Ok(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_calls::{totals_between, write, OnExisting};
    use crate::rollups::BUCKET_MS;
    use crate::testing::sample;
    use crate::Store;

    fn call(id: &str, ts: i64, response: &str) -> crate::model_calls::ModelCall {
        let mut call = sample(id, ts, 0.5);
        call.response_id = Some(response.into());
        call
    }

    fn store_and_fold(store: &Store, call: &crate::model_calls::ModelCall, key: Option<i64>) {
        store
            .with_conn(|c| {
                let tx = c.transaction()?;
                let mut rollups = RollupDeltas::default();
                write(&tx, call, OnExisting::Keep, &mut rollups)?;
                if let Some(key) = key {
                    let response = call.response_id.as_deref().unwrap();
                    expect_transcript_copy(
                        &tx,
                        &call.call_id,
                        response,
                        &call.model,
                        call.ts_ms,
                        key,
                    )?;
                }
                fold(&tx, call.ts_ms, &mut rollups)?;
                rollups.apply(&tx)?;
                Ok(tx.commit()?)
            })
            .unwrap();
    }

    fn calls(store: &Store) -> (u64, Vec<(String, Option<i64>)>) {
        store
            .read(|c| {
                let totals = totals_between(c, 0, 10 * BUCKET_MS)?;
                let rows = c
                    .prepare("SELECT call_id, router_key FROM model_calls ORDER BY call_id")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok((totals.calls, rows))
            })
            .unwrap()
    }

    #[test]
    fn the_router_copy_folds_into_the_transcript_copy_whichever_comes_first() {
        let t = BUCKET_MS + 1_000;
        // The router's copy first, then the transcript's.
        let store = Store::open_in_memory().unwrap();
        store_and_fold(&store, &call("router:1", t, "chatcmpl-a"), Some(7));
        assert_eq!(
            calls(&store).0,
            1,
            "counted while the transcript copy is not there"
        );
        store
            .with_conn(|c| {
                let request = RouterRequest {
                    status: Some(200),
                    route: "stub -> stub/m".into(),
                    upstream_ms: Some(12.5),
                    overhead_ms: Some(0.25),
                };
                record_request(c, "router:1", &request)
            })
            .unwrap();
        store_and_fold(&store, &call("e1@1", t + 900, "chatcmpl-a"), None);
        assert_eq!(calls(&store), (1, vec![("e1@1".into(), Some(7))]));
        let handled: Vec<(String, i64)> = store
            .read(|c| {
                let rows = c
                    .prepare("SELECT call_id, status FROM router_requests")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(handled, [("e1@1".to_string(), 200)], "moved with the call");
        // The transcript's first.
        let store = Store::open_in_memory().unwrap();
        store_and_fold(&store, &call("e1@1", t, "chatcmpl-a"), None);
        store_and_fold(&store, &call("router:1", t + 900, "chatcmpl-a"), Some(7));
        assert_eq!(calls(&store), (1, vec![("e1@1".into(), Some(7))]));
    }

    #[test]
    fn other_calls_with_the_same_response_id_stay_apart() {
        // Local servers reuse ids (Ollama: chatcmpl-123): another model, or far apart in time,
        // is another call; and a router call made without an attach key never folds.
        let t = BUCKET_MS + 1_000;
        let store = Store::open_in_memory().unwrap();
        let mut other_model = call("e1@1", t, "chatcmpl-123");
        other_model.model = "other".into();
        store_and_fold(&store, &other_model, None);
        store_and_fold(
            &store,
            &call("e2@2", t + MATCH_WINDOW_MS + 1, "chatcmpl-123"),
            None,
        );
        store_and_fold(&store, &call("router:sdk", t, "chatcmpl-123"), None);
        store_and_fold(&store, &call("router:1", t, "chatcmpl-123"), Some(7));
        assert_eq!(calls(&store).0, 4);
    }

    #[test]
    fn folding_reads_only_the_calls_near_each_waiting_one() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .with_conn(|c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {FOLD_PAIRS}"))?;
                let rows = stmt
                    .query_map([MATCH_WINDOW_MS], |r| r.get::<_, String>(3))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(rows)
            })
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("SEARCH t USING INDEX model_calls_by_time")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN t")),
            "{plan:?}"
        );
    }
}
