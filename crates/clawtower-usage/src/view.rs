//! The usage view: one read of the rollups gives the series, every table and the totals.

use std::collections::HashMap;

use jiff::Zoned;
use serde::Serialize;

use clawtower_core::error::Result;
use clawtower_ledger::pricing::{PriceBook, Rates};
use clawtower_ledger::report::{Sums, Totals};
use clawtower_sessions::list::session_rows;
use clawtower_sessions::naming::{cron_job_id, cron_job_names, session_kind, SessionKindName};
use clawtower_store::Store;

use crate::long_prompts::{long_prompts, Extra};
use crate::periods::{period_start, periods};
use crate::prices::{cache_hit_ratio, cache_saved, priced, source_name, unpriced_reason, Prices};
use crate::query::{Granularity, UsageDimension, UsageQuery};
use crate::read::{model_rows, session_cache_sums, session_rows as session_sums, Row, Source};

/// Sessions listed in the view (the most expensive).
pub const TOP_SESSIONS: usize = 200;
/// Stacks drawn in the series; the rest are summed as "Other".
pub const TOP_STACKS: usize = 8;

/// A row of a usage table (and the totals).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UsageRow {
    /// The group: `provider/model`, an agent id, a provider, a session key or a cron job id.
    pub key: String,
    /// What to call it (a session's readable name; else the key).
    pub label: String,
    /// A session's agent.
    pub agent_id: Option<String>,
    /// A session's kind.
    pub kind: Option<SessionKindName>,
    /// Its sums.
    pub totals: Totals,
    /// Cached prompt tokens over all prompt tokens (null without prompt tokens).
    pub cache_hit_ratio: Option<f64>,
    /// What prompt caching saved at list prices, USD (null where no model of it is priced, and
    /// for cron jobs).
    pub cache_saved_usd: Option<f64>,
    /// The same tokens priced on the "what if" model, USD.
    pub what_if_usd: Option<f64>,
    /// A model's price source ("the bundled LiteLLM price map", "openclaw.json", …).
    pub priced_by: Option<String>,
    /// Why a model's tokens are unpriced.
    pub unpriced_reason: Option<String>,
}

/// One period of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// As `clawtower report` names it: `2026-11-30`, `2026-11`, `2026-11-30T14:00+01:00`…
    pub key: String,
    /// Its first instant, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub start_ms: i64,
}

/// One stack of the series: a model, agent, provider or channel (or "Other").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Stack {
    /// Its name.
    pub name: String,
    /// Cost per period, USD.
    pub cost_usd: Vec<f64>,
    /// Billed tokens per period.
    pub tokens: Vec<f64>,
}

/// Usage in a window: the series and every table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UsageView {
    /// First local day (null: all time).
    pub since: Option<String>,
    /// Last local day (null: all time).
    pub until: Option<String>,
    /// The time zone of the days.
    pub time_zone: String,
    /// How the series is cut.
    pub granularity: Granularity,
    /// What it is stacked by.
    pub stack: UsageDimension,
    /// The periods, oldest first.
    pub periods: Vec<Period>,
    /// The stacks, most expensive first.
    pub series: Vec<Stack>,
    /// Everything in the window.
    pub totals: UsageRow,
    /// Per agent, most expensive first.
    pub agents: Vec<UsageRow>,
    /// Per `provider/model`, most expensive first.
    pub models: Vec<UsageRow>,
    /// Per provider, most expensive first.
    pub providers: Vec<UsageRow>,
    /// The most expensive sessions.
    pub sessions: Vec<UsageRow>,
    /// Sessions with usage in the window (all of them, not only those listed).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub session_count: u64,
    /// Per cron job (its runs summed), most expensive first.
    pub cron_jobs: Vec<UsageRow>,
    /// The "what if" model, as asked.
    pub what_if: Option<String>,
}

/// Sums of a group, and what caching saved on its priced models.
#[derive(Default)]
struct Group {
    sums: Sums,
    saved: Option<f64>,
    /// Its stack in the series, when the series is stacked by what it groups.
    stack: usize,
}

