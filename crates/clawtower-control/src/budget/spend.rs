//! Spend inside a budget's scope over an instant range: whole 15-minute buckets come from the
//! rollups, the unaligned edges of a rolling window from the calls themselves, so the sum is exact
//! and costs the same whether the ledger holds a thousand calls or ten million.

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;

use super::model::BudgetScope;
use clawtower_core::error::Result;
use clawtower_core::money::NanoUsd;
use clawtower_store::rollups::{bucket_of, BUCKET_MS};
use clawtower_store::saturating_sum;

/// Cost of the calls in `scope` with `start_ms <= ts_ms < end_ms`.
pub fn spend_in(
    conn: &Connection,
    scope: &BudgetScope,
    start_ms: i64,
    end_ms: i64,
) -> Result<NanoUsd> {
    // Whole buckets from the first boundary at or after `start_ms` to the last one at or before
    // `end_ms`.
    let first_whole = -bucket_of(-start_ms) * BUCKET_MS;
    let last_whole = bucket_of(end_ms) * BUCKET_MS;
    if first_whole >= last_whole {
        return calls_sum(conn, scope, start_ms, end_ms);
    }
    // `NanoUsd`'s `+` saturates: three sums near `i64::MAX` stay there.
    Ok(calls_sum(conn, scope, start_ms, first_whole)?
        + calls_sum(conn, scope, last_whole, end_ms)?
        + rollup_sum(conn, scope, first_whole, last_whole)?)
}

