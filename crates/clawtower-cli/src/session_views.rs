//! `clawtower sessions list|show|tree`: every session with its status and spend, a session's
//! whole timeline, and its sub-agent tree — from the ledger and OpenClaw's own transcripts
//! (read only; nothing needs the gateway).

use std::path::{Path, PathBuf};

use clap::Args;
use clawtower_core::money::group_thousands;
use clawtower_core::NanoUsd;
use clawtower_sessions::list::{
    list_sessions, SessionQuery, SessionRow, SessionSort, SessionStatus,
};
use clawtower_sessions::naming::SessionKindName;
use clawtower_sessions::timeline::export;
use clawtower_sessions::timeline::export::markdown;
use clawtower_sessions::tree::session_tree;
use clawtower_store::Store;

use clawtower_sessions::search::{index_pending, pending_count, IndexedTo};

use crate::days::DayArg;
use crate::ledger;
use crate::table::{columns, Align};

/// Where to read: the ledger in the data dir, and optionally an OpenClaw install to import first.
#[derive(Debug, Args)]
pub struct Source {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Import this OpenClaw state dir (or a home containing `.openclaw`) first; `show` reads its
    /// transcripts (default: the install OpenClaw itself would use).
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
}

/// `clawtower sessions list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this agent's sessions.
    #[arg(long)]
    agent: Option<String>,
    /// Only sessions active on or after this day (`YYYY-MM-DD`, `today`, `yesterday`, `7d`).
    #[arg(long, value_name = "DAY")]
    since: Option<DayArg>,
    /// Only sessions started on or before this day.
    #[arg(long, value_name = "DAY")]
    until: Option<DayArg>,
    /// Only sessions in this state.
    #[arg(long, value_enum)]
    status: Option<SessionStatus>,
    /// Only this kind of session.
    #[arg(long, value_enum)]
    kind: Option<SessionKindName>,
    /// Only sessions whose key or name holds this text, or in which it was said (any language;
    /// the message index is brought up to date first).
    #[arg(long)]
    search: Option<String>,
    /// Order (most first).
    #[arg(long, value_enum, default_value = "activity")]
    sort: SessionSort,
    /// How many (at most 500).
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    offset: u32,
    #[command(flatten)]
    source: Source,
}

/// `clawtower sessions show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    view: KeyView,
    /// Print a readable Markdown transcript.
    #[arg(long, conflicts_with = "json")]
    markdown: bool,
}

/// `clawtower sessions show|tree`.
#[derive(Debug, Args)]
pub struct KeyView {
    /// The session key (`agent:main:main`…).
    key: String,
    #[command(flatten)]
    source: Source,
}

/// Lists sessions.
pub fn list(args: &ListArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let store = open(&args.source, data_dir)?;
    if args.search.is_some() {
        if let Ok(state) = ledger::state_dir(args.source.openclaw_home.as_deref()) {
            let pending = store
                .read(|c| pending_count(c))
                .map_err(|e| e.to_string())?;
            if pending > 500 {
                eprintln!("Indexing what was said in {pending} sessions (once; later searches are instant)…");
            }
            let pass = index_pending(&state, &store, None, &|_| false, &IndexedTo::default())
                .map_err(|e| e.to_string())?;
            for (session, why) in &pass.failed {
                eprintln!("clawtower: cannot search the messages of {session}: {why}");
            }
        }
    }
    let tz = jiff::tz::TimeZone::system();
    let start_of = |day: &DayArg| -> Result<i64, String> {
        Ok(day
            .resolve(&tz)?
            .to_zoned(tz.clone())
            .map_err(|e| e.to_string())?
            .timestamp()
            .as_millisecond())
    };
    let end_of = |day: &DayArg| -> Result<i64, String> {
        let next = day.resolve(&tz)?.tomorrow().map_err(|e| e.to_string())?;
        Ok(next
            .to_zoned(tz.clone())
            .map_err(|e| e.to_string())?
            .timestamp()
            .as_millisecond())
    };
    let query = SessionQuery {
        agent: args.agent.clone(),
        status: args.status,
        kind: args.kind,
        search: args.search.clone(),
        since_ms: args.since.as_ref().map(start_of).transpose()?,
        until_ms: args.until.as_ref().map(end_of).transpose()?,
        sort: args.sort,
        offset: args.offset,
        limit: args.limit.max(1),
        ..SessionQuery::default()
    };
    let page = list_sessions(&store, &query).map_err(|e| e.to_string())?;
    if args.source.json {
        return print_json(&page);
    }
    if page.rows.is_empty() {
        println!("No sessions match. Import with `clawtower ingest`, or pass --openclaw-home.");
        return Ok(());
    }
    let mut rows = vec![vec![
        "agent".to_string(),
        "session".into(),
        "status".into(),
        "calls".into(),
        "tokens".into(),
        "cost".into(),
        "last activity".into(),
        "key".into(),
    ]];
    rows.extend(page.rows.iter().map(|r| {
        vec![
            r.agent_id.clone(),
            r.title.clone(),
            status_word(r.status).into(),
            group_thousands(r.calls),
            group_thousands(r.tokens),
            NanoUsd::from_usd(r.cost_usd).display(),
            r.last_activity_ms.map(when).unwrap_or_default(),
            r.key.clone(),
        ]
    }));
    print!("{}", columns(&rows, Align::Left, false));
    for row in page.rows.iter().filter(|r| r.said.is_some()) {
        println!("{}: “{}”", row.key, row.said.as_deref().unwrap_or_default());
    }
    let shown = u64::from(args.offset) + page.rows.len() as u64;
    if shown < page.total {
        println!(
            "{shown} of {} sessions; --offset {shown} for more.",
            page.total
        );
    }
    Ok(())
}

