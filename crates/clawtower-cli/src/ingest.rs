//! `clawtower ingest [--openclaw-home DIR]`: one pass over an OpenClaw state dir into the ledger.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ledger;

/// Options of `clawtower ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// OpenClaw's state dir (or a home dir containing `.openclaw`); default: the one OpenClaw uses.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// Runs one import and prints what it did.
pub fn run(args: &IngestArgs, data_dir: Option<&std::path::Path>) -> ExitCode {
    let result = ledger::open_store(data_dir).and_then(|store| {
        let state = ledger::state_dir(args.openclaw_home.as_deref())?;
        let book = ledger::price_book(Some(&state), data_dir)?;
        ledger::ingest(&store, &state, &book, std::io::stderr().is_terminal()).map(|r| (state, r))
    });
    match result {
        Ok((state, report)) => {
            println!(
                "Imported {}: {}, {} with new lines, {}, {}, {} skipped.",
                state.display(),
                plural(report.agents, "agent"),
                plural(report.sources_read, "source"),
                plural(report.entries, "entry"),
                plural(report.new_calls, "new model call"),
                plural(report.skipped, "line"),
            );
            for (source, why) in &report.unreadable {
                eprintln!("clawtower: could not read {source} now ({why}); it will be retried");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("clawtower: {err}");
            ExitCode::from(1)
        }
    }
}

fn plural(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}
