//! `clawtower`: the command-line face of the Clawtower engine (no webview needed).

mod agents;
mod alerts;
mod anomaly;
mod budget;
mod crons;
mod crosscheck;
mod days;
mod doctor;
mod gateway;
mod ingest;
mod ledger;
mod output;
mod prompt;
mod provider_key;
mod report;
mod router;
mod secret;
mod serve;
mod session_views;
mod sessions;
mod table;
mod usage;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Clawtower: spend, sessions and budgets for OpenClaw agents.
#[derive(Debug, Parser)]
#[command(name = "clawtower", version, about, propagate_version = true)]
struct Cli {
    /// Clawtower's data directory (default: $CLAWTOWER_DATA_DIR, else ~/.local/share/clawtower).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find the OpenClaw install (state dir, config, gateway, storage, agents) and say what is missing.
    ///
    /// Exit status: 0 when nothing is missing or broken (warnings allowed), 2 otherwise.
    Doctor(doctor::DoctorArgs),
    /// Import an OpenClaw state dir into the ledger (only what is new since the last import).
    Ingest(ingest::IngestArgs),
    /// Spend from the ledger by day, week, month, session, agent or model.
    Report(report::ReportArgs),
    /// Where the money went in a window: per agent, model, provider, session and cron job, with
    /// cache savings, unpriced tokens and a "what if" price (the app's Usage page).
    Usage(usage::UsageArgs),
    /// The OpenClaw gateway connection.
    #[command(subcommand)]
    Gateway(gateway::GatewayCommand),
    /// Follow OpenClaw live: import new transcript lines as they are written and print each call.
    Watch(watch::WatchArgs),
    /// Budgets: limits per day, week, month or rolling hours that alert and pause.
    #[command(subcommand)]
    Budget(budget::BudgetCommand),
    /// Pause the gateway now (cron, heartbeats and channels off, running turns aborted).
    Pause(budget::PauseArgs),
    /// Undo every pause: put back exactly what it turned off.
    Resume(budget::PauseArgs),
    /// The alert history, and where alerts go (webhook, Slack, Discord, Telegram, ntfy, email).
    #[command(subcommand)]
    Alerts(alerts::AlertsCommand),
    /// Compare the ledger with OpenClaw's own usage.cost for the same days (exit 2 if they differ).
    Crosscheck(crosscheck::CrosscheckArgs),
    /// Anomaly rules: runaway tool loops, token and error spikes, long runs, costly sessions.
    #[command(subcommand)]
    Anomaly(anomaly::AnomalyCommand),
    /// Run Clawtower headless (ledger, gateways, budgets, alerts) with its UI in a browser.
    Serve(serve::ServeArgs),
    /// Print the API token `clawtower serve` requires (`--rotate`: make a new one).
    Token(serve::TokenArgs),
    /// Run the model router: one local OpenAI- and Anthropic-compatible endpoint, metered.
    Router(router::RouterArgs),
    /// The router's virtual keys (one per agent): create, list, revoke.
    #[command(subcommand)]
    Keys(router::KeysCommand),
    /// Agents: list, create, edit, archive (recoverable), restore, purge, and the audit log.
    #[command(subcommand)]
    Agents(agents::AgentsCommand),
    /// Cron jobs: list, add, edit, enable, disable, run now, rm, and each job's runs with cost.
    #[command(subcommand)]
    Cron(crons::CronCommand),
    /// Session actions: abort, reset, delete, label or pin, kill a sub-agent with its children.
    #[command(subcommand)]
    Sessions(sessions::SessionsCommand),
}

fn main() -> ExitCode {
    // Output piped into `head` and closed early ends the process quietly, as for any Unix tool,
    // instead of a panic on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Two malloc arenas instead of one per thread (glibc's default allows eight per core): the
    // router and `serve` answer from a few tokio threads, and each arena of its own kept memory
    // that the others could have reused — measured 2 MB of the router's peak under load.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a malloc tuning call made before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Doctor(args) => doctor::run(&args, cli.data_dir.as_deref()),
        Command::Ingest(args) => ingest::run(&args, cli.data_dir.as_deref()),
        Command::Report(args) => report::run(&args, cli.data_dir.as_deref()),
        Command::Usage(args) => usage::run(&args, cli.data_dir.as_deref()),
        Command::Watch(args) => watch::run(&args, cli.data_dir.as_deref()),
        Command::Gateway(command) => gateway::run(&command, cli.data_dir.as_deref()),
        Command::Budget(command) => budget::run(&command, cli.data_dir.as_deref()),
        Command::Pause(args) => budget::pause(&args, cli.data_dir.as_deref()),
        Command::Resume(args) => budget::resume(&args, cli.data_dir.as_deref()),
        Command::Alerts(command) => alerts::run(&command, cli.data_dir.as_deref()),
        Command::Anomaly(command) => anomaly::run(&command, cli.data_dir.as_deref()),
        Command::Crosscheck(args) => crosscheck::run(&args, cli.data_dir.as_deref()),
        Command::Serve(args) => serve::serve(&args, cli.data_dir.as_deref()),
        Command::Token(args) => serve::token(&args, cli.data_dir.as_deref()),
        Command::Router(args) => router::run(&args, cli.data_dir.as_deref()),
        Command::Keys(command) => router::keys(&command, cli.data_dir.as_deref()),
        Command::Agents(command) => agents::run(&command, cli.data_dir.as_deref()),
        Command::Cron(command) => crons::run(&command, cli.data_dir.as_deref()),
        Command::Sessions(command) => sessions::run(&command, cli.data_dir.as_deref()),
    }
}

/// Log lines on stderr for the long-running commands (`CLAWTOWER_LOG` filters, default info).
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CLAWTOWER_LOG")
        .unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Exit status of a command: 0, or 1 with the error on stderr.
pub(crate) fn finish(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("clawtower: {err}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every subcommand's arguments are well formed (clap checks this only when one is used).
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
