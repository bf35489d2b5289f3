//! `clawtower cron …`: cron jobs through the local gateway's own RPCs.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use clawtower_core::period::now_ms;
use clawtower_lifecycle::crons::CronDraft;
use clawtower_lifecycle::schedule::{next_runs, Schedule};
use jiff::{tz::TimeZone, Timestamp};
use serde_json::json;

use crate::agents::{print as say, with_lifecycle, GatewayOnly};

/// `clawtower cron …`.
#[derive(Debug, Subcommand)]
pub enum CronCommand {
    /// Every job with its schedule in words, next run and last outcome.
    List(GatewayOnly),
    /// Make a job that asks an agent something on a schedule.
    Add(DraftArgs),
    /// Change a job (give everything it should be).
    Edit(EditArgs),
    /// Schedule a job again.
    Enable(IdArgs),
    /// Stop scheduling a job (it stays, switched off).
    Disable(IdArgs),
    /// Run a job now.
    Run(IdArgs),
    /// Remove a job.
    Rm(IdArgs),
    /// A job's latest runs with what each cost.
    Runs(IdArgs),
    /// Check a schedule as OpenClaw will run it and show its next runs (no gateway needed).
    Next(NextArgs),
}

/// A job id.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The job's id (see `cron list`).
    id: String,
    #[command(flatten)]
    common: GatewayOnly,
}

/// What a job is.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// Its name.
    #[arg(long)]
    name: String,
    /// The agent it runs as (default: the default agent).
    #[arg(long)]
    agent: Option<String>,
    /// What the agent is asked each time.
    #[arg(long)]
    message: String,
    #[command(flatten)]
    when: WhenArgs,
    /// Make it switched off.
    #[arg(long)]
    disabled: bool,
    #[command(flatten)]
    common: GatewayOnly,
}

/// When a job runs.
#[derive(Debug, Args)]
pub struct WhenArgs {
    /// A cron expression: "minute hour day-of-month month day-of-week" (seconds first allowed).
    #[arg(long, group = "when")]
    cron: Option<String>,
    /// The cron expression's time zone (e.g. Europe/Berlin).
    #[arg(long, requires = "cron")]
    tz: Option<String>,
    /// Every N minutes.
    #[arg(long, group = "when", value_name = "MINUTES")]
    every: Option<i64>,
    /// Once, at this instant (2026-12-24T18:00:00+01:00).
    #[arg(long, group = "when", value_name = "TIME")]
    at: Option<String>,
}

/// `clawtower cron next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(flatten)]
    when: WhenArgs,
    /// The job the schedule is for (see `cron list`): its runs then include the delay OpenClaw
    /// gives it when it staggers top-of-hour jobs.
    #[arg(long, value_name = "ID")]
    job: Option<String>,
    /// How many runs to show.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    count: u16,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `clawtower cron edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The job's id.
    id: String,
    #[command(flatten)]
    draft: DraftArgs,
}

impl WhenArgs {
    fn schedule(&self) -> Result<Schedule, String> {
        Ok(match (&self.cron, self.every, &self.at) {
            (Some(expr), None, None) => Schedule::Cron {
                expr: expr.clone(),
                tz: self.tz.clone(),
                stagger_ms: None,
            },
            (None, Some(minutes), None) => Schedule::Every {
                every_ms: minutes.saturating_mul(60_000),
            },
            (None, None, Some(at)) => Schedule::At { at: at.clone() },
            _ => {
                return Err(
                    "say when it runs: --cron EXPR [--tz ZONE], --every MINUTES or --at TIME"
                        .into(),
                )
            }
        })
    }
}

impl DraftArgs {
    fn draft(&self) -> Result<CronDraft, String> {
        Ok(CronDraft {
            name: self.name.clone(),
            agent_id: self.agent.clone(),
            schedule: self.when.schedule()?,
            message: self.message.clone(),
            enabled: !self.disabled,
        })
    }
}

