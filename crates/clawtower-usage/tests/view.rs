//! The usage view over a small ledger: every table adds up to the totals, the series to the
//! same, the day tables and the quarter-hour rollups give the same view, and prices work.

use clawtower_core::NanoUsd;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::report::{build, ReportKind, ReportQuery};
use clawtower_store::day_rollups::keep_days_in;
use clawtower_store::model_calls::{insert, CostOrigin};
use clawtower_store::testing::sample;
use clawtower_store::Store;
use clawtower_usage::{usage, Granularity, UsageDimension, UsageQuery, UsageView};
use jiff::Zoned;

const ZONE: &str = "Asia/Kolkata";

fn now() -> Zoned {
    "2026-12-03T15:00:00[Asia/Kolkata]".parse().unwrap()
}

fn ms(text: &str) -> i64 {
    format!("{text}[{ZONE}]")
        .parse::<Zoned>()
        .unwrap()
        .timestamp()
        .as_millisecond()
}

/// Two agents; a main session, a sub-agent, a cron run and a Telegram chat; three models (one
/// unpriced) over four days, one call before the window.
fn ledger() -> Store {
    let store = Store::open_in_memory().unwrap();
    let calls = [
        (
            "2026-11-20T10:00:00",
            "main",
            "agent:main:main",
            "anthropic",
            "claude-sonnet-4-5",
            1.0,
        ),
        (
            "2026-11-30T00:10:00",
            "main",
            "agent:main:main",
            "anthropic",
            "claude-sonnet-4-5",
            0.5,
        ),
        (
            "2026-11-30T23:50:00",
            "main",
            "agent:main:subagent:7f1",
            "openai",
            "gpt-4o",
            0.25,
        ),
        (
            "2026-12-01T09:00:00",
            "ops",
            "agent:ops:cron:nightly:run:1a2b",
            "openai",
            "gpt-4o",
            0.125,
        ),
        (
            "2026-12-02T09:00:00",
            "ops",
            // A run OpenClaw deleted after it: counted under its session id, as OpenClaw does.
            "agent:ops:3c4d0000-0000-4000-8000-000000000001",
            "openai",
            "gpt-4o",
            0.125,
        ),
        (
            "2026-12-03T08:00:00",
            "ops",
            "agent:ops:telegram:direct:42",
            "local",
            "mystery-7b",
            0.0,
        ),
        (
            "2026-12-03T14:00:00",
            "main",
            "agent:main:main",
            "anthropic",
            "claude-sonnet-4-5",
            2.0,
        ),
    ];
    store
        .with_conn(|c| {
            keep_days_in(c, ZONE)?;
            for (i, (at, agent, session, provider, model, usd)) in calls.into_iter().enumerate() {
                let mut call = sample(&format!("c{i}"), ms(at), usd);
                call.agent_id = agent.into();
                call.session_key = session.into();
                call.provider = provider.into();
                call.model = model.into();
                call.input_tokens = 1000;
                call.cache_read_tokens = 9000;
                if usd == 0.0 {
                    call.cost = NanoUsd::ZERO;
                    call.cost_origin = CostOrigin::Unpriced;
                    call.unpriced_tokens = 10_005;
                }
                insert(c, &call)?;
            }
            c.execute(
                "INSERT INTO cron_job_names (job_id, name) VALUES ('nightly', 'Nightly digest')",
                [],
            )?;
            c.execute(
                "INSERT INTO cron_run_sessions (session_id, job_id)
                 VALUES ('3c4d0000-0000-4000-8000-000000000001', 'nightly')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    store
}

fn view(store: &Store, query: UsageQuery) -> UsageView {
    usage(store, &PriceBook::bundled(), &query, &now()).unwrap()
}

fn week() -> UsageQuery {
    UsageQuery {
        days: Some(7),
        ..UsageQuery::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn tables_and_the_series_add_up_to_the_totals_and_match_the_report() {
    let store = ledger();
    let v = view(&store, week());
    assert_eq!(v.since.as_deref(), Some("2026-11-27"));
    assert_eq!(v.until.as_deref(), Some("2026-12-03"));
    assert_eq!(v.time_zone, ZONE);
    assert_eq!(
        v.totals.totals.calls, 6,
        "the call of 2026-11-20 is outside"
    );
    assert!(close(v.totals.totals.cost_usd, 3.0));
    let report = build(
        &store,
        &ReportQuery {
            kind: ReportKind::Model,
            since: Some("2026-11-27".parse().unwrap()),
            until: Some("2026-12-03".parse().unwrap()),
            tz: now().time_zone().clone(),
        },
    )
    .unwrap();
    assert_eq!(v.totals.totals, report.totals);
    for table in [&v.agents, &v.models, &v.providers] {
        let cost: f64 = table.iter().map(|r| r.totals.cost_usd).sum();
        let calls: u64 = table.iter().map(|r| r.totals.calls).sum();
        assert!(close(cost, 3.0));
        assert_eq!(calls, 6);
    }
    assert_eq!(
        v.periods.len(),
        7,
        "every day of the window, empty ones too"
    );
    assert_eq!(v.periods[0].key, "2026-11-27");
    let drawn: f64 = v.series.iter().flat_map(|s| &s.cost_usd).sum();
    assert!(close(drawn, 3.0));
    assert_eq!(
        v.series[0].name, "anthropic/claude-sonnet-4-5",
        "most expensive first"
    );
    // 2026-11-30 00:10 and 23:50 local are the same local day (not the same UTC day).
    let nov30 = v
        .periods
        .iter()
        .position(|p| p.key == "2026-11-30")
        .unwrap();
    let that_day: f64 = v.series.iter().map(|s| s.cost_usd[nov30]).sum();
    assert!(close(that_day, 0.75));
    // Sessions, named; the cron job's two runs summed.
    assert_eq!(v.session_count, 5);
    assert_eq!(v.sessions[0].key, "agent:main:main");
    assert_eq!(v.sessions[0].label, "main");
    let sub = v
        .sessions
        .iter()
        .find(|s| s.key.contains("subagent"))
        .unwrap();
    assert_eq!(sub.agent_id.as_deref(), Some("main"));
    assert_eq!(v.cron_jobs.len(), 1);
    assert_eq!(v.cron_jobs[0].key, "nightly");
    assert_eq!(
        v.cron_jobs[0].label, "Nightly digest",
        "named as OpenClaw names it"
    );
    assert_eq!(v.cron_jobs[0].totals.calls, 2, "the deleted run too");
    let deleted = v
        .sessions
        .iter()
        .find(|s| s.key == "agent:ops:3c4d0000-0000-4000-8000-000000000001")
        .unwrap();
    assert_eq!(deleted.label, "cron run of Nightly digest");
    // The unpriced model says why; the priced ones say by what.
    let mystery = v
        .models
        .iter()
        .find(|m| m.key == "local/mystery-7b")
        .unwrap();
    assert!(mystery
        .unpriced_reason
        .as_deref()
        .unwrap()
        .contains("No price for local/mystery-7b"));
    let sonnet = v.models.iter().find(|m| m.key.contains("sonnet")).unwrap();
    assert_eq!(
        sonnet.priced_by.as_deref(),
        Some("the bundled LiteLLM price map")
    );
    assert!(sonnet.cache_saved_usd.unwrap() > 0.0);
    assert!(close(sonnet.cache_hit_ratio.unwrap(), 0.9));
    assert_eq!(mystery.cache_saved_usd, None);
    // Each listed session says what caching saved on its priced models: together (every
    // session is listed here) what the totals say.
    let by_sessions: f64 = v.sessions.iter().filter_map(|s| s.cache_saved_usd).sum();
    assert!(by_sessions > 0.0);
    assert!(
        close(by_sessions, v.totals.cache_saved_usd.unwrap()),
        "{by_sessions} vs {:?}",
        v.totals.cache_saved_usd
    );
    let main = v
        .sessions
        .iter()
        .find(|s| s.key == "agent:main:main")
        .unwrap();
    assert!(main.cache_saved_usd.unwrap() > 0.0);
}

#[test]
fn day_tables_and_quarter_hours_give_the_same_view() {
    let store = ledger();
    for stack in [
        UsageDimension::Model,
        UsageDimension::Agent,
        UsageDimension::Provider,
        UsageDimension::Channel,
    ] {
        for granularity in [Granularity::Day, Granularity::Week, Granularity::Month] {
            let q = UsageQuery {
                stack,
                granularity,
                ..week()
            };
            store.with_conn(|c| keep_days_in(c, ZONE)).unwrap();
            let days = view(&store, q.clone());
            store.with_conn(|c| keep_days_in(c, "UTC")).unwrap();
            let quarter_hours = view(&store, q);
            assert_eq!(days, quarter_hours, "{stack:?} {granularity:?}");
        }
    }
}

#[test]
fn hours_channels_filters_and_what_if() {
    let store = ledger();
    let today = view(
        &store,
        UsageQuery {
            days: Some(1),
            granularity: Granularity::Hour,
            stack: UsageDimension::Channel,
            ..UsageQuery::default()
        },
    );
    assert_eq!(today.periods.len(), 24);
    assert_eq!(today.periods[8].key, "2026-12-03T08:00+05:30");
    let names: Vec<&str> = today.series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["main sessions", "telegram"],
        "the unpriced chat still has tokens"
    );
    let ops = view(
        &store,
        UsageQuery {
            agent: Some("ops".into()),
            what_if: Some("anthropic/claude-sonnet-4-5".into()),
            ..week()
        },
    );
    assert_eq!(ops.agents.len(), 1);
    assert_eq!(ops.totals.totals.calls, 3);
    // 3 calls × (1000 input × $3/M + 5 output × $15/M + 9000 cache reads × $0.30/M).
    let expected = 3.0 * (1000.0 * 3e-6 + 5.0 * 15e-6 + 9000.0 * 0.3e-6);
    assert!(
        close(ops.totals.what_if_usd.unwrap(), expected),
        "{:?}",
        ops.totals.what_if_usd
    );
    let err = usage(
        &store,
        &PriceBook::bundled(),
        &UsageQuery {
            what_if: Some("nobody/nothing".into()),
            ..week()
        },
        &now(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nobody/nothing"));
    let all = view(
        &store,
        UsageQuery {
            granularity: Granularity::Month,
            ..UsageQuery::default()
        },
    );
    assert_eq!(all.totals.totals.calls, 7);
    let months: Vec<&str> = all.periods.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(months, ["2026-11", "2026-12"], "all time spans the data");
    assert_eq!(all.since, None);
}

#[test]
fn more_stacks_than_drawn_fold_into_other() {
    let store = Store::open_in_memory().unwrap();
    store
        .with_conn(|c| {
            for i in 0..12 {
                let mut call = sample(&format!("c{i}"), ms("2026-12-03T10:00:00"), 1.0 + i as f64);
                call.model = format!("m{i:02}");
                insert(c, &call)?;
            }
            c.execute(
                "INSERT INTO cron_job_names (job_id, name) VALUES ('nightly', 'Nightly digest')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let v = view(&store, week());
    assert_eq!(v.series.len(), 8);
    assert_eq!(v.series[0].name, "stub/m11");
    assert_eq!(v.series[7].name, "Other");
    let other: f64 = v.series[7].cost_usd.iter().sum();
    assert!(close(other, 1.0 + 2.0 + 3.0 + 4.0 + 5.0), "{other}");
    let empty = view(&Store::open_in_memory().unwrap(), UsageQuery::default());
    assert!(empty.periods.is_empty() && empty.series.is_empty());
    assert_eq!(empty.totals.totals.calls, 0);
}

/// A call whose prompt is above 200k tokens is billed at the long-context rates of models that
/// have them: "what if" and "what caching saved" price it so, not at base rates over sums.
#[test]
fn long_prompts_are_priced_at_long_context_rates() {
    use clawtower_ledger::transcript::Usage;
    let store = Store::open_in_memory().unwrap();
    let call = |id: &str, input: u64, cache_read: u64| {
        let mut call = sample(id, ms("2026-12-02T10:00:00"), 0.5);
        call.provider = "google".into();
        call.model = "gemini-2.5-pro".into();
        (
            call.input_tokens,
            call.output_tokens,
            call.cache_read_tokens,
        ) = (input, 2_000, cache_read);
        call
    };
    let calls = [call("long", 250_000, 50_000), call("short", 1_000, 4_000)];
    store
        .with_conn(|c| {
            for call in &calls {
                insert(c, call)?;
            }
            Ok(())
        })
        .unwrap();
    let v = view(
        &store,
        UsageQuery {
            what_if: Some("google/gemini-2.5-pro".into()),
            ..week()
        },
    );
    let book = PriceBook::bundled();
    let billed: f64 = calls
        .iter()
        .map(|c| {
            let usage = Usage {
                input: c.input_tokens,
                output: c.output_tokens,
                cache_read: c.cache_read_tokens,
                ..Usage::default()
            };
            book.cost("google", "gemini-2.5-pro", &usage).cost.as_usd()
        })
        .sum();
    let what_if = v.totals.what_if_usd.unwrap();
    assert!((what_if - billed).abs() < 1e-6, "{what_if} vs {billed}");
    // Cache reads saved the input price less the cache-read price, each at its call's tier.
    let saved = 50_000.0 * (2.5e-6 - 2.5e-7) + 4_000.0 * (1.25e-6 - 1.25e-7);
    for row in [&v.totals, &v.models[0], &v.agents[0], &v.sessions[0]] {
        let got = row.cache_saved_usd.unwrap();
        assert!((got - saved).abs() < 1e-9, "{}: {got} vs {saved}", row.key);
        assert!(
            (row.what_if_usd.unwrap() - billed).abs() < 1e-6,
            "{}",
            row.key
        );
    }
}