/// The SQL condition selecting `scope` over the columns the calls and the rollups share.
fn condition(scope: &BudgetScope) -> (&'static str, Vec<SqlValue>) {
    let text = |v: &str| SqlValue::Text(v.to_string());
    match scope {
        BudgetScope::All => ("1", vec![]),
        BudgetScope::Agent(id) => ("agent_id = ?3", vec![text(id)]),
        BudgetScope::Model(m) => (
            "(model = ?3 OR provider || '/' || model = ?3)",
            vec![text(m)],
        ),
        BudgetScope::Provider(p) => ("provider = ?3", vec![text(p)]),
        BudgetScope::Session(key) => ("session_key = ?3", vec![text(key)]),
        BudgetScope::CronJob(job) => {
            let job = like_escape(job);
            (
                "(session_key LIKE ?3 ESCAPE '\\' OR session_key LIKE ?4 ESCAPE '\\')",
                vec![
                    text(&format!("agent:%:cron:{job}")),
                    text(&format!("agent:%:cron:{job}:%")),
                ],
            )
        }
    }
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn calls_sum(
    conn: &Connection,
    scope: &BudgetScope,
    start_ms: i64,
    end_ms: i64,
) -> Result<NanoUsd> {
    if end_ms <= start_ms {
        return Ok(NanoUsd::ZERO);
    }
    let (filter, extra) = condition(scope);
    let sql = format!(
        "SELECT COALESCE(ssum(cost_nanousd), 0) FROM model_calls WHERE ts_ms >= ?1 AND ts_ms < ?2 AND {filter}"
    );
    query_sum(conn, &sql, start_ms, end_ms, extra)
}

fn rollup_sum(
    conn: &Connection,
    scope: &BudgetScope,
    start_ms: i64,
    end_ms: i64,
) -> Result<NanoUsd> {
    let (filter, extra) = condition(scope);
    let table = if matches!(scope, BudgetScope::All) {
        "usage_by_bucket"
    } else {
        "usage_rollups"
    };
    let sql = format!(
        "SELECT COALESCE(ssum(cost_nanousd), 0) FROM {table} WHERE bucket >= ?1 AND bucket < ?2 AND {filter}"
    );
    query_sum(conn, &sql, bucket_of(start_ms), bucket_of(end_ms), extra)
}

fn query_sum(
    conn: &Connection,
    sql: &str,
    from: i64,
    to: i64,
    extra: Vec<SqlValue>,
) -> Result<NanoUsd> {
    let mut values = vec![SqlValue::Integer(from), SqlValue::Integer(to)];
    values.extend(extra);
    let mut stmt = conn.prepare_cached(sql)?;
    let sum = stmt.query_row(rusqlite::params_from_iter(values), |row| {
        saturating_sum(row, 0)
    })?;
    Ok(NanoUsd(sum))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use clawtower_store::model_calls::{insert, CostOrigin, ModelCall};
    use clawtower_store::Store;

    /// Stores a call of `cost` nano-USD at `ts_ms` (test helper shared by the budget tests).
    pub(crate) fn add_call(
        store: &Store,
        id: &str,
        session_key: &str,
        model: &str,
        ts_ms: i64,
        cost: i64,
    ) {
        let agent = clawtower_core::session_key::agent_of_key(session_key);
        let call = ModelCall {
            call_id: id.into(),
            agent_id: agent,
            session_key: session_key.into(),
            session_id: "s".into(),
            ts_ms,
            provider: "stub".into(),
            model: model.into(),
            input_tokens: 1,
            output_tokens: 1,
            cache_read_tokens: 0,
            cache_write_tokens: 0,
            reasoning_tokens: 0,
            cost: NanoUsd(cost),
            reported_cost: NanoUsd(cost),
            unpriced_tokens: 0,
            response_id: None,
            announces: None,
            book_cost: None,
            cost_origin: CostOrigin::OpenClaw,
        };
        store.with_conn(|c| insert(c, &call).map(|_| ())).unwrap();
    }

    #[test]
    fn sums_exactly_per_scope_including_unaligned_edges() {
        let store = Store::open_in_memory().unwrap();
        let base = 1_000 * BUCKET_MS;
        add_call(&store, "a", "agent:main:main", "m1", base + 10, 100);
        add_call(
            &store,
            "b",
            "agent:ops:cron:nightly:run:s1",
            "m2",
            base + BUCKET_MS * 3 + 7,
            20,
        );
        add_call(
            &store,
            "c",
            "agent:ops:cron:nightly_x",
            "m2",
            base + BUCKET_MS * 4,
            3,
        );
        add_call(
            &store,
            "d",
            "agent:main:main",
            "m1",
            base + BUCKET_MS * 9 - 1,
            4000,
        );
        let sum = |scope: BudgetScope, from: i64, to: i64| {
            store
                .with_conn(|c| spend_in(c, &scope, from, to))
                .unwrap()
                .0
        };
        let end = base + BUCKET_MS * 9;
        assert_eq!(sum(BudgetScope::All, base, end), 4123);
        // Unaligned on both sides: the edges come from the calls.
        assert_eq!(sum(BudgetScope::All, base + 11, end - 1), 23);
        assert_eq!(sum(BudgetScope::All, base + 10, end), 4123);
        assert_eq!(sum(BudgetScope::All, base + 5, base + 8), 0);
        assert_eq!(sum(BudgetScope::Agent("ops".into()), base, end), 23);
        assert_eq!(sum(BudgetScope::Model("m1".into()), base, end), 4100);
        assert_eq!(sum(BudgetScope::Model("stub/m2".into()), base, end), 23);
        assert_eq!(sum(BudgetScope::Provider("stub".into()), base, end), 4123);
        assert_eq!(
            sum(
                BudgetScope::Session("agent:main:main".into()),
                base + 11,
                end
            ),
            4000
        );
        // `_` in a job id is literal, not a wildcard.
        assert_eq!(sum(BudgetScope::CronJob("nightly".into()), base, end), 20);
        assert_eq!(sum(BudgetScope::CronJob("nightly_x".into()), base, end), 3);
        assert_eq!(sum(BudgetScope::CronJob("nightlyxx".into()), base, end), 0);
    }

    #[test]
    fn sums_near_the_limit_saturate_across_the_edges_and_the_buckets() {
        // Each part of a rolling window (both unaligned edges and the whole buckets between)
        // holds a call of half the i64 range: the total saturates instead of wrapping or panicking.
        let store = Store::open_in_memory().unwrap();
        let base = 1_000 * BUCKET_MS;
        let half = i64::MAX / 2 + 1;
        add_call(&store, "a", "agent:main:main", "m", base + 10, half);
        add_call(
            &store,
            "b",
            "agent:main:main",
            "m",
            base + BUCKET_MS * 3,
            half,
        );
        add_call(
            &store,
            "c",
            "agent:main:main",
            "m",
            base + BUCKET_MS * 5 + 2,
            half,
        );
        let spent = store
            .with_conn(|c| spend_in(c, &BudgetScope::All, base + 5, base + BUCKET_MS * 5 + 9))
            .unwrap();
        assert_eq!(spent, NanoUsd(i64::MAX));
    }
}
