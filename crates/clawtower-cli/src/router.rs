//! `clawtower router` (the model router, standalone) and `clawtower keys` (its virtual keys).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use clawtower_control::BudgetGate;
use clawtower_core::period::{now_local, now_ms};
use clawtower_router::keys::{self, KeyDraft, KeyLimits, KeyView};
use clawtower_router::meter::Meter;
use clawtower_router::{app, Config, RouterState};
use serde_json::json;

use crate::gateway::{runtime, with_control_client, GatewayArgs};
use crate::ledger;
use crate::provider_key::ProviderKeyAction;
use clawtower_runtime::attach;
use std::time::Duration;

/// `clawtower router`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RouterArgs {
    /// Route OpenClaw through the router, or back (without one: run the router).
    #[command(subcommand)]
    action: Option<RouterAction>,
    /// The router's configuration (TOML: providers, aliases; see the README).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where to listen (default: the config's router.listen, else 127.0.0.1:8090).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Listen on a non-loopback address (agents on other machines). The keys still apply.
    #[arg(long)]
    allow_remote: bool,
    /// OpenClaw's state dir (or a home containing `.openclaw`), whose model prices meter and
    /// bound its routed calls (default: where OpenClaw itself looks, if it is there).
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// `clawtower router attach|detach|status`.
#[derive(Debug, Subcommand)]
pub enum RouterAction {
    /// Route the local OpenClaw gateway's model providers through the running router (one
    /// config.patch, all or nothing; OpenClaw keeps its own API keys).
    Attach(AttachArgs),
    /// Put OpenClaw's providers back exactly as they were before attach.
    Detach(AttachArgs),
    /// Which OpenClaw providers go through the router now.
    Status(JsonArgs),
    /// A provider's API key in the OS keyring (for api_key_keyring = "NAME").
    #[command(subcommand)]
    ProviderKey(ProviderKeyAction),
}

/// `clawtower router attach|detach`.
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The router OpenClaw is to call (default: router.listen of `<data dir>/router.toml`,
    /// else http://127.0.0.1:8090). It must be running.
    #[arg(long, value_name = "URL")]
    router: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
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

/// Runs the router until interrupted, or routes OpenClaw through it (or back).
pub fn run(args: &RouterArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(match &args.action {
        None => route_until_interrupted(args, data_dir),
        Some(RouterAction::Attach(attach)) => route_openclaw(attach, true, data_dir),
        Some(RouterAction::Detach(attach)) => route_openclaw(attach, false, data_dir),
        Some(RouterAction::Status(json_args)) => routing_status(json_args.json, data_dir),
        Some(RouterAction::ProviderKey(action)) => crate::provider_key::run(action),
    })
}

fn route_openclaw(args: &AttachArgs, on: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let router = match &args.router {
        Some(url) => url
            .trim_end_matches('/')
            .trim_end_matches("/v1")
            .to_string(),
        None => default_router_url(data_dir)?,
    };
    if on {
        runtime()?.block_on(router_answers(&router))?;
    }
    // The local gateway's state dir, where the router finds each call's agent and session.
    let state_dir = match args.gateway.url {
        None => crate::ledger::state_dir(args.gateway.openclaw_home.as_deref()).ok(),
        Some(_) => None,
    };
    let outcome = with_control_client(&args.gateway, data_dir, async |client, store, target| {
        let outcome = if on {
            let state_dir = state_dir.as_deref();
            attach::attach(client, store, &target.url, state_dir, &router).await
        } else {
            attach::detach(client, store).await
        };
        outcome.map_err(|e| e.to_string())
    })?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome).unwrap_or_default()
        );
        return Ok(());
    }
    for a in &outcome.attached {
        println!("{} → {} (through {router})", a.provider, a.upstream);
    }
    for s in &outcome.skipped {
        println!("{}: not routed: {}", s.provider, s.reason);
    }
    for note in &outcome.notes {
        println!("{note}");
    }
    if on && outcome.attached.is_empty() {
        return Err("no provider of OpenClaw's could be routed (see above)".into());
    }
    if !on {
        println!("OpenClaw's providers call their providers directly again.");
    }
    Ok(())
}

fn routing_status(json: bool, data_dir: Option<&Path>) -> Result<(), String> {
    let store = ledger::open_store(data_dir)?;
    let attached = attach::list(&store).map_err(|e| e.to_string())?;
    if json {
        println!("{}", json!({"attached": attached}));
    } else if attached.is_empty() {
        println!("OpenClaw is not routed through the router (clawtower router attach).");
    } else {
        for a in &attached {
            let state = if a.confirmed {
                ""
            } else {
                " (unconfirmed: run detach or attach again)"
            };
            println!("{} → {}{state}", a.provider, a.upstream);
        }
    }
    Ok(())
}

/// The router's URL from `<data dir>/router.toml` (its `router.listen`), else the default.
fn default_router_url(data_dir: Option<&Path>) -> Result<String, String> {
    let path = ledger::data_dir(data_dir)?
        .root()
        .join(clawtower_runtime::ROUTER_CONFIG);
    let listen = if path.exists() {
        Config::load_settings(&path)
            .map_err(|e| e.to_string())?
            .listen
    } else {
        clawtower_router::config::DEFAULT_LISTEN
            .parse()
            .expect("a valid address")
    };
    Ok(format!("http://{listen}"))
}

/// Refuses to point OpenClaw at a router that is not answering (its calls would all fail).
async fn router_answers(router: &str) -> Result<(), String> {
    let not_running = |why: String| {
        format!(
            "no Clawtower router answers at {router} ({why}): start it first (the app with \
             a router.toml, or `clawtower router --config FILE`), or name it with --router"
        )
    };
    let addr = router
        .strip_prefix("http://")
        .ok_or_else(|| format!("--router {router}: an http:// URL on this machine"))?;
    let mut stream =
        tokio::time::timeout(Duration::from_secs(3), tokio::net::TcpStream::connect(addr))
            .await
            .map_err(|_| not_running("no answer".into()))?
            .map_err(|e| not_running(e.to_string()))?;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| not_running(e.to_string()))?;
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(Duration::from_secs(3), read)
        .await
        .map_err(|_| not_running("no answer".into()))?
        .map_err(|e| not_running(e.to_string()))?;
    let answer = String::from_utf8_lossy(&answer);
    if answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok") {
        Ok(())
    } else {
        Err(not_running("it is not a Clawtower router".into()))
    }
}

fn route_until_interrupted(args: &RouterArgs, data_dir: Option<&Path>) -> Result<(), String> {
    crate::init_logging();
    let path = args.config.as_ref().ok_or(
        "--config FILE is needed to run the router (or: clawtower router attach|detach|status)",
    )?;
    let config = Config::load(path).map_err(|e| e.to_string())?;
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
    let state_dir = ledger::state_dir(args.openclaw_home.as_deref());
    if let (Some(_), Err(e)) = (&args.openclaw_home, &state_dir) {
        return Err(e.clone());
    }
    let book = ledger::price_book(state_dir.ok().as_deref(), data_dir)?;
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