impl Group {
    fn add(&mut self, sums: &Sums, rates: Option<&Rates>) {
        self.sums.add(sums);
        if let Some(rates) = rates {
            *self.saved.get_or_insert(0.0) += cache_saved(rates, sums);
        }
    }
}

/// A model's group, with its rates looked up once.
struct ModelGroup {
    group: Group,
    rates: Option<Rates>,
}

/// A session's sums, with what it is stacked and counted under looked up once.
struct SessionGroup {
    sums: Sums,
    /// What caching saved on its priced models (read for the sessions the view lists).
    saved: Option<f64>,
    channel_stack: usize,
    cron_job: Option<String>,
}

/// Everything gathered while the rows are read. Rows are borrowed: a group's key is copied
/// once, when the group is new.
#[derive(Default)]
struct Gathered {
    stack_names: Vec<String>,
    stack_ids: HashMap<String, usize>,
    series: HashMap<(i64, usize), Sums>,
    first: Option<i64>,
    last: Option<i64>,
    total: Group,
    agents: HashMap<String, Group>,
    models: HashMap<String, HashMap<String, ModelGroup>>,
    providers: HashMap<String, Group>,
    sessions: HashMap<String, SessionGroup>,
}

impl Gathered {
    fn stack_id(&mut self, name: &str) -> usize {
        intern(&mut self.stack_ids, &mut self.stack_names, name)
    }

    fn add_to_series(&mut self, period: i64, stack: usize, sums: &Sums) {
        self.series.entry((period, stack)).or_default().add(sums);
        self.first = Some(self.first.map_or(period, |f| f.min(period)));
        self.last = Some(self.last.map_or(period, |l| l.max(period)));
    }

    /// The group of `key` in `groups`, made (and given its stack) when new.
    fn group<'m>(
        groups: &'m mut HashMap<String, Group>,
        stack_of: &mut impl FnMut(&str) -> usize,
        key: &str,
    ) -> &'m mut Group {
        if !groups.contains_key(key) {
            let stack = stack_of(key);
            groups.insert(
                key.to_string(),
                Group {
                    stack,
                    ..Group::default()
                },
            );
        }
        groups.get_mut(key).expect("just inserted")
    }

    fn add_model_row(
        &mut self,
        row: &Row<'_>,
        period: i64,
        by: UsageDimension,
        prices: &mut Prices<'_>,
    ) {
        let (provider, model) = (row.first, row.second);
        let known = self
            .models
            .get(provider)
            .is_some_and(|models| models.contains_key(model));
        if !known {
            let rates = prices.rates(provider, model).map(|(rates, _)| rates);
            let stack = self.stack_id(&format!("{provider}/{model}"));
            self.models.entry(provider.to_string()).or_default().insert(
                model.to_string(),
                ModelGroup {
                    group: Group {
                        stack,
                        ..Group::default()
                    },
                    rates,
                },
            );
        }
        let entry = &mut self
            .models
            .get_mut(provider)
            .expect("made above")
            .get_mut(model)
            .expect("made above");
        let rates = entry.rates;
        entry.group.add(&row.sums, rates.as_ref());
        let model_stack = entry.group.stack;
        self.total.add(&row.sums, rates.as_ref());
        let (ids, names) = (&mut self.stack_ids, &mut self.stack_names);
        let mut stack_of = |name: &str| intern(ids, names, name);
        let agent = Self::group(&mut self.agents, &mut stack_of, row.agent);
        agent.add(&row.sums, rates.as_ref());
        let agent_stack = agent.stack;
        let provider_group = Self::group(&mut self.providers, &mut stack_of, provider);
        provider_group.add(&row.sums, rates.as_ref());
        let provider_stack = provider_group.stack;
        let stack = match by {
            UsageDimension::Model => Some(model_stack),
            UsageDimension::Agent => Some(agent_stack),
            UsageDimension::Provider => Some(provider_stack),
            UsageDimension::Channel => None,
        };
        if let Some(stack) = stack {
            self.add_to_series(period, stack, &row.sums);
        }
    }

    fn add_session_row(&mut self, row: &Row<'_>, period: i64, by: UsageDimension) {
        let key = row.first;
        if !self.sessions.contains_key(key) {
            let channel_stack = self.stack_id(&channel_stack(key));
            self.sessions.insert(
                key.to_string(),
                SessionGroup {
                    sums: Sums::default(),
                    saved: None,
                    channel_stack,
                    cron_job: None,
                },
            );
        }
        let session = self.sessions.get_mut(key).expect("made above");
        session.sums.add(&row.sums);
        let stack = session.channel_stack;
        if by == UsageDimension::Channel {
            self.add_to_series(period, stack, &row.sums);
        }
    }
}

