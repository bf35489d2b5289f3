//! The sub-agent tree: who spawned whom (`spawnedBy`), from the topmost session down, with each
//! node's spend rolled up over everything below it and the task each sub-agent was given.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use clawtower_core::error::{EngineError, Result};
use clawtower_core::NanoUsd;
use clawtower_store::Store;

use rusqlite::OptionalExtension;

use crate::rows::add_models;
use crate::rows::session_rows;
use crate::view::SessionRow;

/// One session in the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    /// The session (its own calls, tokens and cost).
    pub session: SessionRow,
    /// 0 for the root, 1 for what it spawned…
    pub depth: u32,
    /// Its parent in the tree.
    pub parent: Option<String>,
    /// Its cost and everything below it, USD.
    pub rolled_up_cost_usd: f64,
    /// Its billed tokens and everything below it.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub rolled_up_tokens: u64,
    /// Sessions below it.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub descendants: u64,
    /// The task a sub-agent was given, as OpenClaw recorded it (`None` when it did not, or no
    /// longer does and the ledger never read it).
    pub task: Option<String>,
    /// The run its parent made to report it once it finished (OpenClaw's announce run), when the
    /// ledger holds calls of one.
    pub announce: Option<AnnounceRun>,
}

/// The calls of an announce run: OpenClaw's run in a parent session that reports a finished
/// sub-agent. They are the parent's own calls (in its cost, not in the sub-agent's roll-up).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AnnounceRun {
    /// The session it ran in (the parent).
    pub session_key: String,
    /// Its model calls.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub calls: u64,
    /// Their billed tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: u64,
    /// Their cost, USD.
    pub cost_usd: f64,
    /// When its last call ended, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub ended_ms: i64,
}

/// A session's whole tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionTree {
    /// The session asked about.
    pub focus: String,
    /// Every node, depth first (a parent before its children, children by start).
    pub nodes: Vec<TreeNode>,
}

/// The tree `key` belongs to, from its topmost ancestor; `NOT_FOUND` for an unknown session.
pub fn session_tree(store: &Store, key: &str) -> Result<SessionTree> {
    let rows: HashMap<String, SessionRow> = store
        .read(|conn| session_rows(conn, &lineage(conn, key)?))?
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    if !rows.contains_key(key) {
        return Err(EngineError::NotFound(format!("session {key}")));
    }
    let mut root = key.to_string();
    let mut seen = HashSet::from([root.clone()]);
    while let Some(parent) = rows.get(&root).and_then(|r| r.spawned_by.clone()) {
        if !rows.contains_key(&parent) || !seen.insert(parent.clone()) {
            break;
        }
        root = parent;
    }
    let mut children: HashMap<&str, Vec<&SessionRow>> = HashMap::new();
    for row in rows.values() {
        if let Some(parent) = row.spawned_by.as_deref() {
            children.entry(parent).or_default().push(row);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| {
            a.started_ms
                .cmp(&b.started_ms)
                .then_with(|| a.key.cmp(&b.key))
        });
    }
    let mut nodes = Vec::new();
    let mut placed = HashSet::new();
    place(&rows[&root], None, 0, &children, &mut placed, &mut nodes);
    store.read(|conn| {
        let mut sessions: Vec<SessionRow> = nodes.iter().map(|n| n.session.clone()).collect();
        add_models(conn, &mut sessions)?;
        let mut task =
            conn.prepare_cached("SELECT task FROM spawned_tasks WHERE session_key = ?1")?;
        for (node, session) in nodes.iter_mut().zip(sessions) {
            node.session.models = session.models;
            node.task = task
                .query_row([&node.session.key], |r| r.get(0))
                .optional()?;
            node.announce = announce_run(conn, &node.session.key)?;
        }
        Ok(())
    })?;
    Ok(SessionTree {
        focus: key.to_string(),
        nodes,
    })
}

/// The announce run that reported sub-agent `key`, from the ledger's calls.
fn announce_run(conn: &rusqlite::Connection, key: &str) -> Result<Option<AnnounceRun>> {
    let mut stmt = conn.prepare_cached(
        "SELECT session_key, COUNT(*), ssum(input_tokens + output_tokens + cache_read_tokens
                + cache_write_tokens), ssum(cost_nanousd), MAX(ts_ms)
         FROM model_calls WHERE announces = ?1 GROUP BY session_key ORDER BY MAX(ts_ms) DESC
         LIMIT 1",
    )?;
    Ok(stmt
        .query_row([key], |r| {
            Ok(AnnounceRun {
                session_key: r.get(0)?,
                calls: r.get::<_, i64>(1)?.max(0) as u64,
                tokens: r.get::<_, i64>(2)?.max(0) as u64,
                cost_usd: NanoUsd(r.get(3)?).as_usd(),
                ended_ms: r.get(4)?,
            })
        })
        .optional()?)
}

/// The keys of the whole tree `key` belongs to: its topmost ancestor (following `spawnedBy`,
/// a cycle cut where it closes) and everything that one spawned, at any depth.
fn lineage(conn: &rusqlite::Connection, key: &str) -> Result<Vec<String>> {
    let mut root = key.to_string();
    let mut seen = HashSet::from([root.clone()]);
    let mut up = conn.prepare_cached(
        "SELECT p.session_key FROM sessions c JOIN sessions p ON p.session_key = c.spawned_by
         WHERE c.session_key = ?1",
    )?;
    while let Some(parent) = up
        .query_row([&root], |r| r.get::<_, String>(0))
        .optional()?
    {
        if !seen.insert(parent.clone()) {
            break;
        }
        root = parent;
    }
    // UNION (not UNION ALL): a session met again ends that branch, so a cycle cannot loop.
    let mut down = conn.prepare_cached(
        "WITH RECURSIVE tree(key) AS (
           SELECT ?1 UNION SELECT s.session_key FROM sessions s JOIN tree t ON s.spawned_by = t.key
         ) SELECT key FROM tree",
    )?;
    let keys = down
        .query_map([&root], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(keys)
}

/// Adds `row` and its subtree (depth first); returns the subtree's cost, tokens and size.
fn place(
    row: &SessionRow,
    parent: Option<&str>,
    depth: u32,
    children: &HashMap<&str, Vec<&SessionRow>>,
    placed: &mut HashSet<String>,
    nodes: &mut Vec<TreeNode>,
) -> (f64, u64, u64) {
    placed.insert(row.key.clone());
    let at = nodes.len();
    nodes.push(TreeNode {
        session: row.clone(),
        depth,
        parent: parent.map(String::from),
        rolled_up_cost_usd: 0.0,
        rolled_up_tokens: 0,
        descendants: 0,
        task: None,
        announce: None,
    });
    let (mut cost, mut tokens, mut size) = (row.cost_usd, row.tokens, 0);
    for child in children.get(row.key.as_str()).into_iter().flatten() {
        // A cycle in `spawnedBy` (never written by OpenClaw, but possible in a damaged store)
        // is cut where it closes.
        if placed.contains(&child.key) {
            continue;
        }
        let (c, t, n) = place(child, Some(&row.key), depth + 1, children, placed, nodes);
        cost += c;
        tokens = tokens.saturating_add(t);
        size += n + 1;
    }
    let node = &mut nodes[at];
    node.rolled_up_cost_usd = cost;
    node.rolled_up_tokens = tokens;
    node.descendants = size;
    (cost, tokens, size)
}
