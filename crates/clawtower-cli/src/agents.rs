//! `clawtower agents …`: list, create, edit, archive, restore, purge, the archive and the audit
//! log — through the local gateway's own RPCs.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use clawtower_lifecycle::agents::{AgentDraft, AgentEdit, Lifecycle};
use clawtower_lifecycle::archive::ArchiveState;
use clawtower_lifecycle::audit;
use clawtower_openclaw::{locate, OpenClawEnv};
use serde_json::json;

use crate::gateway::{with_control_client, GatewayArgs};
use crate::ledger;

/// `clawtower agents …`.
#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// Every agent with its model, status, sessions and spend.
    List(GatewayOnly),
    /// Make an agent.
    Create(CreateArgs),
    /// Change an agent's name, model or emoji.
    Edit(EditArgs),
    /// Archive an agent (recoverable with `restore`): its runs aborted, its cron jobs and config
    /// saved, removed from the gateway, its files moved into the archive. Again to complete one
    /// that stopped half-way.
    Archive(TargetArgs),
    /// Restore an archived agent (by archive id; `<name>-2` when its name is taken now).
    Restore(TargetArgs),
    /// Delete an archive for good (its history stays in the ledger).
    Purge(PurgeArgs),
    /// The archived agents, newest first.
    Archived(JsonOnly),
    /// Who did what to which agent, and how it went.
    Audit(JsonOnly),
}

/// Only the gateway options and `--json`.
#[derive(Debug, Args)]
pub struct GatewayOnly {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

/// Only `--json`.
#[derive(Debug, Args)]
pub struct JsonOnly {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `clawtower agents create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Its name (its id: the name in lowercase, other characters as dashes).
    name: String,
    /// `provider/model` (default: the gateway's default model).
    #[arg(long)]
    model: Option<String>,
    /// Its workspace directory (default: OpenClaw's).
    #[arg(long)]
    workspace: Option<String>,
    /// An emoji.
    #[arg(long)]
    emoji: Option<String>,
    #[command(flatten)]
    common: GatewayOnly,
}

/// `clawtower agents edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The agent's id.
    id: String,
    /// New name.
    #[arg(long)]
    name: Option<String>,
    /// New model (`provider/model`).
    #[arg(long)]
    model: Option<String>,
    /// New emoji.
    #[arg(long)]
    emoji: Option<String>,
    #[command(flatten)]
    common: GatewayOnly,
}

/// An agent id (archive) or an archive id (restore).
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The agent's id (archive) or the archive's id (restore; see `agents archived`).
    id: String,
    /// Yes, do it (archiving aborts the agent's running turns and stops its cron jobs).
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    common: GatewayOnly,
}

/// `clawtower agents purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// The archive's id (see `agents archived`).
    id: String,
    /// The agent's name, typed out: purging cannot be undone.
    #[arg(long, value_name = "NAME")]
    confirm: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs an `agents` subcommand.
pub fn run(command: &AgentsCommand, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(match command {
        AgentsCommand::List(args) => with_lifecycle(&args.gateway, data_dir, async |l| {
            let agents = l.list().await?;
            if args.json {
                println!("{}", json!({ "agents": agents }));
            }
            for a in agents.iter().filter(|_| !args.json) {
                let status = if a.running { "running" } else { "idle" };
                let emoji = a.emoji.as_deref().map(|e| format!("{e} ")).unwrap_or_default();
                println!(
                    "{emoji}{} ({}){}  {}  {status}  {} sessions  ${:.2} today  ${:.2} in all",
                    a.name,
                    a.id,
                    if a.is_default { " default" } else { "" },
                    a.model.as_deref().unwrap_or("default model"),
                    a.sessions,
                    a.spend_today_usd,
                    a.spend_total_usd
                );
            }
            Ok(())
        }),
        AgentsCommand::Create(args) => with_lifecycle(&args.common.gateway, data_dir, async |l| {
            let draft = AgentDraft {
                name: args.name.clone(),
                model: args.model.clone(),
                workspace: args.workspace.clone(),
                emoji: args.emoji.clone(),
            };
            let id = l.create(&draft).await?;
            print(args.common.json, json!({ "agentId": id }), &format!("Agent {id} made."));
            Ok(())
        }),
        AgentsCommand::Edit(args) => with_lifecycle(&args.common.gateway, data_dir, async |l| {
            let edit = AgentEdit {
                name: args.name.clone(),
                model: args.model.clone(),
                emoji: args.emoji.clone(),
            };
            l.edit(&args.id, &edit).await?;
            print(args.common.json, json!({ "agentId": args.id }), &format!("Agent {} changed.", args.id));
            Ok(())
        }),
        AgentsCommand::Archive(args) => confirmed(args).and_then(|()| {
            with_lifecycle(&args.common.gateway, data_dir, async |l| {
                let archived = l.archive(&args.id).await?;
                let text = format!(
                    "Agent {} archived as {} ({} cron jobs saved). Restore: clawtower agents restore {} --yes",
                    archived.agent_id, archived.id, archived.cron_jobs, archived.id
                );
                print(args.common.json, json!({ "archiveId": archived.id, "archive": archived }), &text);
                Ok(())
            })
        }),
        AgentsCommand::Restore(args) => confirmed(args).and_then(|()| {
            with_lifecycle(&args.common.gateway, data_dir, async |l| {
                let restored = l.restore(&args.id).await?;
                let mut text = format!(
                    "Restored as {} ({}), {} cron jobs back.",
                    restored.name, restored.agent_id, restored.cron_jobs
                );
                if restored.sessions_archived {
                    text.push_str("\nUnder a new id its old sessions stay in the archive (OpenClaw binds them to the old id).");
                }
                for key in &restored.new_keys {
                    text.push_str(&format!("\nIts new router key (shown this once): {key}"));
                }
                print(args.common.json, json!({ "agentId": restored.agent_id, "restored": restored }), &text);
                Ok(())
            })
        }),
        AgentsCommand::Purge(args) => purge(args, data_dir),
        AgentsCommand::Archived(args) => archived(args.json, data_dir),
        AgentsCommand::Audit(args) => audit_log(args.json, data_dir),
    })
}

