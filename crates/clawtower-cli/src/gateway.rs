//! `clawtower gateway status [--json]`: connects to the gateway (token + device identity) and says
//! what it found, or exactly what is wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use clawtower_engine::gateway::device::DEVICE_FILE;
use clawtower_engine::gateway::feed::{run_feed, FeedOutput, FeedState};
use clawtower_engine::gateway::live::Activity;
use clawtower_engine::gateway::{DeviceIdentity, GatewayClient, GatewayError, Target};
use clawtower_engine::ledger::pricing::PriceBook;
use clawtower_engine::openclaw::OpenClawEnv;
use clawtower_engine::store::model_calls::ModelCall;
use serde_json::{json, Value};

use std::sync::Arc;

use clawtower_engine::budget::{run_budget_loop, BudgetEnforcer};
use clawtower_engine::notifier::{Notification, Notifier, NotifyError};
use clawtower_engine::pause::Pauser;
use clawtower_engine::period::now_local;

use crate::ledger;

/// `clawtower gateway …`
#[derive(Debug, Subcommand)]
pub enum GatewayCommand {
    /// Connect to the gateway and show its version, this connection's scopes and its health.
    Status(StatusArgs),
    /// Stay connected: store every model call the gateway announces (reconnecting as needed) and
    /// print each one, enforce budgets, until interrupted.
    Follow(FollowArgs),
}

/// Options of `clawtower gateway follow`.
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// Also print the live activity (runs started and ended, tools, cron runs, sub-agents) on
    /// stderr.
    #[arg(long)]
    activity: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Options of `clawtower gateway status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Which gateway, and how to authenticate (shared by every command that talks to one).
#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// Gateway URL (default: from openclaw.json, `ws://127.0.0.1:<port>/`).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Gateway token (default: OPENCLAW_GATEWAY_TOKEN, else openclaw.json). Prefer the env var:
    /// command-line arguments are visible to other users of the machine.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// OpenClaw's state dir (or a home containing `.openclaw`).
    #[arg(long, value_name = "DIR")]
    pub openclaw_home: Option<PathBuf>,
}

impl GatewayArgs {
    /// The gateway to talk to.
    pub fn target(&self) -> Target {
        let detected = Target::detect(&OpenClawEnv::from_process(), self.openclaw_home.as_deref());
        Target {
            url: self.url.clone().unwrap_or(detected.url),
            token: self.token.clone().or(detected.token),
        }
    }
}

/// This install's device identity (created on first use, 0600).
pub fn identity(data_dir: Option<&Path>) -> Result<DeviceIdentity, String> {
    let dir = ledger::data_dir(data_dir)?;
    DeviceIdentity::load_or_create(&dir.root().join(DEVICE_FILE)).map_err(|e| e.to_string())
}

/// A current-thread runtime for the gateway's async client.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// How long to wait for the gateway at each step.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Runs a gateway subcommand.
pub fn run(command: &GatewayCommand, data_dir: Option<&Path>) -> ExitCode {
    match command {
        GatewayCommand::Status(args) => status(args, data_dir),
        GatewayCommand::Follow(args) => follow(args, data_dir),
    }
}

