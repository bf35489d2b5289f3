//! `clawtower sessions list|show|tree` (read from the ledger and the transcripts: see
//! [`crate::session_views`]) and `abort|reset|delete|label|kill`: session actions through the
//! local gateway's own RPCs.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use clawtower_lifecycle::session_actions::SessionChange;
use serde_json::json;

use crate::agents::{print as say, with_lifecycle, GatewayOnly};
use crate::session_views::{self, KeyView, ListArgs, ShowArgs};

/// `clawtower sessions list|show|tree|abort|reset|delete|label|kill`.
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Every session with its agent, status, calls, tokens, cost and last activity.
    List(ListArgs),
    /// A session's whole timeline: messages, thinking, tool calls with their results, model
    /// changes, compactions, errors; `--json` for `{"session", "entries": [{"id", "kind", "ts", …}]}`.
    Show(ShowArgs),
    /// The sub-agent tree a session belongs to, with costs rolled up to each parent.
    Tree(KeyView),
    /// Stop a session's running turn and its queued ones.
    Abort(KeyArgs),
    /// Start a new transcript for a session (OpenClaw keeps the old one).
    Reset(ConfirmedKey),
    /// Delete a session (OpenClaw archives its transcript; its calls stay in the ledger).
    Delete(ConfirmedKey),
    /// Label (or with an empty label, unlabel) a session; pin or unpin it; archive it in
    /// OpenClaw or bring it back.
    Label(LabelArgs),
    /// Kill a sub-agent: abort its session and every session it spawned.
    Kill(KeyArgs),
}

/// A session key.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The session key (`agent:main:main`…).
    key: String,
    #[command(flatten)]
    common: GatewayOnly,
}

/// A session key and the confirmation a destructive action needs.
#[derive(Debug, Args)]
pub struct ConfirmedKey {
    /// The session key.
    key: String,
    /// Yes, do it.
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    common: GatewayOnly,
}

/// `clawtower sessions label`.
#[derive(Debug, Args)]
pub struct LabelArgs {
    /// The session key.
    key: String,
    /// The label (empty: none).
    label: Option<String>,
    /// Pin it.
    #[arg(long, conflicts_with = "unpin")]
    pin: bool,
    /// Unpin it.
    #[arg(long)]
    unpin: bool,
    /// Archive it in OpenClaw (out of its default lists; nothing deleted).
    #[arg(long, conflicts_with = "unarchive")]
    archive: bool,
    /// Bring it back from OpenClaw's archive.
    #[arg(long)]
    unarchive: bool,
    #[command(flatten)]
    common: GatewayOnly,
}

/// Runs a `sessions` action.
pub fn run(command: &SessionsCommand, data_dir: Option<&Path>) -> ExitCode {
    let confirm = |c: &ConfirmedKey| {
        if c.yes {
            Ok(())
        } else {
            Err(format!(
                "this changes session {}: add --yes to go ahead",
                c.key
            ))
        }
    };
    crate::finish(match command {
        SessionsCommand::List(args) => session_views::list(args, data_dir),
        SessionsCommand::Show(args) => session_views::show(args, data_dir),
        SessionsCommand::Tree(args) => session_views::tree(args, data_dir),
        SessionsCommand::Abort(a) => with_lifecycle(&a.common.gateway, data_dir, async |l| {
            let ran = l.abort_session(&a.key).await?;
            let text = if ran {
                "Its run was stopped."
            } else {
                "Nothing was running."
            };
            say(a.common.json, json!({ "key": a.key, "aborted": ran }), text);
            Ok(())
        }),
        SessionsCommand::Reset(c) => confirm(c).and_then(|()| {
            with_lifecycle(&c.common.gateway, data_dir, async |l| {
                l.reset_session(&c.key).await?;
                say(
                    c.common.json,
                    json!({ "key": c.key, "reset": true }),
                    "A new transcript starts.",
                );
                Ok(())
            })
        }),
        SessionsCommand::Delete(c) => confirm(c).and_then(|()| {
            with_lifecycle(&c.common.gateway, data_dir, async |l| {
                l.delete_session(&c.key).await?;
                say(
                    c.common.json,
                    json!({ "key": c.key, "deleted": true }),
                    "Deleted; OpenClaw archived its transcript.",
                );
                Ok(())
            })
        }),
        SessionsCommand::Label(a) => with_lifecycle(&a.common.gateway, data_dir, async |l| {
            let change = SessionChange {
                label: a.label.clone(),
                pinned: (a.pin || a.unpin).then_some(a.pin),
                archived: (a.archive || a.unarchive).then_some(a.archive),
            };
            l.change_session(&a.key, &change).await?;
            let state = l.session_state(&a.key).await?;
            let text = match &state {
                Some(s) => {
                    let mut now = vec![match &s.label {
                        Some(label) => format!("labelled \u{201c}{label}\u{201d}"),
                        None => "no label".to_string(),
                    }];
                    now.extend(s.pinned.then(|| "pinned".to_string()));
                    now.extend(s.archived.then(|| "archived in OpenClaw".to_string()));
                    format!("Changed: now {}.", now.join(", "))
                }
                None => "Changed.".to_string(),
            };
            say(
                a.common.json,
                json!({ "key": a.key, "state": state }),
                &text,
            );
            Ok(())
        }),
        SessionsCommand::Kill(a) => with_lifecycle(&a.common.gateway, data_dir, async |l| {
            let stopped = l.kill_session(&a.key).await?;
            say(
                a.common.json,
                json!({ "key": a.key, "stopped": stopped }),
                &format!("{stopped} run(s) stopped."),
            );
            Ok(())
        }),
    })
}
