//! `clawtower gateway status [--json]`: connects to each gateway (token or password + device
//! identity) and says what it found, or exactly what is wrong.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use clawtower_feeds::roster::FollowedGateway;
use clawtower_gateway::{DeviceIdentity, GatewayClient, GatewayError};
use serde_json::{json, Value};

use super::{identity, runtime, GatewayArgs, TIMEOUT};
use crate::ledger;

/// Options of `clawtower gateway status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON: `{"gateways": [...]}`, one object per gateway.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

/// Runs `clawtower gateway status`: exit 0 when every gateway answered, 2 otherwise.
pub fn status(args: &StatusArgs, data_dir: Option<&Path>) -> ExitCode {
    let gateways = match ledger::open_store(data_dir).and_then(|s| args.gateway.gateways(&s)) {
        Ok(gateways) => gateways,
        Err(e) => return crate::finish(Err(e)),
    };
    let reports = match identity(data_dir).and_then(|identity| {
        let runtime = runtime()?;
        Ok(runtime.block_on(ask_all(&gateways, &identity)))
    }) {
        Ok(reports) => reports,
        Err(e) => return crate::finish(Err(e)),
    };
    if args.json {
        let all = json!({ "gateways": reports });
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    } else if reports.is_empty() {
        println!("No OpenClaw gateway here: install OpenClaw, or add one with `clawtower gateway add URL`.");
    } else {
        reports.iter().for_each(|r| print!("{}", human(r)));
    }
    let all_connected = !reports.is_empty() && reports.iter().all(|r| r["connected"] == true);
    if all_connected {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// Asks every gateway at once; reports in the roster's order.
async fn ask_all(gateways: &[FollowedGateway], identity: &DeviceIdentity) -> Vec<Value> {
    let asks: Vec<_> = gateways
        .iter()
        .map(|gateway| {
            let (gateway, identity) = (gateway.clone(), identity.clone());
            tokio::spawn(async move { report(&gateway, &identity).await })
        })
        .collect();
    let mut reports = Vec::with_capacity(asks.len());
    for ask in asks {
        reports.push(ask.await.unwrap_or_else(|e| json!({"connected": false, "error": {"code": "PROTOCOL", "message": e.to_string()}})));
    }
    reports
}

async fn report(gateway: &FollowedGateway, identity: &DeviceIdentity) -> Value {
    let mut report = match connect_and_ask(gateway, identity).await {
        Ok(report) => report,
        Err(error) => json!({
            "connected": false,
            "error": {"code": error.code(), "message": error.to_string()},
        }),
    };
    let entry = &gateway.entry;
    report["id"] = json!(entry.id);
    report["name"] = json!(entry.name);
    report["url"] = json!(gateway.target.url);
    report["local"] = json!(entry.local);
    report["controlled"] = json!(entry.controlled);
    report["credential"] = json!(entry.credential);
    report
}

async fn connect_and_ask(
    gateway: &FollowedGateway,
    identity: &DeviceIdentity,
) -> Result<Value, GatewayError> {
    let client = GatewayClient::connect(&gateway.target, identity, TIMEOUT).await?;
    let health = client.request("health", json!({}), TIMEOUT).await?;
    let hello = client.hello();
    Ok(json!({
        "connected": true,
        "server": {"version": hello.server_version, "protocol": hello.protocol},
        "auth": {"method": hello.auth_method, "scopes": hello.scopes, "deviceTokenIssued": hello.device_token.is_some()},
        "device": {"id": identity.id()},
        "methods": hello.methods.len(),
        "health": {"ok": health.get("ok").cloned().unwrap_or(Value::Null)},
    }))
}

fn human(report: &Value) -> String {
    let title = format!(
        "{} ({}){}",
        report["name"].as_str().unwrap_or("?"),
        report["url"].as_str().unwrap_or("?"),
        if report["controlled"] == true {
            " — budgets pause this gateway"
        } else {
            ""
        }
    );
    if report["connected"] == true {
        let scopes: Vec<&str> = report["auth"]["scopes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        format!(
            "{title}\n  connected to OpenClaw {} (protocol {})\n  auth: {}, scopes: {}\n  device: {}\n  health: {}\n",
            report["server"]["version"].as_str().unwrap_or("?"),
            report["server"]["protocol"],
            report["auth"]["method"].as_str().unwrap_or("?"),
            scopes.join(", "),
            report["device"]["id"].as_str().unwrap_or("?"),
            if report["health"]["ok"] == true { "ok" } else { "not ok" },
        )
    } else {
        format!(
            "{title}\n  not connected: {}\n",
            report["error"]["message"].as_str().unwrap_or("?")
        )
    }
}
