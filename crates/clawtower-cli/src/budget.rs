//! `clawtower budget list|set|rm|status`, `clawtower pause` and `clawtower resume`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use clawtower_control::budget::{
    store, Budget, BudgetAction, BudgetDraft, BudgetScope, BudgetStatus, BudgetWindow,
};
use clawtower_control::pause::{PauseRecord, PauseRequest, Pauser};
use clawtower_core::money::NanoUsd;
use clawtower_core::period::now_local;
use clawtower_store::Store;
use serde_json::json;

use crate::gateway::{identity, runtime, GatewayArgs};
use crate::ledger;

/// `clawtower budget …`
#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// List budgets.
    List(JsonArg),
    /// Add a budget, or change one with --id.
    Set(SetArgs),
    /// Remove a budget.
    Rm {
        /// The budget's id (see `clawtower budget list`).
        id: i64,
    },
    /// Where every budget stands now, and what is paused.
    Status(JsonArg),
}

/// `--json`.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Options of `clawtower budget set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Change this budget instead of adding one.
    #[arg(long)]
    id: Option<i64>,
    /// Limit in USD.
    #[arg(long, value_name = "USD", allow_negative_numbers = true)]
    limit: f64,
    /// day, week, month (calendar, local time) or a rolling number of hours like 6h.
    #[arg(long, default_value = "day")]
    window: String,
    /// all, agent:<id>, model:<provider/model>, provider:<id>, session:<key> or cron:<job>.
    #[arg(long, default_value = "all")]
    scope: String,
    /// A name to show.
    #[arg(long, default_value = "")]
    name: String,
    /// Warning thresholds in percent, comma-separated (default: 50,80,100).
    #[arg(long, value_delimiter = ',')]
    thresholds: Vec<u32>,
    /// At the limit: alert only, or pause.
    #[arg(long, default_value = "pause", value_parser = ["alert", "pause"])]
    action: String,
    /// Resume automatically when the window rolls over.
    #[arg(long)]
    auto_resume: bool,
}

/// Options of `clawtower pause` / `clawtower resume`.
#[derive(Debug, Args)]
pub struct PauseArgs {
    /// What to pause: all (default), agent:<id>, session:<key>, cron:<job>…
    #[arg(long, default_value = "all")]
    scope: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Runs a budget subcommand.
pub fn run(command: &BudgetCommand, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(match command {
        BudgetCommand::List(args) => list(args.json, data_dir),
        BudgetCommand::Set(args) => set(args, data_dir),
        BudgetCommand::Rm { id } => remove(*id, data_dir),
        BudgetCommand::Status(args) => status(args.json, data_dir),
    })
}

fn list(json: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    let budgets = store
        .with_conn(|c| store::list(c))
        .map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "budgets": budgets })).unwrap_or_default()
        );
    } else if budgets.is_empty() {
        println!("No budgets. Add one: clawtower budget set --limit 20 --window day");
    } else {
        budgets.iter().for_each(|b| println!("{}", describe(b)));
    }
    Ok(())
}

fn describe(budget: &Budget) -> String {
    let d = &budget.draft;
    format!(
        "#{} {}: {} {} on {}, alerts at {}%, {}{}",
        budget.id,
        d.name,
        NanoUsd::from_usd(d.limit_usd).display_limit(),
        d.window.per(),
        d.scope.in_words(),
        d.thresholds
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        match d.action {
            BudgetAction::Alert => "alert only",
            BudgetAction::Pause => "pauses at the limit",
        },
        if d.auto_resume {
            ", resumes at roll-over"
        } else {
            ""
        },
    )
}

fn set(args: &SetArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let draft = BudgetDraft {
        name: args.name.clone(),
        scope: BudgetScope::parse(&args.scope).map_err(|e| e.to_string())?,
        window: BudgetWindow::parse(&args.window).map_err(|e| e.to_string())?,
        limit_usd: args.limit,
        thresholds: args.thresholds.clone(),
        action: if args.action == "alert" {
            BudgetAction::Alert
        } else {
            BudgetAction::Pause
        },
        auto_resume: args.auto_resume,
    };
    let store = ledger::open_store(data_dir)?;
    let now_ms = now_local().timestamp().as_millisecond();
    let budget = store
        .with_conn(|c| store::save(c, args.id, draft, now_ms))
        .map_err(|e| e.to_string())?;
    println!("{}", describe(&budget));
    Ok(())
}

