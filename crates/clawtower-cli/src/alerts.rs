//! `clawtower alerts list|ack` (the alert history) and `clawtower alerts sink add|list|rm|test`
//! (where alerts go besides the desktop).

use std::path::Path;
use std::process::ExitCode;

use crate::secret::Secret;
use clap::{Args, Subcommand, ValueEnum};
use clawtower_control::alerts::sinks::{SinkConfig, SinkDraft};
use clawtower_core::DataDir;
use clawtower_engine::Engine;
use serde_json::json;

use crate::ledger;

/// Environment variable a sink's secret is read from when `--secret` is not given (arguments
/// are visible to other users of the machine; the environment is not).
pub const SECRET_ENV: &str = "CLAWTOWER_SINK_SECRET";

/// `clawtower alerts …`
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// The latest alerts, newest first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge one alert, or all of them.
    Ack {
        /// Alert id (omit with --all).
        id: Option<i64>,
        /// Acknowledge every alert.
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
    /// Alert sinks: webhook, Slack, Discord, Telegram, ntfy, email.
    #[command(subcommand)]
    Sink(Box<SinkCommand>),
}

/// `clawtower alerts sink …`
#[derive(Debug, Subcommand)]
pub enum SinkCommand {
    /// Add a sink. Its secret (webhook URL, bot token, ntfy token or SMTP password) comes from
    /// --secret or the CLAWTOWER_SINK_SECRET environment variable.
    Add(Box<AddArgs>),
    /// List sinks (secrets are never shown).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a sink.
    Rm {
        /// Sink id.
        id: i64,
    },
    /// Send a test alert to a sink now.
    Test {
        /// Sink id.
        id: i64,
    },
}

/// Sink kinds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// POST the alert as JSON to --secret (the URL).
    Webhook,
    /// Slack incoming webhook (--secret is the webhook URL).
    Slack,
    /// Discord webhook (--secret is the webhook URL).
    Discord,
    /// Telegram bot (--secret is the bot token; --chat-id).
    Telegram,
    /// ntfy (--server, --topic; --secret is an optional access token).
    Ntfy,
    /// Email over SMTP (--host, --port, --security, --username, --from, --to; --secret is the password).
    Email,
}

/// Options of `clawtower alerts sink add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// What kind of sink.
    #[arg(long, value_enum)]
    kind: Kind,
    /// A name to show.
    #[arg(long, default_value = "")]
    name: String,
    /// The secret (prefer the CLAWTOWER_SINK_SECRET environment variable).
    #[arg(long)]
    secret: Option<Secret>,
    /// Minimum seconds between two alerts to this sink.
    #[arg(long, default_value_t = 0)]
    cooldown: u32,
    /// Allow private/loopback addresses (webhook, ntfy, email).
    #[arg(long)]
    allow_private: bool,
    /// Telegram chat id.
    #[arg(long)]
    chat_id: Option<String>,
    /// ntfy server.
    #[arg(long, default_value = "https://ntfy.sh")]
    server: String,
    /// ntfy topic.
    #[arg(long)]
    topic: Option<String>,
    /// SMTP host.
    #[arg(long)]
    host: Option<String>,
    /// SMTP port.
    #[arg(long, default_value_t = 587)]
    port: u16,
    /// starttls, tls or none.
    #[arg(long, default_value = "starttls")]
    security: String,
    /// SMTP user.
    #[arg(long)]
    username: Option<String>,
    /// Sender address.
    #[arg(long)]
    from: Option<String>,
    /// Recipient address.
    #[arg(long)]
    to: Option<String>,
    /// An HTTP proxy to send through (`http://proxy.corp:3128`; HTTP sinks only). The
    /// environment's proxy (HTTP_PROXY…) is never used.
    #[arg(long, value_name = "URL")]
    proxy: Option<Secret>,
}

/// Runs an alerts subcommand.
pub fn run(command: &AlertsCommand, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(engine(data_dir).and_then(|engine| execute(&engine, command)))
}

fn engine(data_dir: Option<&Path>) -> Result<Engine, String> {
    let dir: DataDir = ledger::data_dir(data_dir)?;
    Engine::open(dir).map_err(|e| e.to_string())
}

