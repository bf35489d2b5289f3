//! What went through the router, from the ledger: the latest calls (billed, failed or aborted)
//! with their key, provider, model, tokens and cost, and spend per provider and key since an
//! instant. A call OpenClaw made through the router counts once, under its transcript's copy
//! (marked with the router key); failed attempts are the router's own records, and so are the
//! calls it refused before sending them (a budget, a key's limits, an unknown model).

use rusqlite::{params, Connection};
use serde::Serialize;

use clawtower_core::money::NanoUsd;
use clawtower_core::Result;
use clawtower_store::router_refusals;

/// One call through the router.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RoutedCallView {
    /// When it ended, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub ts_ms: i64,
    /// The key it came with.
    pub key_id: Option<i32>,
    /// Whose call it is in the ledger.
    pub agent_id: String,
    /// The provider that answered (or failed); empty for a call refused before it was sent.
    pub provider: String,
    /// The model, as the provider names it.
    pub model: String,
    /// `ok`, `incomplete` (its stream was cut: what arrived counts), `failed`, `aborted`, or
    /// `refused` (by the router, before it was sent: `status` is the router's answer).
    pub outcome: String,
    /// Input, output and cache tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: i64,
    /// What it cost.
    pub cost_usd: f64,
    /// Why it failed, or why it is incomplete.
    pub error: Option<String>,
    /// The upstream's HTTP status (`None`: it never answered, or the call predates the log).
    pub status: Option<u16>,
    /// The route taken, as the call's `x-clawtower-route` header said.
    pub route: Option<String>,
    /// The upstream's time until its answer (a stream's first byte), ms.
    pub upstream_ms: Option<f64>,
    /// What the router added, ms.
    pub overhead_ms: Option<f64>,
}

/// Spend of one provider under one key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RoutedSpend {
    /// The provider.
    pub provider: String,
    /// The key (`None`: calls stored before keys were recorded on them).
    pub key_id: Option<i32>,
    /// Billed calls.
    pub calls: u32,
    /// Their tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: i64,
    /// Their cost.
    pub cost_usd: f64,
}

/// The Router page's activity: the latest calls, and spend per provider and key today and this
/// month (local time).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RouterActivity {
    /// The latest 100 calls of the last 24 hours, newest first.
    pub recent: Vec<RoutedCallView>,
    /// Spend today, per provider and key.
    pub today: Vec<RoutedSpend>,
    /// Spend this month, per provider and key.
    pub month: Vec<RoutedSpend>,
}

/// The activity as of `now`.
pub fn activity(conn: &Connection, now: &jiff::Zoned) -> Result<RouterActivity> {
    use clawtower_core::period::Period;
    let day_ms = 24 * 3600 * 1000;
    Ok(RouterActivity {
        recent: recent(conn, now.timestamp().as_millisecond() - day_ms, 100)?,
        today: spend(conn, Period::Day.containing(now)?.start_ms())?,
        month: spend(conn, Period::Month.containing(now)?.start_ms())?,
    })
}

/// The key id in a router session key (`router:key-7` → 7).
fn key_of(session_key: &str) -> Option<i32> {
    session_key.strip_prefix("router:key-")?.parse().ok()
}

/// The columns of a billed call through the router.
const ROUTED_COLUMNS: &str = "ts_ms, router_key, session_key, agent_id, provider, model,
        input_tokens + output_tokens + cache_read_tokens + cache_write_tokens, cost_nanousd,
        incomplete";

/// Billed calls through the router since `since_ms`: the router's own copies and the
/// transcript copies marked with a router key.
const ROUTED_SINCE: &str = "ts_ms >= ?1 AND (call_id LIKE 'router:%' OR router_key IS NOT NULL)";

/// How the router handled a call (`router_requests h`, NULL for a call not in the log): status,
/// route, upstream and overhead ms.
const HANDLED_COLUMNS: &str = "h.status, h.route, h.upstream_ms, h.overhead_ms";

