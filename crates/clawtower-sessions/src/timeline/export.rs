//! A session exported whole: JSON (`{"session", "generations", "entries", "skipped"}`, the
//! shape of `clawtower sessions show --json`) or Markdown for people.

use std::fmt::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::line::{EntryKind, TimelineEntry};
use super::read::{read_timeline, Generation};
use crate::rows::session_row;
use crate::view::SessionRow;
use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::group_thousands;
use clawtower_core::NanoUsd;
use clawtower_store::Store;

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// Everything, as JSON.
    Json,
    /// A readable transcript.
    Markdown,
}

/// A session with its whole timeline (no text cut).
#[derive(Debug, Clone, Serialize)]
pub struct SessionExport {
    /// The session, when the ledger or OpenClaw lists it.
    pub session: Option<SessionRow>,
    /// Its transcript generations.
    pub generations: Vec<Generation>,
    /// Every entry.
    pub entries: Vec<TimelineEntry>,
    /// Lines that could not be read.
    pub skipped: u64,
}

/// Reads `session_key` whole.
pub fn export(state_dir: &Path, store: &Store, session_key: &str) -> Result<SessionExport> {
    let timeline = read_timeline(state_dir, store, session_key, false)?;
    Ok(SessionExport {
        session: session_row(store, session_key).ok(),
        generations: timeline.generations,
        entries: timeline.entries,
        skipped: timeline.skipped,
    })
}

/// `session_key` exported as `format`.
pub fn export_text(
    state_dir: &Path,
    store: &Store,
    session_key: &str,
    format: ExportFormat,
) -> Result<String> {
    let whole = export(state_dir, store, session_key)?;
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(&whole)
            .map_err(|e| EngineError::InvalidInput(format!("cannot encode the session: {e}"))),
        ExportFormat::Markdown => Ok(markdown(session_key, &whole)),
    }
}

/// A readable transcript: a heading per generation, one section per entry.
pub fn markdown(session_key: &str, whole: &SessionExport) -> String {
    let mut out = String::new();
    let title = whole.session.as_ref().map_or(session_key.to_string(), |s| {
        format!("{} · {}", s.agent_id, s.title)
    });
    let _ = writeln!(out, "# {title}\n\n`{session_key}`\n");
    if let Some(s) = &whole.session {
        let _ = writeln!(
            out,
            "{} calls · {} tokens · {}\n",
            group_thousands(s.calls),
            group_thousands(s.tokens),
            NanoUsd::from_usd(s.cost_usd).display()
        );
    }
    let mut generation = "";
    for entry in &whole.entries {
        if entry.generation != generation {
            generation = &entry.generation;
            let _ = writeln!(out, "## Transcript {generation}\n");
        }
        let time = entry
            .ts
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default();
        let mut head = format!("### {} · {time}", entry.kind.label());
        if let Some(tool) = &entry.tool {
            let _ = write!(head, " · `{}`", tool.name);
        }
        if let Some(call) = &entry.call {
            let cost = call
                .cost_usd
                .map_or("not billed here".into(), |c| NanoUsd::from_usd(c).display());
            let _ = write!(
                head,
                " · {} · {} in, {} out · {cost}",
                call.model,
                group_thousands(
                    call.input_tokens + call.cache_read_tokens + call.cache_write_tokens
                ),
                group_thousands(call.output_tokens)
            );
        }
        let _ = writeln!(out, "{head}\n");
        if entry.text.is_empty() {
            continue;
        }
        match entry.kind {
            EntryKind::User | EntryKind::Assistant => {
                let _ = writeln!(out, "{}\n", entry.text);
            }
            EntryKind::Thinking => {
                for line in entry.text.lines() {
                    let _ = writeln!(out, "> {line}");
                }
                out.push('\n');
            }
            _ => {
                let fence = fence_for(&entry.text);
                let _ = writeln!(out, "{fence}\n{}\n{fence}\n", entry.text);
            }
        }
    }
    out
}

/// A code fence longer than any run of backticks in `text`, so the text cannot close it.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_never_closed_by_the_text_it_holds() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("`````"), "``````");
    }
}
