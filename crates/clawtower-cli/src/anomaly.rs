//! `clawtower anomaly list|add|rm`: rules for runaway loops, spikes, long runs and costly sessions.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use clawtower_control::anomaly::{AnomalyDraft, AnomalyRule};
use clawtower_control::budget::BudgetAction;
use clawtower_core::DataDir;
use clawtower_engine::Engine;

use crate::ledger;

/// `clawtower anomaly …`
#[derive(Debug, Subcommand)]
pub enum AnomalyCommand {
    /// List the rules.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a rule.
    Add(AddArgs),
    /// Remove a rule.
    Rm {
        /// Rule id.
        id: i64,
    },
}

/// Rule kinds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// The same tool with the same arguments --repeats times in a session (30 min).
    RunawayLoop,
    /// More than --tokens-per-minute over 5 minutes.
    TokenVelocity,
    /// --errors errors within --minutes.
    ErrorSpike,
    /// A session working longer than --minutes without a break.
    LongRun,
    /// One session costing more than --usd.
    SessionCost,
}

/// Options of `clawtower anomaly add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The pattern.
    #[arg(value_enum)]
    kind: Kind,
    /// Repeats (runaway-loop).
    #[arg(long, default_value_t = 10)]
    repeats: u32,
    /// Tokens per minute (token-velocity).
    #[arg(long, default_value_t = 200_000)]
    tokens_per_minute: u64,
    /// Errors (error-spike).
    #[arg(long, default_value_t = 10)]
    errors: u32,
    /// Minutes (error-spike window, long-run length).
    #[arg(long, default_value_t = 60)]
    minutes: u32,
    /// USD (session-cost).
    #[arg(long, default_value_t = 5.0)]
    usd: f64,
    /// Pause too (the session, or everything for rates), not just alert.
    #[arg(long)]
    pause: bool,
}

/// Runs an anomaly subcommand.
pub fn run(command: &AnomalyCommand, data_dir: Option<&Path>) -> ExitCode {
    let outcome = ledger::data_dir(data_dir)
        .and_then(|dir: DataDir| Engine::open(dir).map_err(|e| e.to_string()))
        .and_then(|engine| execute(&engine, command));
    crate::finish(outcome)
}

fn execute(engine: &Engine, command: &AnomalyCommand) -> Result<(), String> {
    match command {
        AnomalyCommand::List { json } => {
            let listed = engine.anomaly_rules().map_err(|e| e.to_string())?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&listed).unwrap_or_default()
                );
                return Ok(());
            }
            if listed.rules.is_empty() && listed.unreadable.is_empty() {
                println!("No anomaly rules.");
            }
            for rule in &listed.rules {
                let action = if rule.draft.action == BudgetAction::Pause {
                    "alert and pause"
                } else {
                    "alert"
                };
                let problem = rule
                    .problem
                    .as_deref()
                    .map(|p| format!(" — NOT CHECKED on the last pass: {p}"))
                    .unwrap_or_default();
                println!(
                    "#{} {}: {action}{problem}",
                    rule.id,
                    rule.draft.rule.describe()
                );
            }
            for rule in &listed.unreadable {
                println!(
                    "#{} {} — skipped (the others run); remove it with `clawtower anomaly rm {}`",
                    rule.id, rule.why, rule.id
                );
            }
        }
        AnomalyCommand::Add(args) => {
            let rule = match args.kind {
                Kind::RunawayLoop => AnomalyRule::RunawayLoop {
                    repeats: args.repeats,
                },
                Kind::TokenVelocity => AnomalyRule::TokenVelocity {
                    tokens_per_minute: args.tokens_per_minute,
                },
                Kind::ErrorSpike => AnomalyRule::ErrorSpike {
                    errors: args.errors,
                    minutes: args.minutes,
                },
                Kind::LongRun => AnomalyRule::LongRun {
                    minutes: args.minutes,
                },
                Kind::SessionCost => AnomalyRule::SessionCost { usd: args.usd },
            };
            let action = if args.pause {
                BudgetAction::Pause
            } else {
                BudgetAction::Alert
            };
            let added = engine
                .add_anomaly_rule(AnomalyDraft { rule, action })
                .map_err(|e| e.to_string())?;
            println!("Added rule #{}: {}", added.id, added.draft.rule.describe());
        }
        AnomalyCommand::Rm { id } => engine.remove_anomaly_rule(*id).map_err(|e| e.to_string())?,
    }
    Ok(())
}
