//! `clawtower cron …`: cron jobs through the local gateway's own RPCs.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use clawtower_lifecycle::crons::{CronDraft, Schedule};
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
    /// A cron expression: "minute hour day-of-month month day-of-week".
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
    /// Make it switched off.
    #[arg(long)]
    disabled: bool,
    #[command(flatten)]
    common: GatewayOnly,
}

/// `clawtower cron edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The job's id.
    id: String,
    #[command(flatten)]
    draft: DraftArgs,
}

impl DraftArgs {
    fn draft(&self) -> Result<CronDraft, String> {
        let schedule = match (&self.cron, self.every, &self.at) {
            (Some(expr), None, None) => Schedule::Cron {
                expr: expr.clone(),
                tz: self.tz.clone(),
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
        };
        Ok(CronDraft {
            name: self.name.clone(),
            agent_id: self.agent.clone(),
            schedule,
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
    })
}