fn status(args: &StatusArgs, data_dir: Option<&Path>) -> ExitCode {
    let target = args.gateway.target();
    let outcome = identity(data_dir)
        .map_err(|e| GatewayError::Protocol(format!("device identity: {e}")))
        .and_then(|identity| {
            let runtime = runtime().map_err(GatewayError::Protocol)?;
            runtime.block_on(connect_and_ask(&target, &identity))
        });
    let (report, ok) = match outcome {
        Ok(report) => (report, true),
        Err(error) => (
            json!({"url": target.url, "connected": false, "error": {"code": error.code(), "message": error.to_string()}}),
            false,
        ),
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", human(&report));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

async fn connect_and_ask(
    target: &Target,
    identity: &DeviceIdentity,
) -> Result<Value, GatewayError> {
    let client = GatewayClient::connect(target, identity, TIMEOUT).await?;
    let health = client.request("health", json!({}), TIMEOUT).await?;
    let hello = client.hello();
    Ok(json!({
        "url": client.url(),
        "connected": true,
        "server": {"version": hello.server_version, "protocol": hello.protocol},
        "auth": {"method": hello.auth_method, "scopes": hello.scopes, "deviceTokenIssued": hello.device_token.is_some()},
        "device": {"id": identity.id()},
        "methods": hello.methods.len(),
        "health": {"ok": health.get("ok").cloned().unwrap_or(Value::Null)},
    }))
}

fn human(report: &Value) -> String {
    if report["connected"] == true {
        let scopes: Vec<&str> = report["auth"]["scopes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        format!(
            "Connected to OpenClaw {} at {} (protocol {}).\n  auth: {}, scopes: {}\n  device: {}\n  health: {}\n",
            report["server"]["version"].as_str().unwrap_or("?"),
            report["url"].as_str().unwrap_or("?"),
            report["server"]["protocol"],
            report["auth"]["method"].as_str().unwrap_or("?"),
            scopes.join(", "),
            report["device"]["id"].as_str().unwrap_or("?"),
            if report["health"]["ok"] == true { "ok" } else { "not ok" },
        )
    } else {
        format!(
            "Not connected to {}: {}\n",
            report["url"].as_str().unwrap_or("?"),
            report["error"]["message"].as_str().unwrap_or("?")
        )
    }
}

fn follow(args: &FollowArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(follow_until_interrupted(args, data_dir))
}

fn follow_until_interrupted(args: &FollowArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let target = args.gateway.target();
    let identity = identity(data_dir)?;
    let show_activity = args.activity;
    let store = std::sync::Arc::new(ledger::open_store(data_dir)?);
    // Prices from the install's openclaw.json when there is one (a remote gateway may have none
    // here: then the bundled prices and the user's overrides).
    let book = match ledger::state_dir(args.gateway.openclaw_home.as_deref()) {
        Ok(state_dir) => ledger::price_book(&state_dir, data_dir)?,
        Err(_) => PriceBook::bundled()
            .with_overrides_file(&ledger::data_dir(data_dir)?.price_overrides())?,
    };
    let runtime = runtime()?;
    let (state_tx, mut state_rx) =
        tokio::sync::watch::channel(FeedState::Connecting { last_error: None });
    let (_stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let url = target.url.clone();
    // Budgets are enforced while following: each stored call wakes the budget loop.
    let pauser = Pauser::new(store.clone(), target.clone(), identity.clone());
    let enforcer = Arc::new(BudgetEnforcer::new(
        store.clone(),
        Arc::new(PrintedAlerts),
        Some(pauser),
    ));
    let (new_call, calls) = tokio::sync::watch::channel(());
    let (statuses, _) = tokio::sync::watch::channel(Default::default());
    let on_live = enforcer.clone();
    runtime.block_on(async move {
        tokio::spawn(async move {
            while state_rx.changed().await.is_ok() {
                match &*state_rx.borrow() {
                    live @ FeedState::Live { server_version, .. } => {
                        eprintln!("Following OpenClaw {server_version} at {url}…");
                        if !live.can_control() {
                            eprintln!("clawtower: connected read-only (no operator.admin): budgets alert but cannot pause");
                        }
                        on_live.spawn_reassert();
                    }
                    FeedState::Connecting {
                        last_error: Some(e),
                    } => eprintln!("clawtower: {e}; retrying"),
                    FeedState::Connecting { last_error: None } => {}
                }
            }
        });
        tokio::spawn(run_budget_loop(
            enforcer.clone(),
            calls,
            now_local,
            statuses,
        ));
        let activity = show_activity.then(|| {
            let (tx, mut rx) = tokio::sync::broadcast::channel::<Activity>(256);
            tokio::spawn(async move {
                while let Ok(item) = rx.recv().await {
                    let session = item.session_key.as_deref().unwrap_or("-");
                    eprintln!("· {session}: {}", item.summary);
                }
            });
            tx
        });
        let output = FeedOutput {
            store,
            book,
            on_call: move |call: &ModelCall| {
                println!("{}", ledger::call_line(call));
                new_call.send_replace(());
                enforcer.spawn_enforce(&call.agent_id, &call.session_key);
            },
            activity,
        };
        run_feed(target, identity, output, state_tx, stop_rx).await;
    });
    Ok(())
}

/// Alerts, printed to stderr (the CLI's "desktop").
struct PrintedAlerts;

impl Notifier for PrintedAlerts {
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        eprintln!("clawtower: {} — {}", notification.title, notification.body);
        Ok(())
    }
}