/// Runs a `cron` subcommand.
pub fn run(command: &CronCommand, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(match command {
        CronCommand::List(args) => with_lifecycle(&args.gateway, data_dir, async |l| {
            let jobs = l.crons().await?;
            if args.json {
                println!("{}", json!({ "jobs": jobs }));
                return Ok(());
            }
            if jobs.is_empty() {
                println!("No cron jobs.");
            }
            for j in &jobs {
                let state = if j.enabled { "on" } else { "off" };
                let last = j
                    .last_status
                    .as_deref()
                    .map(|s| format!("  last: {s}"))
                    .unwrap_or_default();
                println!(
                    "{}  {}  [{state}]  {}  agent {}{last}",
                    j.id,
                    j.name,
                    j.schedule_words,
                    j.agent_id.as_deref().unwrap_or("default")
                );
            }
            Ok(())
        }),
        CronCommand::Add(args) => args.draft().and_then(|draft| {
            with_lifecycle(&args.common.gateway, data_dir, async |l| {
                let id = l.add_cron(&draft).await?;
                say(
                    args.common.json,
                    json!({ "id": id }),
                    &format!("Cron job {id} made."),
                );
                Ok(())
            })
        }),
        CronCommand::Edit(args) => args.draft.draft().and_then(|draft| {
            with_lifecycle(&args.draft.common.gateway, data_dir, async |l| {
                l.edit_cron(&args.id, &draft).await?;
                say(
                    args.draft.common.json,
                    json!({ "id": args.id }),
                    &format!("Cron job {} changed.", args.id),
                );
                Ok(())
            })
        }),
        CronCommand::Enable(args) | CronCommand::Disable(args) => {
            let on = matches!(command, CronCommand::Enable(_));
            with_lifecycle(&args.common.gateway, data_dir, async |l| {
                l.set_cron_enabled(&args.id, on).await?;
                let word = if on {
                    "scheduled again"
                } else {
                    "switched off"
                };
                say(
                    args.common.json,
                    json!({ "id": args.id, "enabled": on }),
                    &format!("Cron job {} {word}.", args.id),
                );
                Ok(())
            })
        }
        CronCommand::Run(args) => with_lifecycle(&args.common.gateway, data_dir, async |l| {
            let run = l.run_cron(&args.id).await?;
            say(
                args.common.json,
                json!({ "id": args.id, "runId": run }),
                &format!("Cron job {} started.", args.id),
            );
            Ok(())
        }),
        CronCommand::Rm(args) => with_lifecycle(&args.common.gateway, data_dir, async |l| {
            l.remove_cron(&args.id).await?;
            say(
                args.common.json,
                json!({ "removed": args.id }),
                &format!("Cron job {} removed.", args.id),
            );
            Ok(())
        }),
        CronCommand::Runs(args) => with_lifecycle(&args.common.gateway, data_dir, async |l| {
            let runs = l.cron_runs(&args.id).await?;
            if args.common.json {
                println!("{}", json!({ "runs": runs }));
                return Ok(());
            }
            for r in &runs {
                println!(
                    "{}  {}  {} ms  {} calls  {} tokens  ${:.4}",
                    r.run_at_ms.unwrap_or_default(),
                    r.status.as_deref().unwrap_or("?"),
                    r.duration_ms.unwrap_or_default(),
                    r.calls,
                    r.tokens,
                    r.cost_usd
                );
            }
            Ok(())
        }),
        CronCommand::Next(args) => next(args),
    })
}

/// `clawtower cron next`: the schedule checked, in words, with its next runs in its zone.
fn next(args: &NextArgs) -> Result<(), String> {
    let schedule = args.when.schedule()?;
    let preview = next_runs(
        &schedule,
        args.job.as_deref(),
        now_ms(),
        usize::from(args.count),
    )
    .map_err(|e| e.to_string())?;
    if args.json {
        println!("{}", json!(preview));
        return Ok(());
    }
    let zone = preview
        .zone
        .as_deref()
        .and_then(|name| TimeZone::get(name).ok())
        .unwrap_or_else(TimeZone::system);
    println!("Runs {}.", preview.words);
    for ms in &preview.runs_ms {
        let at = Timestamp::from_millisecond(*ms).map_err(|e| e.to_string())?;
        println!(
            "  {}",
            at.to_zoned(zone.clone())
                .strftime("%a %Y-%m-%d %H:%M:%S %Z")
        );
    }
    match (preview.stagger_ms, preview.offset_ms) {
        (0, _) => {}
        (_, Some(delay)) => println!(
            "(OpenClaw staggers top-of-hour jobs: this one starts {} s after the hour, as shown.)",
            delay / 1000
        ),
        (window, None) => println!(
            "(OpenClaw staggers top-of-hour jobs: each run starts up to {} min later, by a delay \
             set by the job's id; --job ID shows it.)",
            window / 60_000
        ),
    }
    Ok(())
}
