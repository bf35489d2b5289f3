//! `clawtower crosscheck`: the ledger against OpenClaw's own `usage.cost` for the same days,
//! waiting until OpenClaw's usage cache is fresh (its first answers are zeros).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use clawtower_feeds::crosscheck::{compare, ledger_facts, Crosscheck};
use clawtower_gateway::rpc::{UsageCost, UsageCostParams};
use clawtower_gateway::GatewayClient;
use clawtower_ledger::report::{self, ReportKind, ReportQuery};
use clawtower_store::model_calls;
use jiff::civil::Date;
use jiff::ToSpan;

use crate::gateway::{identity, runtime, GatewayArgs};
use crate::ledger;

/// Options of `clawtower crosscheck`.
#[derive(Debug, Args)]
pub struct CrosscheckArgs {
    /// First day (default: 29 days before --until).
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<Date>,
    /// Last day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<Date>,
    /// Time zone of the days (default: the system's).
    #[arg(long)]
    tz: Option<String>,
    /// Longest wait for OpenClaw's usage cache, in seconds.
    #[arg(long, default_value_t = 90)]
    wait: u64,
    /// Bring the ledger up to date from the OpenClaw state dir's transcripts first.
    #[arg(long)]
    ingest: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Runs the comparison. Exit status: 0 when the two agree (equal, or every difference explained
/// by a known cause), 2 when something is missing on either side, 1 on error.
pub fn run(args: &CrosscheckArgs, data_dir: Option<&Path>) -> ExitCode {
    match crosscheck(args, data_dir) {
        Ok(result) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&result).unwrap_or_default()
                );
            } else {
                let verdict = if result.matches {
                    " — they agree"
                } else if result.agrees {
                    " — every difference is explained"
                } else {
                    ""
                };
                println!(
                    "Clawtower {} ({} calls, {} tokens) · OpenClaw {} ({} tokens) · difference {:+.9} USD{verdict}",
                    result.clawtower.cost_usd,
                    result.clawtower.calls.unwrap_or(0),
                    result.clawtower.total_tokens,
                    result.openclaw.cost_usd,
                    result.openclaw.total_tokens,
                    result.diff_usd,
                );
                for part in &result.differences {
                    println!("  · {}", part.text);
                }
                for line in &result.explained {
                    println!("  · {line}");
                }
            }
            if result.agrees {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(err) => {
            eprintln!("clawtower: {err}");
            ExitCode::from(1)
        }
    }
}

fn crosscheck(args: &CrosscheckArgs, data_dir: Option<&Path>) -> Result<Crosscheck, String> {
    let tz = ledger::time_zone(args.tz.as_deref())?;
    let until = args
        .until
        .unwrap_or_else(|| jiff::Timestamp::now().to_zoned(tz.clone()).date());
    let since = match args.since {
        Some(since) => since,
        None => until.checked_sub(29.days()).map_err(|e| e.to_string())?,
    };
    if since > until {
        return Err(format!("--since {since} is after --until {until}"));
    }
    let params = UsageCostParams {
        start_date: Some(since.to_string()),
        end_date: Some(until.to_string()),
        time_zone: tz.iana_name().map(String::from),
        agent_scope: Some("all".into()),
    };
    let identity = identity(data_dir)?;
    let wait = Duration::from_secs(args.wait);
    let store = ledger::open_store(data_dir)?;
    let target = args.gateway.target(&store)?;
    let state_dir = ledger::state_dir(args.gateway.openclaw_home.as_deref()).ok();
    let book = ledger::price_book(state_dir.as_deref(), data_dir)?;
    if args.ingest {
        let state_dir = ledger::state_dir(args.gateway.openclaw_home.as_deref())?;
        ledger::ingest(&store, &state_dir, &book, !args.json)?;
    }
    // OpenClaw's answer must have been computed after the newest call the ledger holds.
    let newest_call_ms = store
        .with_conn(|c| model_calls::last_call_ms(c))
        .map_err(|e| e.to_string())?
        .unwrap_or(0)
        .min(jiff::Timestamp::now().as_millisecond());
    let usage = runtime()?.block_on(async {
        let client = GatewayClient::connect(&target, &identity, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        fresh_usage(&client, &params, wait, newest_call_ms).await
    })?;
    let query = ReportQuery {
        kind: ReportKind::Daily,
        since: Some(since),
        until: Some(until),
        tz,
    };
    let ours = report::build(&store, &query).map_err(|e| e.to_string())?;
    let (start_ms, end_ms) = report::bounds(&query).map_err(|e| e.to_string())?;
    let facts =
        ledger_facts(&store, ours.totals, start_ms, end_ms, &book).map_err(|e| e.to_string())?;
    Ok(compare(&facts, &usage.totals, args.ingest))
}

/// Polls `usage.cost` until OpenClaw's answer is fresh and was computed after `since_ms` (the
/// newest call in the ledger): OpenClaw serves an older cached answer, still marked fresh, for a
/// while after new calls.
async fn fresh_usage(
    client: &GatewayClient,
    params: &UsageCostParams,
    wait: Duration,
    since_ms: i64,
) -> Result<UsageCost, String> {
    let deadline = Instant::now() + wait;
    loop {
        let usage = client.usage_cost(params).await.map_err(|e| e.to_string())?;
        if usage.is_fresh_since(since_ms) {
            return Ok(usage);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "OpenClaw's usage cache had no answer covering the ledger's newest call after {} s; try again (or pass --wait)",
                wait.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
