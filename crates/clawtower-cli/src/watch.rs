//! `clawtower watch [--openclaw-home DIR]`: follows OpenClaw live and prints each new model call
//! with its cost and today's running total, until interrupted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc};

use clap::Args;
use clawtower_core::money::{group_thousands, NanoUsd};
use clawtower_core::period::now_local;
use clawtower_ledger::record::LedgerWatcher;
use clawtower_ledger::report::summarize;
use clawtower_store::{model_calls, Store};

use crate::ledger;

/// Options of `clawtower watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// OpenClaw's state dir (or a home dir containing `.openclaw`); default: the one OpenClaw uses.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// "today $1.23 in 42 calls" (local day), or why it is not known.
fn today(store: &Store) -> String {
    match summarize(store, &now_local()) {
        Ok(s) => format!(
            "today {} in {} call{}",
            NanoUsd::from_usd(s.today_usd).display(),
            group_thousands(s.today_calls),
            if s.today_calls == 1 { "" } else { "s" }
        ),
        Err(err) => format!("today's total unknown ({err})"),
    }
}

/// Follows until the process is interrupted; every transaction is atomic, so Ctrl-C is safe.
pub fn run(args: &WatchArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(follow(args, data_dir))
}

fn follow(args: &WatchArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let store = Arc::new(ledger::open_store(data_dir)?);
    let state = ledger::state_dir(args.openclaw_home.as_deref())?;
    let book = ledger::price_book(Some(&state), data_dir)?;
    // Only calls that arrive from now on are printed; the first pass imports the backlog quietly.
    let mut printed_up_to = store
        .with_conn(|c| model_calls::last_rowid(c))
        .map_err(|e| e.to_string())?;
    let mut first_pass = true;
    let (done_tx, done_rx) = mpsc::channel::<String>();
    let printer = store.clone();
    let printer_for_banner = store.clone();
    let _watcher = LedgerWatcher::start(
        store,
        state.clone(),
        book,
        Box::new(move |pass| {
            let report = match pass {
                Ok(report) => report,
                Err(err) => {
                    let _ = done_tx.send(err.to_string());
                    return;
                }
            };
            for (source, why) in &report.unreadable {
                eprintln!("clawtower: could not read {source} now ({why}); retrying");
            }
            let calls = printer.with_conn(|c| model_calls::inserted_after(c, printed_up_to));
            match calls {
                Ok(calls) => {
                    if first_pass && !calls.is_empty() {
                        println!("Imported {} earlier model calls.", calls.len());
                    } else if let Some(((_, last), earlier)) = calls.split_last() {
                        earlier
                            .iter()
                            .for_each(|(_, call)| println!("{}", ledger::call_line(call)));
                        // The batch's last line carries the running total of today.
                        println!("{}  · {}", ledger::call_line(last), today(&printer));
                    }
                    if let Some((rowid, _)) = calls.last() {
                        printed_up_to = *rowid;
                    }
                }
                Err(err) => {
                    let _ = done_tx.send(err.to_string());
                }
            }
            first_pass = false;
        }),
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "Watching {} for model calls (Ctrl-C to stop); {}.",
        state.display(),
        today(&printer_for_banner)
    );
    // Returns only when the ledger store itself fails.
    Err(done_rx
        .recv()
        .unwrap_or_else(|_| "the watcher stopped".into()))
}