/// The id of stack `name`, made when new.
fn intern(ids: &mut HashMap<String, usize>, names: &mut Vec<String>, name: &str) -> usize {
    if let Some(id) = ids.get(name) {
        return *id;
    }
    names.push(name.to_string());
    ids.insert(name.to_string(), names.len() - 1);
    names.len() - 1
}

/// The usage `query` asks for, as of `now` (its date is "today", its zone the days').
pub fn usage(
    store: &Store,
    book: &PriceBook,
    query: &UsageQuery,
    now: &Zoned,
) -> Result<UsageView> {
    let tz = now.time_zone().clone();
    let window = query.window(now.date(), &tz)?;
    let mut prices = Prices::new(book);
    let target = query
        .what_if
        .as_deref()
        .map(|name| prices.target(name))
        .transpose()?;
    let agent = query.agent.as_deref().filter(|a| !a.is_empty());
    let mut periods_of: HashMap<i64, i64> = HashMap::new();
    let mut period = |ms: i64| -> Result<i64> {
        if let Some(start) = periods_of.get(&ms) {
            return Ok(*start);
        }
        let start = period_start(query.granularity, ms, &tz)?;
        periods_of.insert(ms, start);
        Ok(start)
    };
    let mut got = Gathered::default();
    let (session_titles, top, job_names, long) = store.read(|conn| {
        let source = Source::for_view(conn, &window, query.granularity)?;
        model_rows(conn, source, &window, agent, |row| {
            got.add_model_row(&row, period(row.ms)?, query.stack, &mut prices);
            Ok(())
        })?;
        let by_channel = query.stack == UsageDimension::Channel;
        session_sums(conn, source, &window, agent, by_channel, |row| {
            got.add_session_row(&row, period(row.ms)?, query.stack);
            Ok(())
        })?;
        // Also runs OpenClaw deleted, counted under keys that no longer name their job.
        for (key, session) in got.sessions.iter_mut() {
            session.cron_job = cron_job_id(conn, key)?;
        }
        let top = top_sessions(&got.sessions, TOP_SESSIONS);
        // Savings depend on the window only (whole days): read in days whenever the store keeps
        // them in this zone, whatever the series' granularity.
        let in_days = Source::for_view(conn, &window, Granularity::Day)?;
        for key in &top {
            let mut saved = None;
            session_cache_sums(conn, in_days, &window, key, |provider, model, sums| {
                if let Some((rates, _)) = prices.rates(provider, model) {
                    *saved.get_or_insert(0.0) += cache_saved(&rates, &sums);
                }
            })?;
            if let Some(session) = got.sessions.get_mut(key) {
                session.saved = saved;
            }
        }
        let long = long_prompts(conn, &window, agent, &mut prices, target.as_ref())?;
        Ok((session_rows(conn, &top)?, top, cron_job_names(conn)?, long))
    })?;
    let what_if = |sums: &Sums| target.as_ref().map(|price| priced(&price.base, sums));
    let row = |key: String, group: &Group| UsageRow {
        label: key.clone(),
        key,
        agent_id: None,
        kind: None,
        totals: group.sums.into(),
        cache_hit_ratio: cache_hit_ratio(&group.sums),
        cache_saved_usd: group.saved,
        what_if_usd: what_if(&group.sums),
        priced_by: None,
        unpriced_reason: None,
    };
    let plain = |key: String, sums: &Sums| {
        row(
            key,
            &Group {
                sums: *sums,
                ..Group::default()
            },
        )
    };
    let mut models: Vec<UsageRow> = Vec::new();
    for (provider, by_model) in &got.models {
        for (model, entry) in by_model {
            if provider.is_empty() && model.is_empty() && entry.group.sums.only_unbilled() {
                continue;
            }
            let name = format!("{provider}/{model}");
            let source = prices.rates(provider, model).map(|(_, source)| source);
            models.push(UsageRow {
                priced_by: source.map(|s| source_name(s).to_string()),
                unpriced_reason: (entry.group.sums.unpriced > 0)
                    .then(|| unpriced_reason(&name, source)),
                ..row(name, &entry.group)
            });
        }
    }
    let mut sessions: Vec<UsageRow> = top
        .into_iter()
        .map(|key| {
            let titled = session_titles.iter().find(|s| s.key == key);
            let session = &got.sessions[&key];
            let group = Group {
                sums: session.sums,
                saved: session.saved,
                ..Group::default()
            };
            UsageRow {
                label: titled.map_or_else(|| key.clone(), |s| s.title.clone()),
                agent_id: titled.map(|s| s.agent_id.clone()),
                kind: Some(titled.map_or_else(|| session_kind(&key, None).0, |s| s.kind)),
                ..row(key, &group)
            }
        })
        .collect();
    let mut cron_sums: HashMap<&str, Sums> = HashMap::new();
    for session in got.sessions.values() {
        if let Some(job) = &session.cron_job {
            cron_sums.entry(job).or_default().add(&session.sums);
        }
    }
    let mut cron_jobs: Vec<UsageRow> = cron_sums
        .iter()
        .map(|(job, s)| UsageRow {
            label: job_names
                .get(*job)
                .cloned()
                .unwrap_or_else(|| job.to_string()),
            ..plain(job.to_string(), s)
        })
        .collect();
    let mut agents: Vec<UsageRow> = got.agents.iter().map(|(k, g)| row(k.clone(), g)).collect();
    let mut providers: Vec<UsageRow> = got
        .providers
        .iter()
        .map(|(k, g)| row(k.clone(), g))
        .collect();
    // What long prompts add over base rates, row by row (a cron job: its runs').
    let mut by_job: HashMap<String, Extra> = HashMap::new();
    for (key, extra) in &long.sessions {
        if let Some(job) = got.sessions.get(key).and_then(|s| s.cron_job.clone()) {
            by_job.entry(job).or_default().add(*extra);
        }
    }
    for (rows, extras) in [
        (&mut models, &long.models),
        (&mut sessions, &long.sessions),
        (&mut agents, &long.agents),
        (&mut providers, &long.providers),
        (&mut cron_jobs, &by_job),
    ] {
        for row in rows.iter_mut() {
            if let Some(extra) = extras.get(&row.key) {
                add_extra(row, extra);
            }
        }
        sort_by_cost(rows);
    }
    let mut totals = row("total".into(), &got.total);
    add_extra(&mut totals, &long.total);
    let (periods, series) = series(&got, window_span(&window, &got), query.granularity, &tz)?;
    Ok(UsageView {
        since: window.since.map(|d| d.to_string()),
        until: window.until.map(|d| d.to_string()),
        time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        granularity: query.granularity,
        stack: query.stack,
        periods,
        series,
        totals,
        agents,
        models,
        providers,
        session_count: got.sessions.len() as u64,
        sessions,
        cron_jobs,
        what_if: query.what_if.clone(),
    })
}