fn remove(id: i64, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    match store.with_conn(|c| store::remove(c, id)) {
        Ok(budget) => println!("Removed {}", describe(&budget)),
        // A damaged row (doctor and the budgets page name it) is removed as it is.
        Err(e) if matches!(store.with_conn(|c| store::remove_unusable(c, id)), Ok(true)) => {
            println!("Removed budget {id}, which could not be read ({e})");
        }
        Err(e) => return Err(e.to_string()),
    }
    Ok(())
}

fn status(json: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    let statuses = clawtower_control::statuses(&store, &now_local()).map_err(|e| e.to_string())?;
    let pauses = active_pauses(&store)?;
    let unusable = store
        .with_conn(|c| store::list_checked(c))
        .map_err(|e| e.to_string())?
        .1;
    if json {
        let pauses: Vec<_> = pauses.iter().map(PauseRecord::view).collect();
        let report = json!({ "budgets": statuses, "paused": !pauses.is_empty(), "pauses": pauses,
                             "unusable": unusable });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return Ok(());
    }
    if statuses.is_empty() {
        println!("No budgets. Add one: clawtower budget set --limit 20 --window day");
    }
    statuses.iter().for_each(|s| println!("{}", status_line(s)));
    for u in &unusable {
        println!(
            "#{} NOT ENFORCED: {} (remove it: clawtower budget rm {})",
            u.id, u.why, u.id
        );
    }
    for pause in &pauses {
        println!(
            "PAUSED ({}): {} {}",
            pause.scope.to_text(),
            pause.reason,
            pause.summary()
        );
    }
    Ok(())
}

fn status_line(status: &BudgetStatus) -> String {
    let mut line = format!(
        "#{} {}: {} {} ({:.0}%)",
        status.budget.id,
        status.budget.draft.name,
        status.label,
        status.budget.draft.window.phrase(),
        status.percent
    );
    if let Some(projection) = &status.projection {
        line.push_str(&format!(", {projection}"));
    }
    if status.paused {
        line.push_str(", paused");
    }
    if let Some(problem) = &status.problem {
        line.push_str(&format!(" — NOT ENFORCED: {problem}"));
    }
    line
}

fn active_pauses(store: &Store) -> Result<Vec<PauseRecord>, String> {
    store
        .with_conn(|c| clawtower_control::pause::active(c))
        .map_err(|e| e.to_string())
}

fn pauser(args: &PauseArgs, data_dir: Option<&Path>) -> Result<Pauser, String> {
    let store = Arc::new(ledger::open_store(data_dir)?);
    let target = args.gateway.target(&store)?;
    Ok(Pauser::new(store, target, identity(data_dir)?))
}

/// `clawtower pause [--scope …]`: pauses now, until `clawtower resume`.
pub fn pause(args: &PauseArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let scope = BudgetScope::parse(&args.scope).map_err(|e| e.to_string())?;
        let pauser = pauser(args, data_dir)?;
        let request = PauseRequest {
            scope,
            reason: "Paused from the command line".into(),
            budget_id: None,
        };
        let now_ms = now_local().timestamp().as_millisecond();
        let record = runtime()?
            .block_on(pauser.pause(request, now_ms))
            .map_err(|e| e.to_string())?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&record.view()).unwrap_or_default()
            );
        } else {
            println!(
                "Paused {} on {}. {}",
                record.scope.to_text(),
                record.gateway_url,
                record.summary()
            );
        }
        if record.problems.is_empty() {
            Ok(())
        } else {
            Err("the gateway is only partly paused (see above)".into())
        }
    })())
}

/// `clawtower resume`: lifts every pause, undoing exactly what it changed.
pub fn resume(args: &PauseArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let pauser = pauser(args, data_dir)?;
        let now_ms = now_local().timestamp().as_millisecond();
        let records = runtime()?
            .block_on(pauser.resume(None, now_ms))
            .map_err(|e| e.to_string())?;
        let problems: Vec<String> = records.iter().flat_map(|r| r.problems.clone()).collect();
        if args.json {
            let views: Vec<_> = records.iter().map(PauseRecord::view).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({"resumed": views, "problems": problems}))
                    .unwrap_or_default()
            );
        } else if records.is_empty() {
            println!("Nothing is paused.");
        } else {
            for record in &records {
                println!("Resumed {} ({}).", record.scope.to_text(), record.reason);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("resume incomplete: {}", problems.join("; ")))
        }
    })())
}
