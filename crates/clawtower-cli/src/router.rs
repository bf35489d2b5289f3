//! `clawtower router` (the model router, standalone) and `clawtower keys` (its virtual keys).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use clawtower_control::gate::BudgetGate;
use clawtower_core::period::{now_local, now_ms};
use clawtower_router::keys::{self, KeyDraft, KeyLimits, KeyView};
use clawtower_router::meter::Meter;
use clawtower_router::{app, Config, RouterState};
use serde_json::json;

use crate::ledger;

/// `clawtower router`.
#[derive(Debug, Args)]
pub struct RouterArgs {
    /// The router's configuration (TOML: providers, aliases; see the README).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Where to listen (default: the config's router.listen, else 127.0.0.1:8090).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Listen on a non-loopback address (agents on other machines). The keys still apply.
    #[arg(long)]
    allow_remote: bool,
}

/// `clawtower keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a key for an agent; it is printed once and never again.
    Create(CreateArgs),
    /// List the keys (never the keys themselves).
    List(JsonArgs),
    /// Revoke a key: every call with it is refused from now on.
    Revoke(RevokeArgs),
}

/// `clawtower keys create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The agent whose calls these are (its ledger agent).
    #[arg(long, value_name = "ID")]
    agent: String,
    /// A name to recognize the key by (default: the agent id).
    #[arg(long, value_name = "N")]
    name: Option<String>,
    /// Only these models (comma-separated, as requests name them).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    models: Vec<String>,
    /// Stops working at the start of this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    expires: Option<String>,
    /// At most this many requests a minute (429 with Retry-After beyond).
    #[arg(long, value_name = "N")]
    rpm: Option<u32>,
    /// At most this many tokens a minute (as the calls reported them).
    #[arg(long, value_name = "N")]
    tpm: Option<u64>,
    /// At most this many calls at once.
    #[arg(long, value_name = "N")]
    max_parallel: Option<u32>,
    /// Its calls also answer to this budget (id from `budget list`), whatever its scope.
    #[arg(long, value_name = "ID")]
    budget: Option<i64>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `--json` only.
#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `clawtower keys revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The key's id (from `keys list`).
    id: i64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the router until interrupted.
pub fn run(args: &RouterArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(route_until_interrupted(args, data_dir))
}

fn route_until_interrupted(args: &RouterArgs, data_dir: Option<&Path>) -> Result<(), String> {
    crate::init_logging();
    let config = Config::load(&args.config).map_err(|e| e.to_string())?;
    let listen = args.listen.unwrap_or(config.settings.listen);
    if !listen.ip().is_loopback() && !args.allow_remote {
        return Err(format!(
            "{listen} is not a loopback address: agents on other machines could reach it; \
             pass --allow-remote if that is what you want"
        ));
    }
    for provider in &config.providers {
        match provider.disabled() {
            Some(why) => eprintln!("clawtower: provider {} is disabled: {why}", provider.id),
            None => eprintln!(
                "clawtower: provider {} at {}",
                provider.id, provider.base_url
            ),
        }
    }
    let store = Arc::new(ledger::open_store(data_dir)?);
    let book = ledger::price_book(None, data_dir)?;
    let gate = Arc::new(BudgetGate::new(store.clone(), now_local));
    let meter = Meter::start(store.clone(), book.clone());
    let state = Arc::new(RouterState::new(config, store, meter, book).with_gate(gate));
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    tokio.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        eprintln!("Clawtower router on http://{addr}/v1 (keys: clawtower keys create --agent ID)");
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}

/// Runs a `keys` subcommand.
pub fn keys(command: &KeysCommand, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let store = ledger::open_store(data_dir)?;
        match command {
            KeysCommand::Create(args) => {
                let expires_ms = args.expires.as_deref().map(day_start_ms).transpose()?;
                let draft = KeyDraft {
                    agent_id: args.agent.clone(),
                    name: args.name.clone().unwrap_or_default(),
                    models: args.models.clone(),
                    expires_ms,
                    limits: KeyLimits {
                        rpm: args.rpm,
                        tpm: args.tpm,
                        max_parallel: args.max_parallel,
                        budget_id: args.budget,
                    },
                };
                let (view, key) = store
                    .with_conn(|c| {
                        if let Some(id) = draft.limits.budget_id {
                            clawtower_control::budget::store::get(c, id)?;
                        }
                        keys::create(c, &draft, now_ms())
                    })
                    .map_err(|e| e.to_string())?;
                if args.json {
                    println!(
                        "{}",
                        json!({"key": key, "id": view.id, "name": view.name, "agentId": view.agent_id})
                    );
                } else {
                    println!("{key}");
                    eprintln!(
                        "Key {} for agent {} made. It is shown this once: store it now.",
                        view.id, view.agent_id
                    );
                }
                Ok(())
            }
            KeysCommand::List(args) => {
                let all = store.read(|c| keys::list(c)).map_err(|e| e.to_string())?;
                if args.json {
                    println!("{}", json!({"keys": all}));
                } else if all.is_empty() {
                    println!("No router keys yet: clawtower keys create --agent ID");
                } else {
                    for key in &all {
                        println!("{}", line(key));
                    }
                }
                Ok(())
            }
            KeysCommand::Revoke(args) => {
                let view = store
                    .with_conn(|c| keys::revoke(c, args.id, now_ms()))
                    .map_err(|e| e.to_string())?;
                if args.json {
                    println!("{}", json!({"key": view}));
                } else {
                    println!("Revoked key {} ({}).", view.id, view.name);
                }
                Ok(())
            }
        }
    })())
}

fn line(key: &KeyView) -> String {
    let state = match (key.revoked_ms, key.expires_ms) {
        (Some(_), _) => "revoked".to_string(),
        (None, Some(e)) if e <= now_ms() => "expired".to_string(),
        (None, Some(e)) => format!(
            "expires {}",
            jiff::Timestamp::from_millisecond(e).map_or(String::new(), |t| t.to_string())
        ),
        (None, None) => "active".to_string(),
    };
    let limits = key.limits;
    let limit_text: Vec<String> = [
        limits.rpm.map(|n| format!("{n} req/min")),
        limits.tpm.map(|n| format!("{n} tok/min")),
        limits.max_parallel.map(|n| format!("{n} at once")),
        limits.budget_id.map(|id| format!("budget {id}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let models = if key.models.is_empty() {
        "any model".to_string()
    } else {
        key.models.join(",")
    };
    let limits = if limit_text.is_empty() {
        "no limits".to_string()
    } else {
        limit_text.join(", ")
    };
    format!(
        "{:>4}  {}…  {:<20} agent {:<16} {models}  {limits}  {state}",
        key.id, key.prefix, key.name, key.agent_id
    )
}

fn day_start_ms(date: &str) -> Result<i64, String> {
    let day: jiff::civil::Date = date
        .parse()
        .map_err(|_| format!("--expires {date}: give a date as YYYY-MM-DD"))?;
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| e.to_string())
}