/// Adds what long prompts add to a row's "what if" and "caching saved" (where it has them).
fn add_extra(row: &mut UsageRow, extra: &Extra) {
    if let Some(what_if) = &mut row.what_if_usd {
        *what_if += extra.what_if;
    }
    if let Some(saved) = &mut row.cache_saved_usd {
        *saved += extra.saved;
    }
}

/// What a session is stacked under by channel: its channel, else its kind.
fn channel_stack(key: &str) -> String {
    match session_kind(key, None) {
        (_, Some(channel)) => channel,
        (SessionKindName::Main, _) => "main sessions".into(),
        (SessionKindName::Subagent, _) => "sub-agents".into(),
        (SessionKindName::Cron, _) => "cron runs".into(),
        (SessionKindName::Hook, _) => "hooks".into(),
        _ => "other sessions".into(),
    }
}

/// The `n` most expensive sessions (then most tokens, then by key).
fn top_sessions(sessions: &HashMap<String, SessionGroup>, n: usize) -> Vec<String> {
    let mut keys: Vec<&String> = sessions.keys().collect();
    keys.sort_by(|a, b| {
        rank(&sessions[*b].sums)
            .cmp(&rank(&sessions[*a].sums))
            .then_with(|| a.cmp(b))
    });
    keys.into_iter().take(n).cloned().collect()
}

