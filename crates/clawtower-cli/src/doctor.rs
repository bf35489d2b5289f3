//! `clawtower doctor [--json] [--openclaw-home DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use clawtower_core::DataDir;
use clawtower_engine::doctor::{self, CheckStatus, DoctorInputs, DoctorReport, LedgerHealth};
use clawtower_openclaw::OpenClawEnv;
use clawtower_store::Store;

/// Options of `clawtower doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// OpenClaw's state dir (or a home dir containing `.openclaw`), instead of the usual lookup.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// How long `doctor` waits for the gateway's `/readyz`.
const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// Runs the checks and prints them.
pub fn run(args: &DoctorArgs, data_dir: Option<&std::path::Path>) -> ExitCode {
    let env = OpenClawEnv::from_process();
    let probe = |url: &str| doctor::probe_gateway(url, PROBE_TIMEOUT);
    let report = doctor::run(&DoctorInputs {
        env: &env,
        explicit_state_dir: args.openclaw_home.as_deref(),
        probe: &probe,
        ledger: existing_ledger(data_dir),
    });
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(err) => {
                eprintln!("clawtower: cannot encode the report: {err}");
                return ExitCode::from(1);
            }
        }
    } else {
        print!("{}", render(&report));
    }
    if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// The ledger's health, when a ledger already exists (doctor never creates one).
fn existing_ledger(data_dir: Option<&std::path::Path>) -> Option<LedgerHealth> {
    let database = DataDir::resolve(data_dir).ok()?.database();
    if !database.is_file() {
        return None;
    }
    match Store::open(&database).and_then(|store| LedgerHealth::read(&store)) {
        Ok(health) => Some(health),
        Err(err) => {
            eprintln!(
                "clawtower: cannot read the ledger at {}: {err}",
                database.display()
            );
            None
        }
    }
}

/// The human-readable report.
fn render(report: &DoctorReport) -> String {
    let mut out = String::from("Clawtower doctor\n\n");
    let width = report
        .checks
        .iter()
        .map(|c| c.title.len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Ok => "ok",
            CheckStatus::Warn => "warn",
            CheckStatus::Missing => "missing",
            CheckStatus::Error => "error",
        };
        out.push_str(&format!(
            "  [{mark:^7}] {:<width$}  {}\n",
            check.title, check.detail
        ));
        if let Some(hint) = &check.hint {
            out.push_str(&format!("  {:9} {:<width$}  → {hint}\n", "", ""));
        }
    }
    out.push('\n');
    out.push_str(if report.healthy() {
        "Everything Clawtower needs was found.\n"
    } else {
        "Some things are missing; see the hints above.\n"
    });
    out
}
