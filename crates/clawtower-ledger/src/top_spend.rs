//! The biggest spenders in the current day, week or month: agents, models and sessions.

use jiff::Zoned;
use serde::{Deserialize, Serialize};

use crate::spend_report::{build, ReportKind, ReportQuery, Row};
use clawtower_core::error::Result;
use clawtower_core::period::Period;
use clawtower_store::Store;

/// Which calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SpendPeriod {
    /// Today.
    Day,
    /// This ISO week.
    Week,
    /// This month.
    Month,
}

/// One entry of a top list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TopEntry {
    /// Agent id, `provider/model` or session key.
    pub key: String,
    /// Cost, USD.
    pub cost_usd: f64,
    /// Model calls.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub calls: u64,
    /// Billed tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: u64,
    /// Tokens without a price.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub unpriced_tokens: u64,
}

/// Top agents, models and sessions of a period, most expensive first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TopSpend {
    /// The period.
    pub period: SpendPeriod,
    /// Top agents.
    pub agents: Vec<TopEntry>,
    /// Top `provider/model`s.
    pub models: Vec<TopEntry>,
    /// Top sessions.
    pub sessions: Vec<TopEntry>,
}

/// The top `limit` agents, models and sessions of the period containing `now`.
pub fn top_spend(
    store: &Store,
    period: SpendPeriod,
    now: &Zoned,
    limit: usize,
) -> Result<TopSpend> {
    let range = match period {
        SpendPeriod::Day => Period::Day,
        SpendPeriod::Week => Period::Week,
        SpendPeriod::Month => Period::Month,
    }
    .containing(now)?;
    let last_day = range
        .end
        .yesterday()
        .map_err(|e| clawtower_core::EngineError::InvalidInput(e.to_string()))?;
    let top = |kind: ReportKind| -> Result<Vec<TopEntry>> {
        let query = ReportQuery {
            kind,
            since: Some(range.start.date()),
            until: Some(last_day.date()),
            tz: now.time_zone().clone(),
        };
        Ok(build(store, &query)?
            .rows
            .into_iter()
            .take(limit)
            .map(entry)
            .collect())
    };
    Ok(TopSpend {
        period,
        agents: top(ReportKind::Agent)?,
        models: top(ReportKind::Model)?,
        sessions: top(ReportKind::Session)?,
    })
}

fn entry(row: Row) -> TopEntry {
    TopEntry {
        key: row.key,
        cost_usd: row.totals.cost_usd,
        calls: row.totals.calls,
        tokens: row.totals.total_tokens,
        unpriced_tokens: row.totals.unpriced_tokens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_store::model_calls::insert;
    use clawtower_store::testing::sample;

    #[test]
    fn ranks_by_cost_within_the_period() {
        let store = Store::open_in_memory().unwrap();
        let now: Zoned = "2026-11-21T12:00:00[Europe/Paris]".parse().unwrap();
        let ms = |t: &str| t.parse::<Zoned>().unwrap().timestamp().as_millisecond();
        store
            .with_conn(|c| {
                insert(
                    c,
                    &sample("a", ms("2026-11-21T08:00:00[Europe/Paris]"), 1.0),
                )?;
                let mut b = sample("b", ms("2026-11-21T09:00:00[Europe/Paris]"), 3.0);
                b.agent_id = "research".into();
                b.session_key = "agent:research:main".into();
                insert(c, &b)?;
                insert(
                    c,
                    &sample("old", ms("2026-11-20T23:59:00[Europe/Paris]"), 100.0),
                )?;
                Ok(())
            })
            .unwrap();
        let day = top_spend(&store, SpendPeriod::Day, &now, 5).unwrap();
        let agents: Vec<_> = day
            .agents
            .iter()
            .map(|e| (e.key.as_str(), e.cost_usd))
            .collect();
        assert_eq!(agents, vec![("research", 3.0), ("main", 1.0)]);
        assert_eq!(day.sessions[0].key, "agent:research:main");
        let week = top_spend(&store, SpendPeriod::Week, &now, 1).unwrap();
        assert_eq!(week.agents.len(), 1);
        assert_eq!(week.agents[0].cost_usd, 101.0);
    }
}