fn rank(sums: &Sums) -> (i64, u64) {
    let tokens = sums
        .input
        .saturating_add(sums.output)
        .saturating_add(sums.cache_read)
        .saturating_add(sums.cache_write);
    (sums.cost.0, tokens)
}

fn sort_by_cost(rows: &mut [UsageRow]) {
    rows.sort_by(|a, b| {
        b.totals
            .cost_usd
            .total_cmp(&a.totals.cost_usd)
            .then_with(|| b.totals.total_tokens.cmp(&a.totals.total_tokens))
            .then_with(|| a.key.cmp(&b.key))
    });
}

/// The first and last instants the series spans: the window, or for an open end the data.
fn window_span(window: &crate::query::Window, got: &Gathered) -> Option<(i64, i64)> {
    let first = if window.start_ms == i64::MIN {
        got.first?
    } else {
        window.start_ms
    };
    let last = if window.end_ms == i64::MAX {
        got.last?
    } else {
        window.end_ms - 1
    };
    Some((first, last))
}

fn series(
    got: &Gathered,
    span: Option<(i64, i64)>,
    granularity: Granularity,
    tz: &jiff::tz::TimeZone,
) -> Result<(Vec<Period>, Vec<Stack>)> {
    let Some((first, last)) = span else {
        return Ok((Vec::new(), Vec::new()));
    };
    let periods = periods(granularity, first, last, tz)?;
    let index: HashMap<i64, usize> = periods
        .iter()
        .enumerate()
        .map(|(i, (_, ms))| (*ms, i))
        .collect();
    let mut stacks = vec![Sums::default(); got.stack_names.len()];
    for ((_, stack), sums) in &got.series {
        stacks[*stack].add(sums);
    }
    let mut order: Vec<usize> = (0..stacks.len())
        .filter(|id| rank(&stacks[*id]) != (0, 0))
        .collect();
    let name = |id: usize| got.stack_names[id].as_str();
    order.sort_by(|a, b| {
        rank(&stacks[*b])
            .cmp(&rank(&stacks[*a]))
            .then_with(|| name(*a).cmp(name(*b)))
    });
    let shown = if order.len() > TOP_STACKS {
        TOP_STACKS - 1
    } else {
        order.len()
    };
    let names = order[..shown]
        .iter()
        .map(|id| name(*id))
        .chain((order.len() > shown).then_some("Other"));
    let mut out: Vec<Stack> = names
        .map(|name| Stack {
            name: name.to_string(),
            cost_usd: vec![0.0; periods.len()],
            tokens: vec![0.0; periods.len()],
        })
        .collect();
    let mut position = vec![None; stacks.len()];
    for (at, id) in order.iter().enumerate() {
        position[*id] = Some(at.min(shown));
    }
    for ((period, id), sums) in &got.series {
        let (Some(at), Some(stack)) = (index.get(period), position[*id]) else {
            continue;
        };
        let totals: Totals = (*sums).into();
        out[stack].cost_usd[*at] += totals.cost_usd;
        out[stack].tokens[*at] += totals.total_tokens as f64;
    }
    let periods = periods
        .into_iter()
        .map(|(key, start_ms)| Period { key, start_ms })
        .collect();
    Ok((periods, out))
}