/// Destructive commands need `--yes`.
fn confirmed(args: &TargetArgs) -> Result<(), String> {
    if args.yes {
        Ok(())
    } else {
        Err(format!(
            "this changes agent {}: add --yes to go ahead",
            args.id
        ))
    }
}

/// Prints `value` as JSON when asked, else `text`.
pub fn print(json: bool, value: serde_json::Value, text: &str) {
    if json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

/// Runs `work` with a lifecycle over the gateway the control commands act on.
pub fn with_lifecycle(
    gateway: &GatewayArgs,
    data_dir: Option<&Path>,
    work: impl AsyncFnOnce(&Lifecycle<'_>) -> clawtower_core::Result<()>,
) -> Result<(), String> {
    let root = ledger::data_dir(data_dir)?.root().to_path_buf();
    let state_dir = locate(
        &OpenClawEnv::from_process(),
        gateway.openclaw_home.as_deref(),
    )
    .map(|l| l.state_dir);
    with_control_client(gateway, data_dir, async |client, store, target| {
        let lifecycle = Lifecycle {
            client,
            gateway_url: &target.url,
            store,
            data_root: &root,
            state_dir: state_dir.as_deref(),
            actor: "cli",
        };
        work(&lifecycle).await.map_err(|e| e.to_string())
    })
}

fn purge(args: &PurgeArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    let root = ledger::data_dir(data_dir)?.root().to_path_buf();
    // Purging needs no gateway: it only deletes the archive (and says so in the audit log).
    let m = clawtower_lifecycle::archive::load(&root, &args.id).map_err(|e| e.to_string())?;
    let confirm = args.confirm.trim();
    let outcome = if confirm == m.config.name || confirm == m.agent_id {
        clawtower_lifecycle::archive::remove(&root, &args.id).map_err(|e| e.to_string())
    } else {
        Err(format!(
            "--confirm must be the agent's name, {}",
            m.config.name
        ))
    };
    let result = outcome.as_ref().map(|()| "").map_err(String::as_str);
    store
        .with_conn(|c| {
            audit::record(
                c,
                "cli",
                "agent.purge",
                &args.id,
                result,
                clawtower_core::period::now_ms(),
            )
        })
        .map_err(|e| e.to_string())?;
    outcome?;
    print(
        args.json,
        json!({ "purged": args.id }),
        &format!("Archive {} purged.", args.id),
    );
    Ok(())
}

fn archived(json: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let root = ledger::data_dir(data_dir)?.root().to_path_buf();
    let (views, unreadable) =
        clawtower_lifecycle::archive::views(&root).map_err(|e| e.to_string())?;
    if json {
        println!("{}", json!({ "archives": views, "unreadable": unreadable }));
        return Ok(());
    }
    if views.is_empty() {
        println!("No archived agents.");
    }
    for v in &views {
        let state = match v.state {
            ArchiveState::Archived => String::new(),
            ArchiveState::Archiving => {
                "  (archiving did not finish: archive the agent again)".into()
            }
            ArchiveState::Restoring => "  (restoring did not finish: restore again)".into(),
            ArchiveState::Restored => format!(
                "  (restored as {}; its old sessions stay here until purged)",
                v.restored_as.as_deref().unwrap_or("?")
            ),
        };
        println!(
            "{}  {} ({})  {} cron jobs{state}",
            v.id, v.name, v.agent_id, v.cron_jobs
        );
    }
    if unreadable > 0 {
        eprintln!("{unreadable} archive(s) could not be read (see the log)");
    }
    Ok(())
}

fn audit_log(json: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    let entries = store
        .read(|c| audit::latest(c, 200))
        .map_err(|e| e.to_string())?;
    if json {
        println!("{}", json!({ "entries": entries }));
        return Ok(());
    }
    for e in &entries {
        let detail = e
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        println!(
            "{}  {}  {} {}  {}{detail}",
            e.ts_ms, e.actor, e.action, e.target, e.result
        );
    }
    Ok(())
}
