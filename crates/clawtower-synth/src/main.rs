//! `clawtower-synth --out DIR [--size 100MB] [--sessions N] [--turns T] [--layout jsonl|sqlite] [--seed N]`: writes a
//! realistic OpenClaw state dir and prints the totals a reader must find, as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clawtower_synth::{generate, Layout, Spec};

/// Generates a synthetic OpenClaw state dir with known totals.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Where to write the state dir (created).
    #[arg(long)]
    out: PathBuf,
    /// Approximate transcript bytes: 500KB, 100MB, 2GB…
    #[arg(long, default_value = "100MB")]
    size: String,
    /// Storage layout.
    #[arg(long, value_enum, default_value = "jsonl")]
    layout: Layout,
    /// Seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Top-level sessions to write (default: as many as --size holds at 8 turns each).
    #[arg(long)]
    sessions: Option<u64>,
    /// Mean user turns per session.
    #[arg(long, default_value_t = 8)]
    turns: u32,
}

/// Roughly how many transcript bytes one top-level session (mean 8 turns, with its sub-agent
/// share) takes.
const BYTES_PER_SESSION: u64 = 300_000;

fn parse_size(text: &str) -> Option<u64> {
    let upper = text.trim().to_ascii_uppercase();
    let (number, unit) = upper.split_at(
        upper
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(upper.len()),
    );
    let factor = match unit {
        "" | "B" => 1,
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        _ => return None,
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| (n * factor as f64) as u64)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Some(bytes) = parse_size(&args.size) else {
        eprintln!(
            "clawtower-synth: cannot read --size {:?} (use e.g. 500KB, 100MB, 2GB)",
            args.size
        );
        return ExitCode::from(2);
    };
    let sessions = args.sessions.unwrap_or(bytes / BYTES_PER_SESSION).max(1);
    let agents = (sessions / 200).clamp(1, 20) as u32;
    let spec = Spec {
        layout: args.layout,
        agents,
        sessions_per_agent: (sessions / u64::from(agents)).max(1) as u32,
        turns_per_session: args.turns.max(1),
        seed: args.seed,
        start_ms: 1_795_230_000_000,
    };
    match generate(&args.out, &spec) {
        Ok(expected) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&expected).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("clawtower-synth: {err}");
            ExitCode::from(1)
        }
    }
}
