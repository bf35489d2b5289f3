//! `clawtower gateway …`: the gateways Clawtower follows (the local one and any added by URL),
//! their state, and following them headless.

mod follow;
mod manage;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use clawtower_engine::gateway::device::DEVICE_FILE;
use clawtower_engine::gateway::{DeviceIdentity, Target};
use clawtower_engine::gateways::{followed_here, FollowedGateway, GatewayEntry};
use clawtower_engine::openclaw::OpenClawEnv;
use clawtower_engine::store::Store;

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
    url: Option<String>,
    /// Gateway token (default: the one entered with `gateway add`/`login`, else
    /// OPENCLAW_GATEWAY_TOKEN, else openclaw.json). Prefer those: command-line arguments are
    /// visible to other users of the machine.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// OpenClaw's state dir (or a home containing `.openclaw`).
    #[arg(long, value_name = "DIR")]
    pub openclaw_home: Option<PathBuf>,
}

impl GatewayArgs {
    /// The gateways to talk to: the one given by `--url`, else every followed one (local first).
    pub fn gateways(&self, store: &Store) -> Result<Vec<FollowedGateway>, String> {
        let env = OpenClawEnv::from_process();
        let followed =
            followed_here(store, &env, self.openclaw_home.as_deref()).map_err(|e| e.to_string())?;
        let Some(url) = &self.url else {
            // A --token alone is for the gateway control commands act on (the local one).
            let mut followed = followed;
            if let Some(first) = followed.first_mut().filter(|_| self.token.is_some()) {
                first.target.token = self.token.clone();
                first.target.password = None;
            }
            return Ok(followed);
        };
        let known = followed.into_iter().find(|g| same_url(&g.target.url, url));
        let mut gateway = known.unwrap_or_else(|| {
            let detected = Target::detect(&env, self.openclaw_home.as_deref());
            FollowedGateway {
                entry: GatewayEntry {
                    id: -1,
                    name: "given with --url".into(),
                    url: url.clone(),
                    local: false,
                    credential: None,
                    controlled: true,
                },
                target: Target {
                    url: url.clone(),
                    ..detected
                },
            }
        });
        if let Some(token) = &self.token {
            gateway.target.token = Some(token.clone());
            gateway.target.password = None;
        }
        gateway.entry.controlled = true;
        Ok(vec![gateway])
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

/// Whether two gateway URLs name the same endpoint (trailing slash and case aside).
fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
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
        GatewayCommand::Status(args) => status::status(args, data_dir),
        GatewayCommand::Follow(args) => follow::follow(args, data_dir),
        GatewayCommand::List(args) => manage::list(args, data_dir),
        GatewayCommand::Add(args) => manage::add(args, data_dir),
        GatewayCommand::Rm(args) => manage::remove(args, data_dir),
        GatewayCommand::Login(args) => manage::login(args, data_dir),
    }
}
