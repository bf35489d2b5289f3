//! `clawtower gateway list|add|rm|login`: which gateways Clawtower follows, and the token or
//! password it sends to each. Secrets are typed at a hidden prompt (or piped on stdin), never
//! passed as arguments, and never printed.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use clawtower_core::period::now_local;
use clawtower_feeds::roster::{
    store, CredentialKind, GatewayCredential, GatewayDraft, LOCAL_GATEWAY_ID,
};
use clawtower_openclaw::OpenClawEnv;

use super::GatewayArgs;
use crate::ledger;

/// Options of `clawtower gateway list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gateway: GatewayArgs,
}

/// Which secret to ask for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Secret {
    /// The shared gateway token.
    Token,
    /// The gateway password.
    Password,
}

/// Options of `clawtower gateway add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// `ws://host:port/` or `wss://host/`.
    url: String,
    /// A name for people (default: the host).
    #[arg(long, default_value = "")]
    name: String,
    /// Ask for the gateway's token or password (hidden at a terminal, else the first line of
    /// stdin).
    #[arg(long, value_enum)]
    ask: Option<Secret>,
    /// Allow plain ws:// to a host that is not this machine or on a private network (the secret
    /// then crosses the network unencrypted).
    #[arg(long)]
    allow_unencrypted: bool,
    /// OpenClaw's state dir (or a home containing `.openclaw`), whose local gateway is followed
    /// already.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<std::path::PathBuf>,
}

/// Options of `clawtower gateway rm`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The gateway's id (`clawtower gateway list`).
    id: i64,
}

/// Options of `clawtower gateway login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The gateway's id (`clawtower gateway list`; 0 is the local gateway).
    id: i64,
    /// Ask for a token or a password (hidden at a terminal, else the first line of stdin).
    #[arg(long, value_enum, required_unless_present = "forget")]
    ask: Option<Secret>,
    /// Forget the entered credential (the local gateway goes back to openclaw.json's).
    #[arg(long, conflicts_with = "ask")]
    forget: bool,
}

/// Runs `clawtower gateway list`.
pub fn list(args: &ListArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let store = ledger::open_store(data_dir)?;
        let gateways = args.gateway.gateways(&store)?;
        let entries: Vec<_> = gateways.iter().map(|g| &g.entry).collect();
        if args.json {
            let text = serde_json::to_string_pretty(&entries).map_err(|e| e.to_string())?;
            println!("{text}");
            return Ok(());
        }
        if entries.is_empty() {
            println!("No OpenClaw gateway here: install OpenClaw, or add one with `clawtower gateway add URL`.");
        }
        for entry in entries {
            let auth = match entry.credential {
                Some(CredentialKind::Token) => "token",
                Some(CredentialKind::Password) => "password",
                None => "no token or password",
            };
            let pauses = if entry.controlled {
                ", budgets pause it"
            } else {
                ""
            };
            println!(
                "{:>3}  {}  {}  ({auth}{pauses})",
                entry.id, entry.name, entry.url
            );
        }
        Ok(())
    })())
}

/// Runs `clawtower gateway add`.
pub fn add(args: &AddArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let store = ledger::open_store(data_dir)?;
        let local = clawtower_feeds::roster::local_gateway(
            &OpenClawEnv::from_process(),
            args.openclaw_home.as_deref(),
        )
        .ok()
        .flatten();
        let draft = GatewayDraft {
            name: args.name.clone(),
            url: args.url.clone(),
            credential: args.ask.map(read_secret).transpose()?,
            allow_unencrypted: args.allow_unencrypted,
        };
        let now_ms = now_local().timestamp().as_millisecond();
        let id = store
            .with_conn(|c| store::add(c, &draft, local.as_ref().map(|t| t.url.as_str()), now_ms))
            .map_err(|e| e.to_string())?;
        println!("Added gateway {id}. `clawtower gateway status` connects to it.");
        Ok(())
    })())
}

/// Runs `clawtower gateway rm`.
pub fn remove(args: &RemoveArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let store = ledger::open_store(data_dir)?;
        let now_ms = now_local().timestamp().as_millisecond();
        store
            .with_conn(|c| store::remove(c, args.id, now_ms))
            .map_err(|e| e.to_string())?;
        println!("Removed gateway {}.", args.id);
        Ok(())
    })())
}

/// Runs `clawtower gateway login`.
pub fn login(args: &LoginArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let store = ledger::open_store(data_dir)?;
        let credential = args.ask.map(read_secret).transpose()?;
        let now_ms = now_local().timestamp().as_millisecond();
        store
            .with_conn(|c| store::set_credential(c, args.id, credential.as_ref(), now_ms))
            .map_err(|e| e.to_string())?;
        let which = if args.id == LOCAL_GATEWAY_ID {
            "the local gateway".to_string()
        } else {
            format!("gateway {}", args.id)
        };
        match credential {
            Some(_) => println!("Saved for {which}."),
            None => println!("Forgot the credential entered for {which}."),
        }
        Ok(())
    })())
}

/// Reads a secret: at a hidden prompt on a terminal, else the first line of stdin.
fn read_secret(kind: Secret) -> Result<GatewayCredential, String> {
    let (kind, label) = match kind {
        Secret::Token => (CredentialKind::Token, "Gateway token: "),
        Secret::Password => (CredentialKind::Password, "Gateway password: "),
    };
    let secret = crate::prompt::read_secret(label)?;
    Ok(GatewayCredential { kind, secret })
}
