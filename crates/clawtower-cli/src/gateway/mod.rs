//! `clawtower gateway …`: the gateways Clawtower follows (the local one and any added by URL),
//! their state, and following them headless.

mod follow;
mod manage;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::secret::Secret;
use clap::{Args, Subcommand};
use clawtower_feeds::roster::address::canonical_url;
use clawtower_feeds::roster::{followed_here, FollowedGateway, GatewayEntry};
use clawtower_gateway::DEVICE_FILE;
use clawtower_gateway::{DeviceIdentity, GatewayClient, Target};
use clawtower_openclaw::OpenClawEnv;
use clawtower_store::Store;

use crate::ledger;

/// `clawtower gateway …`
#[derive(Debug, Subcommand)]
pub enum GatewayCommand {
    /// Connect to each gateway and show its version, this connection's scopes and its health.
    Status(status::StatusArgs),
    /// Stay connected to every gateway: store every model call they announce (reconnecting as
    /// needed) and print each one, enforce budgets, until interrupted.
    Follow(follow::FollowArgs),
    /// List the gateways Clawtower follows (without connecting).
    List(manage::ListArgs),
    /// Follow another gateway, by URL (asks for its token or password).
    Add(manage::AddArgs),
    /// Stop following a gateway added by URL.
    Rm(manage::RemoveArgs),
    /// Enter (or forget) the token or password Clawtower sends to a gateway.
    Login(manage::LoginArgs),
}

/// Which gateway, and how to authenticate (shared by every command that talks to one).
#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// Gateway URL (default: every gateway Clawtower follows; for control commands, the one
    /// budgets pause).
    #[arg(long, value_name = "URL", visible_alias = "gateway")]
    pub url: Option<String>,
    /// Gateway token (default: the one entered with `gateway add`/`login`, else
    /// OPENCLAW_GATEWAY_TOKEN, else openclaw.json). Prefer those: command-line arguments are
    /// visible to other users of the machine.
    #[arg(long, value_name = "TOKEN")]
    token: Option<Secret>,
    /// OpenClaw's state dir (or a home containing `.openclaw`).
    #[arg(long, value_name = "DIR")]
    pub openclaw_home: Option<PathBuf>,
}

impl GatewayArgs {
    /// The gateways to talk to: the one given by `--url`, else every followed one (local first).
    /// `--token` goes only where it was meant: the `--url` gateway, else the local one.
    pub fn gateways(&self, store: &Store) -> Result<Vec<FollowedGateway>, String> {
        let env = OpenClawEnv::from_process();
        let mut followed =
            followed_here(store, &env, self.openclaw_home.as_deref()).map_err(|e| e.to_string())?;
        let Some(url) = &self.url else {
            if let Some(token) = &self.token {
                let local = followed.iter_mut().find(|g| g.entry.local).ok_or(
                    "--token is for the local gateway and there is none here: pass --url too",
                )?;
                local.target.token = Some(token.expose().to_string());
                local.target.password = None;
            }
            return Ok(followed);
        };
        // The same checks as `gateway add`; a gateway Clawtower does not follow gets no stored
        // credential (the local one's must not go to a host the user merely named).
        let url = canonical_url(url, false).map_err(|e| e.to_string())?;
        let known = followed.into_iter().find(|g| g.target.url == url);
        let mut gateway = known.unwrap_or_else(|| FollowedGateway {
            entry: GatewayEntry {
                id: -1,
                name: "given with --url".into(),
                url: url.clone(),
                local: false,
                credential: None,
                credential_entered: false,
                controlled: true,
            },
            target: Target::new(url.clone(), None),
        });
        if let Some(token) = &self.token {
            gateway.target.token = Some(token.expose().to_string());
            gateway.target.password = None;
        }
        gateway.entry.controlled = true;
        Ok(vec![gateway])
    }

    /// Whether `--url` or `--token` pin the gateways for this run (else they are followed as
    /// configured).
    pub fn pins(&self) -> bool {
        self.url.is_some() || self.token.is_some()
    }

    /// The gateway a control command acts on: `--url`, else the one budgets pause.
    pub fn target(&self, store: &Store) -> Result<Target, String> {
        self.gateways(store)?
            .into_iter()
            .find(|g| g.entry.controlled)
            .map(|g| g.target)
            .ok_or_else(|| {
                "no OpenClaw gateway here: install OpenClaw, pass --url, or add one with `clawtower gateway add`".into()
            })
    }
}

/// This install's device identity (created on first use, 0600).
pub fn identity(data_dir: Option<&Path>) -> Result<DeviceIdentity, String> {
    let dir = ledger::data_dir(data_dir)?;
    DeviceIdentity::load_or_create(&dir.root().join(DEVICE_FILE)).map_err(|e| e.to_string())
}

/// Connects to the gateway control commands act on (`--url`, else the one budgets pause) and
/// runs `work` with the connection, the ledger and the gateway's address.
pub fn with_control_client<T>(
    gateway: &GatewayArgs,
    data_dir: Option<&Path>,
    work: impl AsyncFnOnce(&GatewayClient, &Store, &Target) -> Result<T, String>,
) -> Result<T, String> {
    let store = ledger::open_store(data_dir)?;
    let target = gateway.target(&store)?;
    let identity = identity(data_dir)?;
    runtime()?.block_on(async {
        let client = GatewayClient::connect(&target, &identity, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        work(&client, &store, &target).await
    })
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
        GatewayCommand::Status(args) => status::status(args, data_dir),
        GatewayCommand::Follow(args) => follow::follow(args, data_dir),
        GatewayCommand::List(args) => manage::list(args, data_dir),
        GatewayCommand::Add(args) => manage::add(args, data_dir),
        GatewayCommand::Rm(args) => manage::remove(args, data_dir),
        GatewayCommand::Login(args) => manage::login(args, data_dir),
    }
}
