//! `clawtower gateway follow [--activity]`: the runtime the desktop app runs, headless — every
//! gateway Clawtower follows (openclaw.json re-read as in the app), their calls stored and
//! printed, the transcripts imported (unless `--gateway-only`), budgets enforced (alerts on
//! stderr).

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::Args;
use clawtower_control::alerts::{Notification, NotifyError};
use clawtower_feeds::feed::{ConnectionState, GatewayStatus};
use clawtower_runtime::{Event, GatewaySource, Host, Runtime, RuntimeOptions};
use clawtower_store::model_calls::ModelCall;

use super::GatewayArgs;
use crate::ledger;

/// Options of `clawtower gateway follow`.
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// Also print the live activity (runs started and ended, tools, cron runs, sub-agents) on
    /// stderr.
    #[arg(long)]
    activity: bool,
    /// Store only what the gateways announce: do not import the transcripts of the OpenClaw
    /// install here (the app and `clawtower serve` do both; a call seen both ways counts once).
    #[arg(long)]
    gateway_only: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Runs `clawtower gateway follow` until interrupted.
pub fn follow(args: &FollowArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(follow_until_interrupted(args, data_dir))
}

fn follow_until_interrupted(args: &FollowArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let data_dir = ledger::data_dir(data_dir)?;
    // `--url` or `--token` pin the gateway(s) for this run; otherwise the list follows
    // openclaw.json and `clawtower gateway add|rm` as the app's does.
    let gateways = if args.gateway.pins() {
        let store =
            clawtower_store::Store::open(&data_dir.database()).map_err(|e| e.to_string())?;
        GatewaySource::Only(args.gateway.gateways(&store)?)
    } else {
        GatewaySource::Followed
    };
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let host = Arc::new(PrintingHost {
        activity: args.activity,
        shown: Mutex::default(),
    });
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir,
            openclaw_home: args.gateway.openclaw_home.clone(),
            gateways,
            transcripts: !args.gateway_only,
            tokio: tokio.handle().clone(),
        },
        host,
    )
    .map_err(|e| e.to_string())?;
    if runtime.gateways().statuses().is_empty() {
        return Err("no OpenClaw gateway here: install OpenClaw, pass --url, or add one with `clawtower gateway add`".into());
    }
    tokio.block_on(std::future::pending::<()>());
    Ok(())
}

/// The CLI as the runtime's host: calls on stdout, connection changes, alerts and (with
/// `--activity`) live activity on stderr.
struct PrintingHost {
    activity: bool,
    /// Per gateway id, the state and message last printed.
    shown: Mutex<HashMap<i64, (ConnectionState, Option<String>)>>,
}

impl PrintingHost {
    fn print_changes(&self, all: &[GatewayStatus]) {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        for status in all {
            let now = (status.state, status.error_message.clone());
            if shown.get(&status.gateway.id) == Some(&now) {
                continue;
            }
            let url = &status.gateway.url;
            match status.state {
                ConnectionState::Live => {
                    let version = status.server_version.as_deref().unwrap_or("?");
                    eprintln!("Following OpenClaw {version} at {url}…");
                    if status.gateway.controlled && !status.can_control {
                        eprintln!("clawtower: {url}: connected read-only (no operator.admin): budgets alert but cannot pause");
                    }
                }
                ConnectionState::Error => {
                    let why = status.error_message.as_deref().unwrap_or("connection lost");
                    eprintln!("clawtower: {url}: {why}; retrying");
                }
                ConnectionState::Connecting => {}
            }
            shown.insert(status.gateway.id, now);
        }
    }
}

impl Host for PrintingHost {
    fn actor(&self) -> &'static str {
        "cli"
    }

    fn notify(&self, notification: &Notification) -> Result<(), NotifyError> {
        eprintln!("clawtower: {} — {}", notification.title, notification.body);
        Ok(())
    }

    fn emit(&self, event: &Event) {
        match event {
            Event::GatewaysChanged(all) => self.print_changes(all),
            Event::GatewayActivity(item) if self.activity => {
                let session = item.session_key.as_deref().unwrap_or("-");
                eprintln!("· {session}: {}", item.summary);
            }
            _ => {}
        }
    }

    fn call_stored(&self, call: &ModelCall) {
        println!("{}", ledger::call_line(call));
    }
}