fn execute(engine: &Engine, command: &AlertsCommand) -> Result<(), String> {
    let e = |err: clawtower_core::EngineError| err.to_string();
    match command {
        AlertsCommand::List { json } => {
            let alerts = engine.alerts(100).map_err(e)?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "alerts": alerts })).unwrap_or_default()
                );
            } else if alerts.is_empty() {
                println!("No alerts yet.");
            } else {
                for a in &alerts {
                    let time = jiff::Timestamp::from_millisecond(a.ts_ms)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    let flags = format!(
                        "{}{}",
                        if a.acknowledged { "" } else { " (new)" },
                        if a.delivered {
                            ""
                        } else {
                            " (not shown on the desktop)"
                        }
                    );
                    println!("#{} {time} {}{flags}\n    {}", a.id, a.title, a.body);
                }
            }
        }
        AlertsCommand::Ack { id, all } => {
            if id.is_none() && !all {
                return Err("give an alert id or --all".into());
            }
            engine.acknowledge_alerts(*id).map_err(e)?;
        }
        AlertsCommand::Sink(command) => sink(engine, command)?,
    }
    Ok(())
}

fn sink(engine: &Engine, command: &SinkCommand) -> Result<(), String> {
    let e = |err: clawtower_core::EngineError| err.to_string();
    match command {
        SinkCommand::Add(args) => {
            let view = engine.add_alert_sink(&draft(args)?).map_err(e)?;
            println!(
                "Added sink #{} {} ({}: {})",
                view.id, view.name, view.kind, view.target
            );
        }
        SinkCommand::List { json } => {
            let sinks = engine.alert_sinks().map_err(e)?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "sinks": sinks })).unwrap_or_default()
                );
            } else if sinks.is_empty() {
                println!("No alert sinks: alerts go to the desktop only.");
            }
            for s in sinks.iter().filter(|_| !json) {
                let last = s
                    .last_error
                    .as_deref()
                    .map(|err| format!(", last delivery failed: {err}"))
                    .unwrap_or_default();
                let via = s
                    .proxy
                    .as_deref()
                    .map(|p| format!(" via {p}"))
                    .unwrap_or_default();
                println!(
                    "#{} {} ({}: {}{via}), cooldown {} s{last}",
                    s.id, s.name, s.kind, s.target, s.cooldown_secs
                );
            }
        }
        SinkCommand::Rm { id } => engine.remove_alert_sink(*id).map_err(e)?,
        SinkCommand::Test { id } => {
            engine.test_alert_sink(*id).map_err(e)??;
            println!("Test alert delivered to sink #{id}.");
        }
    }
    Ok(())
}

fn draft(args: &AddArgs) -> Result<SinkDraft, String> {
    let secret = args
        .secret
        .as_ref()
        .map(|s| s.expose().to_string())
        .or_else(|| std::env::var(SECRET_ENV).ok())
        .filter(|s| !s.is_empty());
    let required = |value: &Option<String>, what: &str| {
        value
            .clone()
            .ok_or(format!("--{what} is required for this kind"))
    };
    let need_secret = || {
        secret.clone().ok_or(format!(
            "the secret is required: pass --secret or set {SECRET_ENV}"
        ))
    };
    let config = match args.kind {
        Kind::Webhook => SinkConfig::Webhook {
            url: need_secret()?,
            allow_private: args.allow_private,
        },
        Kind::Slack => SinkConfig::Slack {
            webhook_url: need_secret()?,
        },
        Kind::Discord => SinkConfig::Discord {
            webhook_url: need_secret()?,
        },
        Kind::Telegram => SinkConfig::Telegram {
            bot_token: need_secret()?,
            chat_id: required(&args.chat_id, "chat-id")?,
        },
        Kind::Ntfy => SinkConfig::Ntfy {
            server: args.server.clone(),
            topic: required(&args.topic, "topic")?,
            token: secret.clone(),
            allow_private: args.allow_private,
        },
        Kind::Email => SinkConfig::Email {
            allow_private: args.allow_private,
            host: required(&args.host, "host")?,
            port: args.port,
            security: args.security.clone(),
            username: args.username.clone(),
            password: secret.clone(),
            from: required(&args.from, "from")?,
            to: required(&args.to, "to")?,
        },
    };
    Ok(SinkDraft {
        name: args.name.clone(),
        config,
        cooldown_secs: args.cooldown,
        proxy: args.proxy.as_ref().map(|p| p.expose().to_string()),
    })
}