/// Prints a session's timeline.
pub fn show(args: &ShowArgs, data_dir: Option<&Path>) -> Result<(), String> {
    let store = open(&args.view.source, data_dir)?;
    let state = ledger::state_dir(args.view.source.openclaw_home.as_deref())?;
    let key = &args.view.key;
    let whole = export(&state, &store, key).map_err(|e| e.to_string())?;
    if args.view.source.json {
        return print_json(&whole);
    }
    if args.markdown {
        print!("{}", markdown(key, &whole));
        return Ok(());
    }
    if let Some(s) = &whole.session {
        println!(
            "{} · {} · {} · {} calls · {}",
            s.agent_id,
            s.title,
            status_word(s.status),
            group_thousands(s.calls),
            NanoUsd::from_usd(s.cost_usd).display()
        );
    }
    let mut generation = None;
    for entry in &whole.entries {
        if generation.as_ref() != Some(&entry.generation) {
            println!("── transcript {} ──", entry.generation);
            generation = Some(entry.generation.clone());
        }
        let time = entry.ts.map(when).unwrap_or_default();
        let head = match (&entry.tool, &entry.call) {
            (Some(tool), _) => format!("{} {}", entry.kind.label(), tool.name),
            (None, Some(call)) => format!(
                "{} {} · {} in / {} out · {}",
                entry.kind.label(),
                call.model,
                group_thousands(call.input_tokens + call.cache_read_tokens),
                group_thousands(call.output_tokens),
                call.cost_usd
                    .map_or("not billed here".into(), |c| NanoUsd::from_usd(c).display())
            ),
            (None, None) => entry.kind.label().to_string(),
        };
        println!("{time}  {head}");
        for line in entry.text.lines() {
            println!("    {line}");
        }
    }
    if whole.skipped > 0 {
        println!("{} lines could not be read.", whole.skipped);
    }
    Ok(())
}

/// Prints the sub-agent tree a session belongs to.
pub fn tree(args: &KeyView, data_dir: Option<&Path>) -> Result<(), String> {
    let store = open(&args.source, data_dir)?;
    let tree = session_tree(&store, &args.key).map_err(|e| e.to_string())?;
    if args.source.json {
        return print_json(&tree);
    }
    for node in &tree.nodes {
        let s: &SessionRow = &node.session;
        let mark = if s.key == tree.focus { "▸ " } else { "" };
        let below = if node.descendants > 0 {
            format!(
                " (with {} below: {})",
                node.descendants,
                NanoUsd::from_usd(node.rolled_up_cost_usd).display()
            )
        } else {
            String::new()
        };
        println!(
            "{}{mark}{} · {} · {}{below}  {}",
            "  ".repeat(node.depth as usize),
            s.title,
            status_word(s.status),
            NanoUsd::from_usd(s.cost_usd).display(),
            s.key
        );
        if let Some(run) = &node.announce {
            println!(
                "{}  reported back by an announce run in {}: {} call{} · {} (in that session's cost)",
                "  ".repeat(node.depth as usize),
                run.session_key,
                run.calls,
                if run.calls == 1 { "" } else { "s" },
                NanoUsd::from_usd(run.cost_usd).display()
            );
        }
    }
    Ok(())
}

fn open(source: &Source, data_dir: Option<&Path>) -> Result<Store, String> {
    ledger::open_store_imported(data_dir, source.openclaw_home.as_deref())
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| format!("cannot encode: {e}"))?;
    println!("{text}");
    Ok(())
}

fn status_word(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Running => "running",
        SessionStatus::Waiting => "waiting",
        SessionStatus::Done => "done",
        SessionStatus::Failed => "failed",
        SessionStatus::Aborted => "aborted",
        SessionStatus::Archived => "reset or deleted",
        SessionStatus::Unknown => "–",
    }
}

/// A local date and time, `YYYY-MM-DD HH:MM:SS`.
fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}
