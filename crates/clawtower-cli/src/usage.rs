//! `clawtower usage`: where the money went in a window — the same view as the app's Usage page
//! (the series and the tables per agent, model, provider, session and cron job), as tables, JSON
//! or CSV.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use clawtower_core::money::group_thousands;
use clawtower_usage::export::to_csv;
use clawtower_usage::{usage, Granularity, UsageDimension, UsageQuery, UsageRow, UsageView};

use crate::days::DayArg;
use crate::ledger;
use crate::output::{self, Format};
use crate::report::usd;
use crate::table::{columns, Align};

/// The tables `clawtower usage` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// Per agent.
    Agents,
    /// Per `provider/model`, with the price source and why tokens are unpriced.
    Models,
    /// Per provider.
    Providers,
    /// The most expensive sessions.
    Sessions,
    /// Per cron job (its runs summed).
    Crons,
    /// The series: each period's spend per stack.
    Series,
}

/// Options of `clawtower usage`.
#[derive(Debug, Args)]
pub struct UsageArgs {
    /// The last N days, today included (`1`: today); default: all time.
    #[arg(long, value_name = "N", conflicts_with = "since")]
    days: Option<u32>,
    /// First day: `YYYY-MM-DD`, `today`, `yesterday` or `7d`.
    #[arg(long, value_name = "DAY")]
    since: Option<DayArg>,
    /// Last day, written the same way (default: today).
    #[arg(long, value_name = "DAY")]
    until: Option<DayArg>,
    /// How finely the series is cut.
    #[arg(long, value_enum, default_value = "day")]
    every: Granularity,
    /// What the series is stacked by.
    #[arg(long, value_enum, default_value = "model")]
    by: UsageDimension,
    /// Only this agent's usage.
    #[arg(long)]
    agent: Option<String>,
    /// Also price the same tokens on this model of the price book (`provider/model` or a model id).
    #[arg(long, value_name = "MODEL")]
    what_if: Option<String>,
    /// Which tables to print (default: agents, models, sessions).
    #[arg(long, value_enum, value_delimiter = ',')]
    show: Vec<Table>,
    /// Print the whole view as JSON (the `usage` command's answer).
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print every table as CSV (a `table` column first).
    #[arg(long)]
    csv: bool,
    /// Ingest this OpenClaw state dir (or a home containing `.openclaw`) first.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// Builds and prints the view.
pub fn run(args: &UsageArgs, data_dir: Option<&Path>) -> ExitCode {
    let show = if args.show.is_empty() {
        vec![Table::Agents, Table::Models, Table::Sessions]
    } else {
        args.show.clone()
    };
    output::print(
        build(args, data_dir),
        Format::of(args.json, args.csv),
        to_csv,
        |view| text(view, &show),
    )
}

fn build(args: &UsageArgs, data_dir: Option<&Path>) -> Result<UsageView, String> {
    let tz = ledger::time_zone(None)?;
    let day = |d: &DayArg| d.resolve(&tz).map(|d| d.to_string());
    let query = UsageQuery {
        days: args.days,
        since: args.since.as_ref().map(day).transpose()?,
        until: args.until.as_ref().map(day).transpose()?,
        granularity: args.every,
        stack: args.by,
        agent: args.agent.clone(),
        what_if: args.what_if.clone(),
    };
    let store = ledger::open_store_imported(data_dir, args.openclaw_home.as_deref())?;
    let state = ledger::state_dir(args.openclaw_home.as_deref()).ok();
    let book = ledger::price_book(state.as_deref(), data_dir)?;
    usage(
        &store,
        &book,
        &query,
        &jiff::Zoned::now().with_time_zone(tz),
    )
    .map_err(|e| e.to_string())
}

/// The headline figures and the chosen tables.
fn text(view: &UsageView, show: &[Table]) -> String {
    let t = &view.totals.totals;
    let window = match (&view.since, &view.until) {
        (Some(since), Some(until)) => format!("{since} to {until}"),
        _ => "All time".into(),
    };
    let mut out = format!(
        "{window} ({}): {} in {} model calls, {} tokens ({} from cache)\n",
        view.time_zone,
        usd(t.cost_usd),
        group_thousands(t.calls),
        group_thousands(t.total_tokens),
        percent(view.totals.cache_hit_ratio),
    );
    if let Some(saved) = view.totals.cache_saved_usd {
        out.push_str(&format!("Caching saved {} at list prices.\n", usd(saved)));
    }
    if t.unpriced_tokens > 0 {
        out.push_str(&format!(
            "{} tokens have no price (see the models table).\n",
            group_thousands(t.unpriced_tokens)
        ));
    }
    if let (Some(model), Some(cost)) = (&view.what_if, view.totals.what_if_usd) {
        out.push_str(&format!(
            "On {model} the same tokens would cost {}.\n",
            usd(cost)
        ));
    }
    for table in show {
        out.push('\n');
        out.push_str(&match table {
            Table::Agents => rows("agent", &view.agents, view),
            Table::Models => models(view),
            Table::Providers => rows("provider", &view.providers, view),
            Table::Sessions => sessions(view),
            Table::Crons => rows("cron job", &view.cron_jobs, view),
            Table::Series => series(view),
        });
    }
    out
}

/// A ratio as a percent, with one decimal under 10% (`4.2%`, `0.1%`, `42%`).
fn percent(ratio: Option<f64>) -> String {
    match ratio.map(|r| r * 100.0) {
        None => "—".into(),
        Some(p) if p > 0.0 && p < 10.0 => format!("{p:.1}%"),
        Some(p) => format!("{p:.0}%"),
    }
}

/// A usage table: name, calls, tokens, cost, share, from cache, cache saved (and what if).
fn rows(name: &str, rows: &[UsageRow], view: &UsageView) -> String {
    if rows.is_empty() {
        return format!("No {name} used a model in this window.\n");
    }
    let total = view.totals.totals.cost_usd;
    let what_if = view.what_if.is_some();
    let mut header = vec![
        name,
        "calls",
        "tokens",
        "cost",
        "share",
        "from cache",
        "cache saved",
    ];
    if what_if {
        header.push("what if");
    }
    let mut lines = vec![header.into_iter().map(String::from).collect::<Vec<_>>()];
    for row in rows {
        let t = &row.totals;
        let mut line = vec![
            row.label.clone(),
            group_thousands(t.calls),
            group_thousands(t.total_tokens),
            usd(t.cost_usd),
            if total > 0.0 {
                percent(Some(t.cost_usd / total))
            } else {
                "—".into()
            },
            percent(row.cache_hit_ratio),
            row.cache_saved_usd.map_or("—".into(), usd),
        ];
        if what_if {
            line.push(row.what_if_usd.map_or("—".into(), usd));
        }
        lines.push(line);
    }
    columns(&lines, Align::Figures, false)
}

fn models(view: &UsageView) -> String {
    let mut out = rows("model", &view.models, view);
    for model in &view.models {
        if let Some(reason) = &model.unpriced_reason {
            out.push_str(&format!(
                "{}: {} tokens unpriced. {reason}\n",
                model.key,
                group_thousands(model.totals.unpriced_tokens)
            ));
        }
    }
    out
}

fn sessions(view: &UsageView) -> String {
    let named: Vec<UsageRow> = view
        .sessions
        .iter()
        .map(|s| UsageRow {
            label: format!("{} · {}", s.agent_id.as_deref().unwrap_or("?"), s.label),
            ..s.clone()
        })
        .collect();
    let mut out = rows("session", &named, view);
    if view.session_count > view.sessions.len() as u64 {
        out.push_str(&format!(
            "The {} most expensive of {} sessions.\n",
            view.sessions.len(),
            group_thousands(view.session_count)
        ));
    }
    out
}

/// Each period's spend per stack (the chart, as numbers).
fn series(view: &UsageView) -> String {
    if view.series.is_empty() {
        return "No model calls in this window.\n".into();
    }
    let mut lines = vec![std::iter::once("period".to_string())
        .chain(view.series.iter().map(|s| s.name.clone()))
        .collect::<Vec<_>>()];
    for (i, period) in view.periods.iter().enumerate() {
        lines.push(
            std::iter::once(period.key.clone())
                .chain(view.series.iter().map(|s| usd(s.cost_usd[i])))
                .collect(),
        );
    }
    columns(&lines, Align::Figures, false)
}
