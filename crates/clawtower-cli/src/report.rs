//! `clawtower report <hourly|daily|weekly|monthly|session|agent|model>`: spend from the ledger, as a
//! table, JSON or CSV. The JSON shape is a contract (see the README).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use clawtower_core::money::group_thousands;
use clawtower_ledger::report::{self, Report, ReportKind, ReportQuery, Totals};

use crate::days::DayArg;
use crate::ledger;
use crate::output::{self, Format};
use crate::table::{columns, Align};

/// How to group the report.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// By local hour (`YYYY-MM-DDTHH:00+01:00`: the hour's start with its UTC offset).
    Hourly,
    /// By local day (`YYYY-MM-DD`).
    Daily,
    /// By ISO week (key: its Monday, `YYYY-MM-DD`).
    Weekly,
    /// By month (`YYYY-MM`).
    Monthly,
    /// By OpenClaw session key.
    Session,
    /// By agent id.
    Agent,
    /// By `provider/model`.
    Model,
}

impl From<Kind> for ReportKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Hourly => ReportKind::Hourly,
            Kind::Daily => ReportKind::Daily,
            Kind::Weekly => ReportKind::Weekly,
            Kind::Monthly => ReportKind::Monthly,
            Kind::Session => ReportKind::Session,
            Kind::Agent => ReportKind::Agent,
            Kind::Model => ReportKind::Model,
        }
    }
}

/// Options of `clawtower report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to group rows: hourly, daily, weekly, monthly, session, agent or model.
    kind: Option<Kind>,
    /// First day included (in --tz): `YYYY-MM-DD`, `today`, `yesterday` or `7d` (the last seven
    /// days); default: all time.
    #[arg(long, value_name = "DAY")]
    since: Option<DayArg>,
    /// Last day included (in --tz), written the same way; default: all time.
    #[arg(long, value_name = "DAY")]
    until: Option<DayArg>,
    /// IANA time zone for days (default: the system's).
    #[arg(long, value_name = "TZ")]
    tz: Option<String>,
    /// Print JSON: {"period", "rows": [{"key", "calls", …}], "totals"}.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV (last line: TOTAL).
    #[arg(long)]
    csv: bool,
    /// Ingest this OpenClaw state dir (or a home containing `.openclaw`) first.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
    /// Read the transcripts directly and store nothing (the detected install, or --openclaw-home).
    #[arg(long)]
    scan: bool,
}

/// Builds and prints the report.
pub fn run(args: &ReportArgs, data_dir: Option<&Path>) -> ExitCode {
    output::print(
        build(args, data_dir),
        Format::of(args.json, args.csv),
        report::to_csv,
        table,
    )
}

fn build(args: &ReportArgs, data_dir: Option<&Path>) -> Result<Report, String> {
    let kind = args.kind.ok_or(
        "say which report: hourly, daily, weekly, monthly, session, agent or model \
         (e.g. `clawtower report daily --since 7d`)",
    )?;
    let tz = ledger::time_zone(args.tz.as_deref())?;
    let query = ReportQuery {
        kind: kind.into(),
        since: args.since.map(|d| d.resolve(&tz)).transpose()?,
        until: args.until.map(|d| d.resolve(&tz)).transpose()?,
        tz,
    };
    if args.scan {
        let state = ledger::state_dir(args.openclaw_home.as_deref())?;
        let book = ledger::price_book(Some(&state), data_dir)?;
        let (report, stats) =
            report::scan_report(&state, &book, &query).map_err(|e| e.to_string())?;
        for (source, why) in &stats.unreadable {
            eprintln!("clawtower: could not read {source} ({why})");
        }
        if stats.skipped > 0 {
            eprintln!(
                "clawtower: {} lines with usage could not be read and are not counted",
                stats.skipped
            );
        }
        return Ok(report);
    }
    let store = ledger::open_store_imported(data_dir, args.openclaw_home.as_deref())?;
    report::build(&store, &query).map_err(|e| e.to_string())
}

/// A readable table with a totals line.
fn table(report: &Report) -> String {
    let header = [
        "",
        "calls",
        "input",
        "output",
        "cache read",
        "cache write",
        "total tokens",
        "cost",
        "reported",
        "unpriced",
    ];
    let cells = |key: &str, t: &Totals| -> Vec<String> {
        vec![
            key.to_string(),
            group_thousands(t.calls),
            group_thousands(t.input_tokens),
            group_thousands(t.output_tokens),
            group_thousands(t.cache_read_tokens),
            group_thousands(t.cache_write_tokens),
            group_thousands(t.total_tokens),
            usd(t.cost_usd),
            usd(t.reported_cost_usd),
            group_thousands(t.unpriced_tokens),
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    rows[0][0] = report.period.clone();
    rows.extend(report.rows.iter().map(|r| cells(&r.key, &r.totals)));
    rows.push(cells("TOTAL", &report.totals));
    let mut out = columns(&rows, Align::Figures, true);
    if report.rows.is_empty() {
        out.push_str("No model calls in this range. Import with `clawtower ingest` or pass --openclaw-home.\n");
    }
    if report.totals.unpriced_tokens > 0 {
        out.push_str(&format!(
            "{} tokens have no known price and are not in the cost (see `unpriced`).\n",
            group_thousands(report.totals.unpriced_tokens)
        ));
    }
    out
}

pub(crate) fn usd(amount: f64) -> String {
    clawtower_core::NanoUsd::from_usd(amount).display()
}