/// Status, route, upstream and overhead ms.
type Handled = (Option<u16>, Option<String>, Option<f64>, Option<f64>);

/// The [`HANDLED_COLUMNS`] of a row, from column `at` on.
fn handled(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Handled> {
    Ok((r.get(at)?, r.get(at + 1)?, r.get(at + 2)?, r.get(at + 3)?))
}

/// The latest `limit` calls through the router since `since_ms`, newest first.
pub fn recent(conn: &Connection, since_ms: i64, limit: u32) -> Result<Vec<RoutedCallView>> {
    let mut calls: Vec<RoutedCallView> = conn
        .prepare_cached(&format!(
            "SELECT {ROUTED_COLUMNS}, {HANDLED_COLUMNS}
             FROM model_calls LEFT JOIN router_requests h USING (call_id)
             WHERE {ROUTED_SINCE} ORDER BY ts_ms DESC LIMIT ?2"
        ))?
        .query_map(params![since_ms, limit], |r| {
            let (status, route, upstream_ms, overhead_ms) = handled(r, 9)?;
            let session_key: String = r.get(2)?;
            let incomplete: Option<String> = r.get(8)?;
            Ok(RoutedCallView {
                ts_ms: r.get(0)?,
                key_id: r.get::<_, Option<i32>>(1)?.or_else(|| key_of(&session_key)),
                agent_id: r.get(3)?,
                provider: r.get(4)?,
                model: r.get(5)?,
                outcome: if incomplete.is_some() {
                    "incomplete"
                } else {
                    "ok"
                }
                .into(),
                tokens: r.get(6)?,
                cost_usd: NanoUsd(r.get(7)?).as_usd(),
                error: incomplete,
                status,
                route,
                upstream_ms,
                overhead_ms,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let unbilled = conn
        .prepare_cached(&format!(
            "SELECT ts_ms, session_key, agent_id, provider, model, outcome, error, {HANDLED_COLUMNS}
             FROM unbilled_calls LEFT JOIN router_requests h USING (call_id)
             WHERE ts_ms >= ?1 AND session_key LIKE 'router:key-%'
             ORDER BY ts_ms DESC LIMIT ?2"
        ))?
        .query_map(params![since_ms, limit], |r| {
            let session_key: String = r.get(1)?;
            let (status, route, upstream_ms, overhead_ms) = handled(r, 7)?;
            Ok(RoutedCallView {
                ts_ms: r.get(0)?,
                key_id: key_of(&session_key),
                agent_id: r.get(2)?,
                provider: r.get(3)?,
                model: r.get(4)?,
                outcome: r.get(5)?,
                tokens: 0,
                cost_usd: 0.0,
                error: r.get(6)?,
                status,
                route,
                upstream_ms,
                overhead_ms,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    calls.extend(unbilled);
    let refused = router_refusals::recent(conn, since_ms, limit)?;
    calls.extend(refused.into_iter().map(|r| RoutedCallView {
        ts_ms: r.ts_ms,
        key_id: i32::try_from(r.key_id).ok(),
        agent_id: r.agent_id,
        provider: String::new(),
        model: r.model,
        outcome: "refused".into(),
        tokens: 0,
        cost_usd: 0.0,
        error: Some(r.reason),
        status: Some(r.status),
        route: None,
        upstream_ms: None,
        overhead_ms: None,
    }));
    calls.sort_by_key(|c| std::cmp::Reverse(c.ts_ms));
    calls.truncate(limit as usize);
    Ok(calls)
}

/// Spend through the router since `since_ms`, per provider and key, most expensive first.
pub fn spend(conn: &Connection, since_ms: i64) -> Result<Vec<RoutedSpend>> {
    let mut sums: std::collections::BTreeMap<(String, Option<i32>), (u32, i64, i64)> =
        std::collections::BTreeMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROUTED_COLUMNS} FROM model_calls WHERE {ROUTED_SINCE}"
    ))?;
    let rows = stmt.query_map([since_ms], |r| {
        let session_key: String = r.get(2)?;
        let key = r.get::<_, Option<i32>>(1)?.or_else(|| key_of(&session_key));
        Ok((
            r.get::<_, String>(4)?,
            key,
            r.get::<_, i64>(6)?,
            r.get::<_, i64>(7)?,
        ))
    })?;
    for row in rows {
        let (provider, key, tokens, cost) = row?;
        let e = sums.entry((provider, key)).or_default();
        e.0 = e.0.saturating_add(1);
        e.1 = e.1.saturating_add(tokens);
        e.2 = e.2.saturating_add(cost);
    }
    let mut out: Vec<RoutedSpend> = sums
        .into_iter()
        .map(|((provider, key_id), (calls, tokens, cost))| RoutedSpend {
            provider,
            key_id,
            calls,
            tokens,
            cost_usd: NanoUsd(cost).as_usd(),
        })
        .collect();
    out.sort_by(|a, b| b.cost_usd.total_cmp(&a.cost_usd));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::model_calls::{
        insert, write_unbilled, OnExisting, Unbilled, UnbilledCall,
    };
    use clawtower_store::rollups::RollupDeltas;
    use clawtower_store::routed::{record_request, RouterRequest};
    use clawtower_store::testing::sample;
    use clawtower_store::Store;

    #[test]
    fn recent_calls_and_spend_per_provider_and_key() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                let mut routed = sample("router:a", 10_000, 0.5);
                routed.session_key = "router:key-3".into();
                insert(c, &routed)?;
                let mut folded = sample("e1@1", 20_000, 0.25);
                insert(c, &folded)?;
                c.execute(
                    "UPDATE model_calls SET router_key = 4 WHERE call_id = 'e1@1'",
                    [],
                )?;
                folded.call_id = "e2@2".into();
                insert(c, &folded)?; // not through the router
                let failed = UnbilledCall {
                    call_id: "router:f".into(),
                    agent_id: "coder".into(),
                    session_key: "router:key-3".into(),
                    session_id: String::new(),
                    ts_ms: 30_000,
                    provider: "stub".into(),
                    model: "stub-model".into(),
                    outcome: Unbilled::Failed,
                    error: Some("HTTP 503".into()),
                };
                let mut rollups = RollupDeltas::default();
                write_unbilled(c, &failed, OnExisting::Keep, &mut rollups)?;
                rollups.apply(c)?;
                let recent = recent(c, 0, 10)?;
                let seen: Vec<_> = recent
                    .iter()
                    .map(|r| (r.outcome.as_str(), r.key_id))
                    .collect();
                assert_eq!(
                    seen,
                    [("failed", Some(3)), ("ok", Some(4)), ("ok", Some(3))]
                );
                assert_eq!(recent[0].error.as_deref(), Some("HTTP 503"));
                assert_eq!(recent[0].status, None, "not in the log");
                let log = |status, route: &str, overhead| RouterRequest {
                    status: Some(status),
                    route: route.into(),
                    upstream_ms: Some(40.0),
                    overhead_ms: overhead,
                };
                record_request(c, "router:f", &log(503, "stub -> stub/stub-model", None))?;
                record_request(c, "e1@1", &log(200, "auto -> stub/m", Some(0.5)))?;
                let logged = super::recent(c, 0, 10)?;
                let seen: Vec<_> = logged
                    .iter()
                    .map(|r| (r.status, r.route.as_deref(), r.overhead_ms))
                    .collect();
                assert_eq!(
                    seen,
                    [
                        (Some(503), Some("stub -> stub/stub-model"), None),
                        (Some(200), Some("auto -> stub/m"), Some(0.5)),
                        (None, None, None)
                    ]
                );
                let by_key = spend(c, 0)?;
                let rows: Vec<_> = by_key
                    .iter()
                    .map(|s| (s.key_id, s.calls, s.cost_usd))
                    .collect();
                assert_eq!(rows, [(Some(3), 1, 0.5), (Some(4), 1, 0.25)]);
                assert!(spend(c, 25_000)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}
