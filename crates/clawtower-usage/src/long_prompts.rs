//! The calls whose prompt was above 200k tokens, read one by one (a partial index holds only
//! them): sums priced at a model's base rates miss what its long-context rates add — to "what
//! if" and to "what caching saved" — and this is that difference, per row of each table.

use std::collections::HashMap;

use rusqlite::{params_from_iter, Connection};

use clawtower_core::error::Result;
use clawtower_ledger::pricing::Price;
use clawtower_ledger::report::Sums;

use crate::prices::{cache_saved, priced, Prices};
use crate::query::Window;
use crate::read::bounds_and_agent;

/// What long prompts add to a row, USD.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Extra {
    /// To the "what if" cost.
    pub what_if: f64,
    /// To what caching saved.
    pub saved: f64,
}

impl Extra {
    /// Adds `other` to it.
    pub(crate) fn add(&mut self, other: Extra) {
        self.what_if += other.what_if;
        self.saved += other.saved;
    }
}

/// What the long prompts of a window add, in total and per row of each table.
#[derive(Debug, Default)]
pub(crate) struct LongPrompts {
    pub total: Extra,
    /// By `provider/model`.
    pub models: HashMap<String, Extra>,
    pub agents: HashMap<String, Extra>,
    pub providers: HashMap<String, Extra>,
    pub sessions: HashMap<String, Extra>,
}

/// The prompt-size condition of the partial index `model_calls_long_prompts` (migration 27):
/// a query must say it exactly so to use the index.
const LONG_PROMPT: &str = "input_tokens + cache_read_tokens + cache_write_tokens > 200000";

/// What the calls of `window` (of `agent`, when given) with a long prompt add, at the models'
/// and the "what if" `target`'s long-context rates.
pub(crate) fn long_prompts(
    conn: &Connection,
    window: &Window,
    agent: Option<&str>,
    prices: &mut Prices<'_>,
    target: Option<&Price>,
) -> Result<LongPrompts> {
    let (params, only_agent) = bounds_and_agent(window.start_ms, window.end_ms, agent);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT agent_id, session_key, provider, model, input_tokens, output_tokens,
                cache_read_tokens, cache_write_tokens, reasoning_tokens
         FROM model_calls WHERE {LONG_PROMPT} AND ts_ms >= ?1 AND ts_ms < ?2 {only_agent}"
    ))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut long = LongPrompts::default();
    while let Some(row) = rows.next()? {
        let n = |i: usize| -> rusqlite::Result<u64> { Ok(row.get::<_, i64>(i)?.max(0) as u64) };
        let sums = Sums {
            input: n(4)?,
            output: n(5)?,
            cache_read: n(6)?,
            cache_write: n(7)?,
            reasoning: n(8)?,
            ..Sums::default()
        };
        let (agent, session, provider, model): (String, String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let what_if = target
            .and_then(|t| Some(priced(&t.long_context?, &sums) - priced(&t.base, &sums)))
            .unwrap_or(0.0);
        let saved = prices
            .price(&provider, &model)
            .and_then(|(p, _)| {
                Some(cache_saved(&p.long_context?, &sums) - cache_saved(&p.base, &sums))
            })
            .unwrap_or(0.0);
        let extra = Extra { what_if, saved };
        if extra == Extra::default() {
            continue;
        }
        long.total.add(extra);
        long.models
            .entry(format!("{provider}/{model}"))
            .or_default()
            .add(extra);
        long.agents.entry(agent).or_default().add(extra);
        long.providers.entry(provider).or_default().add(extra);
        long.sessions.entry(session).or_default().add(extra);
    }
    Ok(long)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_ledger::pricing::LONG_CONTEXT_TOKENS;

    #[test]
    fn the_condition_is_the_price_books_threshold() {
        assert!(LONG_PROMPT.ends_with(&format!("> {LONG_CONTEXT_TOKENS}")));
    }

    #[test]
    fn the_query_reads_only_the_long_prompts_index() {
        let store = clawtower_store::Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .read(|c| {
                let mut stmt = c.prepare(&format!(
                    "EXPLAIN QUERY PLAN SELECT agent_id FROM model_calls
                     WHERE {LONG_PROMPT} AND ts_ms >= 0 AND ts_ms < 10"
                ))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert!(
            plan.iter().any(|p| p.contains("model_calls_long_prompts")),
            "{plan:?}"
        );
    }
}
