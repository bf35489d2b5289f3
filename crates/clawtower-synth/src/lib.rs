//! Realistic, deterministic OpenClaw state dirs with known totals.
//!
//! Lines have the shapes of real OpenClaw 2026.x transcripts: a session header, model changes,
//! user turns, assistant calls with (sometimes very long) thinking, multi-line text and tool
//! calls, tool results with a heavy-tailed size (most a few kB, some 50–400 kB), custom entries
//! and compactions. Sessions have a heavy-tailed length (thousands of short ones, a few of up to
//! ~20,000 lines); there are sub-agents, cron runs, deleted `.zst` archives, reset archives
//! (`<sessionId>.jsonl.reset.<ts>`, legacy) or reset windows (SQLite), compaction checkpoint
//! copies (`<sessionId>.checkpoint.<uuid>.jsonl`, legacy: a byte copy of the transcript's first
//! lines, so they duplicate entries of the live or archived transcript and must not be counted),
//! provider-billed calls (OpenRouter-like: `usage.cost.total` is the provider's charge),
//! unpriced calls, calls of an older writer without `usage.cost`, aborted runs and provider
//! errors. Every model call's usage and cost is known, so a reader's totals can be checked
//! exactly (see [`Expected`]).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::{json, Map, Value};

mod rng;
mod text;

use rng::Rng;

/// The real 2026.9.6 agent-DB tables Clawtower reads (shared with the engine's golden test).
const AGENT_TABLES_SQL: &str =
    include_str!("../../../tests/fixtures/openclaw-2026.9.6/openclaw-agent.tables.sql");

/// Provider of the main priced model (its price is in the generated openclaw.json).
pub const PROVIDER: &str = "synth";
/// See [`PROVIDER`].
pub const MODEL: &str = "synth-1";
/// USD per 1M tokens of [`MODEL`]: input, output, cache read, cache write (as openclaw.json
/// declares them).
pub const PRICES_PER_MILLION: [f64; 4] = [3.0, 15.0, 0.3, 3.75];
/// The OpenRouter-like provider: priced in openclaw.json, but `usage.cost.total` is what the
/// provider charged, which differs from the price-list estimate.
pub const BILLED_PROVIDER: &str = "openrouter";
/// See [`BILLED_PROVIDER`].
pub const BILLED_MODEL: &str = "anthropic/claude-sonnet-4.5";
/// USD per 1M tokens of [`BILLED_MODEL`] in openclaw.json.
pub const BILLED_PRICES_PER_MILLION: [f64; 4] = [3.3, 16.5, 0.33, 4.125];
/// A private provider with no price anywhere (not in openclaw.json, not in LiteLLM's map);
/// its calls carry `usage.cost.total` 0.
pub const UNPRICED_PROVIDER: &str = "localbox";
/// See [`UNPRICED_PROVIDER`].
pub const UNPRICED_MODEL: &str = "house-model-7";

/// A session's line count never exceeds this by more than one turn.
const MAX_SESSION_LINES: usize = 20_000;
/// Context size (tokens) above which a session is compacted.
const COMPACT_AT_TOKENS: u64 = 160_000;

/// Storage layout to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `sessions.json` + `<sessionId>.jsonl` (OpenClaw ≤ 2026.7.1).
    Jsonl,
    /// Per-agent SQLite (OpenClaw ≥ 2026.7.2).
    Sqlite,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Layout.
    pub layout: Layout,
    /// Number of agents.
    pub agents: u32,
    /// Top-level sessions per agent (about a fifth spawn a sub-agent, a tenth are cron runs,
    /// a tenth are deleted, one in twelve was reset once).
    pub sessions_per_agent: u32,
    /// Mean user turns per session: lengths are Pareto-distributed (most sessions have a few
    /// turns, a few have thousands), each turn has 1–12 model calls.
    pub turns_per_session: u32,
    /// Seed: the same spec writes the same bytes.
    pub seed: u64,
    /// Timestamp of the first call, Unix ms.
    pub start_ms: i64,
}

/// What a correct ledger must report for a generated state dir, plus counts of what was
/// written.
///
/// A billed call is an assistant message whose usage has input + output + cacheRead +
/// cacheWrite > 0 or `cost.total` > 0. Checkpoint copies are not counted anywhere but in
/// `checkpoint_*` (their entries duplicate the transcript they were copied from).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expected {
    /// Billed model calls.
    pub calls: u64,
    /// Zero-usage aborted runs (`openclaw`/`gateway-injected` with `openclawAbort`), not in
    /// `calls`.
    pub aborted_calls: u64,
    /// Zero-usage provider errors (`stopReason: "error"`), not in `calls`.
    pub failed_calls: u64,
    /// Uncached prompt tokens of billed calls.
    pub input_tokens: u64,
    /// Completion tokens of billed calls.
    pub output_tokens: u64,
    /// Cached prompt tokens of billed calls.
    pub cache_read_tokens: u64,
    /// Cache-write tokens of billed calls.
    pub cache_write_tokens: u64,
    /// Cost in nano-USD: per call `usage.cost.total` when > 0 (rounded to the nano-dollar),
    /// else the openclaw.json price estimate (`(usd * 1e9).round()` per call), else 0.
    pub cost_nanousd: i64,
    /// Sum of `usage.cost.total` of billed calls, in nano-USD (rounded per call).
    pub reported_cost_nanousd: i64,
    /// Tokens (all four kinds) of billed calls with neither a reported cost nor a price.
    pub unpriced_tokens: u64,
    /// Distinct session keys with billed calls (a reset keeps the key; a deleted session's
    /// key counts although sessions.json no longer holds it).
    pub sessions: u64,
    /// Transcript lines written (live transcripts, reset and deleted archives, SQLite rows;
    /// checkpoint copies excluded).
    pub lines: u64,
    /// Bytes of those lines (uncompressed, with their newlines).
    pub bytes: u64,
    /// Billed calls whose `usage.cost.total` is the provider's charge.
    pub provider_billed_calls: u64,
    /// Billed calls of the unpriced model.
    pub unpriced_calls: u64,
    /// Billed calls without a reported cost (priced from openclaw.json).
    pub estimated_calls: u64,
    /// Sub-agent sessions.
    pub subagent_sessions: u64,
    /// Cron run sessions.
    pub cron_sessions: u64,
    /// Deleted sessions (`.zst` archives).
    pub deleted_sessions: u64,
    /// Resets (legacy: `.jsonl.reset.<ts>` archives; SQLite: a `reset` event in the same
    /// session, or a rollover to a new window).
    pub resets: u64,
    /// Compaction entries.
    pub compactions: u64,
    /// Checkpoint copies written (legacy only).
    pub checkpoint_files: u64,
    /// Lines in checkpoint copies (all duplicates of transcript lines counted in `lines`).
    pub checkpoint_lines: u64,
    /// Bytes in checkpoint copies.
    pub checkpoint_bytes: u64,
    /// Billed calls inside checkpoint copies (duplicates, must not be counted again).
    pub checkpoint_duplicate_calls: u64,
}

/// Which model a session talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModelKind {
    Priced,
    ProviderBilled,
    Unpriced,
}

impl ModelKind {
    fn provider_model(self) -> (&'static str, &'static str) {
        match self {
            ModelKind::Priced => (PROVIDER, MODEL),
            ModelKind::ProviderBilled => (BILLED_PROVIDER, BILLED_MODEL),
            ModelKind::Unpriced => (UNPRICED_PROVIDER, UNPRICED_MODEL),
        }
    }
}

/// One session window's lines.
struct Window {
    session_id: String,
    lines: Vec<String>,
    /// Line counts at which a checkpoint copy was taken (before a compaction entry).
    checkpoints: Vec<usize>,
    /// Billed calls among the first n lines, per checkpoint.
    checkpoint_calls: Vec<u64>,
    billed: u64,
    /// Clock when the window ended.
    ended_ms: i64,
}

/// Where sessions go.
enum Sink {
    Legacy {
        sessions_dir: PathBuf,
        index: Map<String, Value>,
    },
    Sqlite {
        sessions_dir: PathBuf,
        conn: Connection,
    },
}

struct Gen {
    rng: Rng,
    clock: i64,
    exp: Expected,
    mean_turns: f64,
    max_turns: u64,
    checkpoints: bool,
}

/// Writes a state dir under `dir` and returns what it holds.
pub fn generate(dir: &Path, spec: &Spec) -> io::Result<Expected> {
    fs::create_dir_all(dir)?;
    write_config(dir)?;
    let total_turns = u64::from(spec.agents)
        * u64::from(spec.sessions_per_agent)
        * u64::from(spec.turns_per_session);
    let total_sessions = u64::from(spec.agents) * u64::from(spec.sessions_per_agent);
    let mut g = Gen {
        rng: Rng::new(spec.seed),
        clock: spec.start_ms,
        exp: Expected::default(),
        mean_turns: f64::from(spec.turns_per_session.max(1)),
        max_turns: (total_turns / 10).clamp(u64::from(spec.turns_per_session.max(1)), 4000),
        checkpoints: spec.layout == Layout::Jsonl,
    };
    let mut nth_session = 0u64;
    for a in 0..spec.agents {
        let agent = if a == 0 {
            "main".to_string()
        } else {
            format!("agent{a}")
        };
        let agent_dir = dir.join("agents").join(&agent);
        let sessions_dir = agent_dir.join("sessions");
        fs::create_dir_all(&sessions_dir)?;
        let mut sink = match spec.layout {
            Layout::Sqlite => Sink::Sqlite {
                sessions_dir,
                conn: open_agent_db(&agent_dir)?,
            },
            Layout::Jsonl => Sink::Legacy {
                sessions_dir,
                index: Map::new(),
            },
        };
        let cron_jobs: Vec<String> = (0..3).map(|_| g.rng.uuid()).collect();
        for s in 0..spec.sessions_per_agent {
            nth_session += 1;
            let huge = total_sessions >= 1500 && nth_session % 3000 == 700;
            let model = match g.rng.below(20) {
                0..=12 => ModelKind::Priced,
                13..=17 => ModelKind::ProviderBilled,
                _ => ModelKind::Unpriced,
            };
            if g.rng.one_in(10) {
                // A cron run: its key names the job and the run's session id.
                let job = &cron_jobs[g.rng.below(cron_jobs.len() as u64) as usize];
                let session_id = g.rng.uuid();
                let key = format!("agent:{agent}:cron:{job}:run:{session_id}");
                let turns = 1 + g.rng.below(3);
                let w = g.window(session_id, turns, model, None);
                g.exp.cron_sessions += 1;
                g.finish(&mut sink, &key, vec![w], "cron", None, false)?;
                continue;
            }
            let key = match s {
                0 => format!("agent:{agent}:main"),
                _ if s % 3 == 0 => format!("agent:{agent}:discord:channel:{s}"),
                _ => format!("agent:{agent}:telegram:direct:{s}"),
            };
            let deleted = g.rng.one_in(10);
            let turns = if huge { g.max_turns } else { g.turns(1.0) };
            let mut windows = Vec::new();
            let mut reset_at = None;
            if !deleted && g.rng.one_in(12) {
                let before = g.turns(0.7);
                // 2026.7.1 (legacy) gives the key a new sessionId and renames the old
                // transcript; 2026.9.6 appends a `reset` event to the same session, except for
                // a rollover (e.g. `openclaw agent` on a stale entry), which opens a new window.
                if spec.layout == Layout::Jsonl || g.rng.one_in(3) {
                    let first = g.rng.uuid();
                    windows.push(g.window(first, before, model, None));
                } else {
                    reset_at = Some(before);
                }
            }
            let session_id = g.rng.uuid();
            let turns = turns + reset_at.unwrap_or(0);
            windows.push(g.window(session_id, turns, model, reset_at));
            g.finish(&mut sink, &key, windows, "operator", None, deleted)?;
            if g.rng.one_in(5) {
                let sub_key = format!("agent:{agent}:subagent:{}", g.rng.uuid());
                let sub_id = g.rng.uuid();
                let sub_turns = g.turns(0.5);
                let w = g.window(sub_id, sub_turns, model, None);
                g.exp.subagent_sessions += 1;
                g.finish(&mut sink, &sub_key, vec![w], "spawn", Some(&key), deleted)?;
            }
        }
        if let Sink::Legacy {
            sessions_dir,
            index,
        } = &sink
        {
            fs::write(
                sessions_dir.join("sessions.json"),
                serde_json::to_vec(index)?,
            )?;
        }
    }
    Ok(g.exp)
}

fn write_config(dir: &Path) -> io::Result<()> {
    let cost = |[input, output, cache_read, cache_write]: [f64; 4]| json!({"input": input, "output": output, "cacheRead": cache_read, "cacheWrite": cache_write});
    let config = json!({
        "gateway": {"mode": "local", "port": 18789, "bind": "loopback", "auth": {"mode": "token", "token": "synthetic"}},
        "models": {"providers": {
            PROVIDER: {"baseUrl": "http://127.0.0.1:9/v1", "api": "openai-completions",
                "models": [{"id": MODEL, "cost": cost(PRICES_PER_MILLION)}]},
            BILLED_PROVIDER: {"baseUrl": "https://openrouter.ai/api/v1", "api": "openai-completions",
                "models": [{"id": BILLED_MODEL, "cost": cost(BILLED_PRICES_PER_MILLION)}]},
            UNPRICED_PROVIDER: {"baseUrl": "http://127.0.0.1:11434/v1", "api": "openai-completions",
                "models": [{"id": UNPRICED_MODEL}]}
        }}
    });
    fs::write(
        dir.join("openclaw.json"),
        serde_json::to_vec_pretty(&config)?,
    )
}

/// Per-token USD estimate from a price list, rounded to the nano-dollar.
fn estimate_nanousd(prices: [f64; 4], tokens: [u64; 4]) -> i64 {
    let usd: f64 = prices
        .iter()
        .zip(tokens)
        .map(|(p, t)| t as f64 * (p / 1e6))
        .sum();
    (usd * 1e9).round() as i64
}

/// `ls`-style archive timestamp of OpenClaw (`2026-11-21T03-08-50.640Z`).
fn file_stamp(ms: i64) -> String {
    iso(ms).replace(':', "-")
}

impl Gen {
    /// A Pareto-distributed session length (shape 1.3) with mean about `scale` × the spec's.
    fn turns(&mut self, scale: f64) -> u64 {
        const ALPHA: f64 = 1.3;
        let x_m = self.mean_turns * scale * (ALPHA - 1.0) / ALPHA;
        let t = (x_m * self.rng.unit().powf(-1.0 / ALPHA)).ceil();
        (t as u64).clamp(1, self.max_turns)
    }

    /// Writes a logical session (its windows, oldest first) and counts it.
    fn finish(
        &mut self,
        sink: &mut Sink,
        key: &str,
        windows: Vec<Window>,
        created_via: &str,
        spawned_by: Option<&str>,
        deleted: bool,
    ) -> io::Result<()> {
        if windows.iter().any(|w| w.billed > 0) {
            self.exp.sessions += 1;
        }
        for w in &windows {
            self.exp.lines += w.lines.len() as u64;
            self.exp.bytes += w.lines.iter().map(|l| l.len() as u64 + 1).sum::<u64>();
        }
        self.exp.resets += windows.len() as u64 - 1;
        let current = &windows[windows.len() - 1];
        let mut entry = json!({"sessionId": current.session_id, "updatedAt": current.ended_ms,
            "createdVia": created_via, "spawnedBy": spawned_by});
        if created_via == "spawn" {
            entry["parentSessionKey"] = json!(spawned_by);
        }
        if windows.len() > 1 {
            // 2026.7.1 get-reply: `[...prev.usageFamilySessionIds, prev.sessionId, sessionId]`.
            entry["usageFamilySessionIds"] =
                json!(windows.iter().map(|w| &w.session_id).collect::<Vec<_>>());
        }
        if deleted {
            self.exp.deleted_sessions += 1;
            let sessions_dir = match sink {
                Sink::Legacy { sessions_dir, .. } | Sink::Sqlite { sessions_dir, .. } => {
                    sessions_dir
                }
            };
            let stamp = file_stamp(current.ended_ms + 60_000);
            let hex = u128::from(self.rng.next()) << 64 | u128::from(self.rng.next());
            if self.checkpoints && self.rng.one_in(2) {
                // 2026.7.1 `archiveFileOnDisk(file, "deleted")`: a plain rename.
                let name = format!("{}.jsonl.deleted.{stamp}", current.session_id);
                write_lines(&sessions_dir.join(name), &current.lines)?;
            } else {
                // 2026.9.6 `resolveSqliteTranscriptArchivePath`: `.<32 hex>` generation + `.zst`.
                let name = format!(
                    "{}.jsonl.deleted.{stamp}.{hex:032x}.zst",
                    current.session_id
                );
                let body = joined(&current.lines);
                fs::write(sessions_dir.join(name), zstd::encode_all(&body[..], 3)?)?;
            }
            return Ok(());
        }
        match sink {
            Sink::Legacy {
                sessions_dir,
                index,
            } => {
                for (i, w) in windows.iter().enumerate() {
                    let live = i + 1 == windows.len();
                    let name = if live {
                        format!("{}.jsonl", w.session_id)
                    } else {
                        // OpenClaw ≤ 2026.7.1 renames the transcript on reset:
                        // `${file}.reset.${timestampMsToIsoFileStamp(now)}`.
                        format!(
                            "{}.jsonl.reset.{}",
                            w.session_id,
                            file_stamp(w.ended_ms + 1)
                        )
                    };
                    write_lines(&sessions_dir.join(name), &w.lines)?;
                    for (&n, &calls) in w.checkpoints.iter().zip(&w.checkpoint_calls) {
                        let name = format!("{}.checkpoint.{}.jsonl", w.session_id, self.rng.uuid());
                        write_lines(&sessions_dir.join(name), &w.lines[..n])?;
                        self.exp.checkpoint_files += 1;
                        self.exp.checkpoint_lines += n as u64;
                        self.exp.checkpoint_bytes +=
                            w.lines[..n].iter().map(|l| l.len() as u64 + 1).sum::<u64>();
                        self.exp.checkpoint_duplicate_calls += calls;
                    }
                }
                index.insert(key.to_string(), entry);
                Ok(())
            }
            Sink::Sqlite { conn, .. } => insert_session(conn, key, &entry, &windows),
        }
    }

    /// Appends an entry and returns its id. Keys come in OpenClaw's order (`type`, `id`,
    /// `parentId`, `timestamp`, then the body's), not serde_json's sorted order.
    fn entry(
        &mut self,
        lines: &mut Vec<String>,
        parent: &mut Option<String>,
        body: Value,
    ) -> String {
        self.clock += 1 + self.rng.below(4000) as i64;
        let id = format!("{:08x}", self.rng.next() >> 32);
        let Value::Object(mut fields) = body else {
            unreachable!("entry bodies are objects")
        };
        let kind = fields.remove("type").unwrap_or(Value::Null);
        let mut line = String::with_capacity(256);
        line.push_str("{\"type\":");
        line.push_str(&kind.to_string());
        line.push_str(",\"id\":\"");
        line.push_str(&id);
        line.push_str("\",\"parentId\":");
        line.push_str(&json!(parent).to_string());
        line.push_str(",\"timestamp\":\"");
        line.push_str(&iso(self.clock));
        line.push('"');
        for (k, v) in fields {
            line.push_str(",\"");
            line.push_str(&k);
            line.push_str("\":");
            line.push_str(&v.to_string());
        }
        line.push('}');
        lines.push(line);
        *parent = Some(id.clone());
        id
    }

    /// All lines of one session window; `reset_at`: a 2026.9.6 in-place reset (a `reset`
    /// event) before that turn.
    fn window(
        &mut self,
        session_id: String,
        turns: u64,
        model: ModelKind,
        reset_at: Option<u64>,
    ) -> Window {
        let mut w = Window {
            session_id,
            lines: Vec::new(),
            checkpoints: Vec::new(),
            checkpoint_calls: Vec::new(),
            billed: 0,
            ended_ms: 0,
        };
        let lines = &mut w.lines;
        let mut parent: Option<String> = None;
        lines.push(format!(
            "{{\"type\":\"session\",\"version\":3,\"id\":\"{}\",\"timestamp\":\"{}\",\"cwd\":\"/home/user/.openclaw/workspace\"}}",
            w.session_id,
            iso(self.clock)
        ));
        let (provider, model_id) = model.provider_model();
        self.entry(
            lines,
            &mut parent,
            json!({"type": "model_change", "provider": provider, "modelId": model_id}),
        );
        self.entry(
            lines,
            &mut parent,
            json!({"type": "thinking_level_change", "thinkingLevel": "medium"}),
        );
        let mut context: u64 = 6000 + self.rng.below(4000);
        let mut user_ids: Vec<String> = Vec::new();
        for turn in 0..turns {
            if lines.len() >= MAX_SESSION_LINES {
                break;
            }
            if reset_at == Some(turn) {
                // session-accessor.sqlite-lifecycle `buildSessionResetBoundaryEvent`.
                self.entry(
                    lines,
                    &mut parent,
                    json!({"type": "reset", "reason": "reset"}),
                );
                self.exp.resets += 1;
                context = 6000 + self.rng.below(4000);
            }
            let prompt = if self.rng.one_in(15) {
                {
                    let n = 500 + self.rng.below(3000);
                    text::paragraphs(&mut self.rng, n)
                }
            } else {
                text::words(&mut self.rng, 3, 120)
            };
            context += prompt.len() as u64 / 4;
            let id = self.entry(lines, &mut parent, json!({"type": "message", "message": {"role": "user", "content": [{"type": "text", "text": prompt}], "timestamp": self.clock}}));
            user_ids.push(id);
            let mut calls = 1;
            while calls < 12 && self.rng.below(100) < 55 {
                calls += 1;
            }
            for c in 0..calls {
                if self.rng.one_in(60) {
                    self.provider_error(lines, &mut parent, model);
                }
                if c > 0 && self.rng.one_in(150) {
                    self.aborted(lines, &mut parent);
                    break;
                }
                let uses_tool = c + 1 < calls;
                let tool_id = self.call(lines, &mut parent, model, context, uses_tool);
                w.billed += 1;
                context += 200;
                if let Some(tool_id) = tool_id {
                    let size = match self.rng.below(100) {
                        0..=79 => self.rng.log_uniform(200.0, 6000.0),
                        80..=96 => self.rng.log_uniform(6000.0, 50_000.0),
                        _ => self.rng.log_uniform(50_000.0, 400_000.0),
                    };
                    let output = text::tool_output(&mut self.rng, size as usize);
                    context += output.len() as u64 / 4;
                    self.entry(lines, &mut parent, json!({"type": "message", "message": {"role": "toolResult", "toolCallId": tool_id, "toolName": "exec", "content": [{"type": "text", "text": output}], "isError": false, "timestamp": self.clock}}));
                }
            }
            self.entry(lines, &mut parent, json!({"type": "custom", "customType": "openclaw.cache-ttl", "data": {"timestamp": self.clock, "provider": provider, "modelId": model_id}}));
            if context > COMPACT_AT_TOKENS && user_ids.len() >= 2 {
                // Legacy pre-compaction snapshots: rare (OpenClaw ≤ 2026.7.1 no longer writes
                // them; old ones are kept while referenced), and never of a huge transcript here.
                let prefix: usize = lines.iter().map(|l| l.len() + 1).sum();
                if self.checkpoints
                    && w.checkpoints.len() < 2
                    && prefix < 8 << 20
                    && self.rng.one_in(3)
                {
                    w.checkpoints.push(lines.len());
                    w.checkpoint_calls.push(w.billed);
                }
                let n = 400 + self.rng.below(2500);
                let summary = text::paragraphs(&mut self.rng, n);
                let kept = user_ids[user_ids.len() - 2].clone();
                self.entry(lines, &mut parent, json!({"type": "compaction", "summary": summary, "firstKeptEntryId": kept, "tokensBefore": context}));
                self.exp.compactions += 1;
                context = 20_000 + self.rng.below(10_000);
            }
        }
        w.ended_ms = self.clock;
        w
    }

    /// A billed call; returns the tool call id when it calls a tool.
    fn call(
        &mut self,
        lines: &mut Vec<String>,
        parent: &mut Option<String>,
        model: ModelKind,
        context: u64,
        uses_tool: bool,
    ) -> Option<String> {
        let rng = &mut self.rng;
        let cache_read = context * (80 + rng.below(20)) / 100;
        let input = context - cache_read + 1;
        let output = 10 + rng.below(600) + if rng.one_in(10) { rng.below(8000) } else { 0 };
        let cache_write = if rng.one_in(10) { rng.below(2000) } else { 0 };
        let tokens = [input, output, cache_read, cache_write];
        let e = &mut self.exp;
        e.calls += 1;
        e.input_tokens += input;
        e.output_tokens += output;
        e.cache_read_tokens += cache_read;
        e.cache_write_tokens += cache_write;
        let all_tokens = input + output + cache_read + cache_write;
        let zero_cost =
            json!({"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "total": 0});
        let parts = |prices: [f64; 4]| -> [f64; 4] {
            [0, 1, 2, 3].map(|i| tokens[i] as f64 * prices[i] / 1e6)
        };
        let cost = match model {
            ModelKind::Priced if rng.one_in(20) => {
                // An older writer that left usage.cost at zero: priced from openclaw.json.
                e.cost_nanousd += estimate_nanousd(PRICES_PER_MILLION, tokens);
                e.estimated_calls += 1;
                zero_cost
            }
            ModelKind::Priced => {
                let [pi, po, pr, pw] = PRICES_PER_MILLION;
                let usd = (input as f64 * pi
                    + output as f64 * po
                    + cache_read as f64 * pr
                    + cache_write as f64 * pw)
                    / 1e6;
                let nano = (usd * 1e9).round() as i64;
                e.cost_nanousd += nano;
                e.reported_cost_nanousd += nano;
                let [ci, co, cr, cw] = parts(PRICES_PER_MILLION);
                json!({"input": ci, "output": co, "cacheRead": cr, "cacheWrite": cw, "total": nano as f64 / 1e9})
            }
            ModelKind::ProviderBilled => {
                // The provider's charge (BYOK fees, discounts, routing) differs from the
                // price-list estimate.
                let estimate = estimate_nanousd(BILLED_PRICES_PER_MILLION, tokens);
                let mut charged = estimate * (850 + rng.below(300) as i64) / 1000;
                if charged == estimate {
                    charged += 1;
                }
                let charged = charged.max(1);
                e.cost_nanousd += charged;
                e.reported_cost_nanousd += charged;
                e.provider_billed_calls += 1;
                let [ci, co, cr, cw] = parts(BILLED_PRICES_PER_MILLION);
                // @openclaw/ai `applyProviderReportedUsageCost`: only `total` is replaced and
                // marked; the components stay the catalog estimate.
                json!({"input": ci, "output": co, "cacheRead": cr, "cacheWrite": cw, "total": charged as f64 / 1e9, "totalOrigin": "provider-billed"})
            }
            ModelKind::Unpriced => {
                e.unpriced_tokens += all_tokens;
                e.unpriced_calls += 1;
                zero_cost
            }
        };
        let mut content = Vec::new();
        let thinking_words = match rng.below(100) {
            0..=69 => 20 + rng.below(280),
            70..=94 => 300 + rng.below(1700),
            _ => 2000 + rng.below(5000),
        };
        content.push(json!({"type": "thinking", "thinking": text::paragraphs(rng, thinking_words), "thinkingSignature": "reasoning_content"}));
        let text_words = 5 + rng.below(200);
        content.push(json!({"type": "text", "text": text::paragraphs(rng, text_words)}));
        let tool_id = uses_tool.then(|| {
            format!(
                "call_{:024x}",
                u128::from(rng.next()) << 32 | u128::from(rng.next() >> 32)
            )
        });
        if let Some(id) = &tool_id {
            content.push(json!({"type": "toolCall", "id": id, "name": "exec", "arguments": {"command": "cargo build --release 2>&1 | tail -n 200", "workdir": "/home/user/.openclaw/workspace"}}));
        }
        let usage = json!({"input": input, "output": output, "cacheRead": cache_read, "cacheWrite": cache_write,
            "totalTokens": all_tokens, "cost": cost});
        let (provider, model_id) = model.provider_model();
        let stop = if uses_tool { "toolUse" } else { "stop" };
        let response_id = format!("gen-{:016x}", rng.next());
        let run_id = rng.uuid();
        let clock = self.clock;
        self.entry(lines, parent, json!({"type": "message", "message": {"role": "assistant", "content": content,
            "api": "openai-completions", "provider": provider, "model": model_id, "usage": usage, "stopReason": stop,
            "timestamp": clock, "responseId": response_id, "__openclaw": {"runId": run_id}}}));
        tool_id
    }

    /// A provider error: zero usage, `stopReason: "error"`.
    fn provider_error(
        &mut self,
        lines: &mut Vec<String>,
        parent: &mut Option<String>,
        model: ModelKind,
    ) {
        self.exp.failed_calls += 1;
        let (provider, model_id) = model.provider_model();
        let clock = self.clock;
        self.entry(lines, parent, json!({"type": "message", "message": {"role": "assistant", "content": [],
            "api": "openai-completions", "provider": provider, "model": model_id,
            "usage": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "totalTokens": 0,
                "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "total": 0}},
            "stopReason": "error", "errorMessage": "500 Internal Server Error: upstream provider overloaded, please retry",
            "timestamp": clock}}));
    }

    /// An aborted run, as the gateway injects it (OpenClaw 2026.7.1 `persistAbortedPartials`:
    /// the partial text streamed so far, zero usage).
    fn aborted(&mut self, lines: &mut Vec<String>, parent: &mut Option<String>) {
        self.exp.aborted_calls += 1;
        let run_id = self.rng.uuid();
        let partial = text::words(&mut self.rng, 3, 60);
        let clock = self.clock;
        self.entry(lines, parent, json!({"type": "message", "message": {"role": "assistant",
            "content": [{"type": "text", "text": partial}], "timestamp": clock, "stopReason": "stop",
            "usage": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "totalTokens": 0,
                "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "total": 0}},
            "api": "openai-responses", "provider": "openclaw", "model": "gateway-injected",
            "idempotencyKey": format!("{run_id}:assistant"), "openclawAbort": {"aborted": true, "origin": "rpc", "runId": run_id}}}));
    }
}

fn joined(lines: &[String]) -> Vec<u8> {
    let mut body = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        body.extend_from_slice(l.as_bytes());
        body.push(b'\n');
    }
    body
}

fn write_lines(path: &Path, lines: &[String]) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    for line in lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn open_agent_db(agent_dir: &Path) -> io::Result<Connection> {
    let path = agent_dir.join("agent/openclaw-agent.sqlite");
    fs::create_dir_all(path.parent().unwrap_or(agent_dir))?;
    let conn = Connection::open(path).map_err(io::Error::other)?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF;")
        .map_err(io::Error::other)?;
    conn.execute_batch(AGENT_TABLES_SQL)
        .map_err(io::Error::other)?;
    Ok(conn)
}

/// Inserts a logical session: its node, its windows (a rollover opens a new one; the newest is
/// current, each points at the one before with `previous_session_id`, reason `rollover`) and every window's events. Rows of 1 KiB–4 MiB are stored
/// zstd-compressed as OpenClaw 2026.9.6 does (`prepareTranscriptPayload`): not when they hold a
/// `\u` escape or NUL, not the session header, and only when compression saves at least
/// max(64, 10 %).
fn insert_session(
    conn: &mut Connection,
    key: &str,
    entry: &Value,
    windows: &[Window],
) -> io::Result<()> {
    let tx = conn.transaction().map_err(io::Error::other)?;
    let current = &windows[windows.len() - 1].session_id;
    tx.execute(
        "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at, created_via, spawned_by) VALUES (?1, ?2, ?3, 0, ?4, ?5)",
        params![key, current, entry.to_string(), entry["createdVia"].as_str(), entry["spawnedBy"].as_str()],
    )
    .map_err(io::Error::other)?;
    {
        let mut window = tx
            .prepare("INSERT INTO session_windows (session_id, session_key, previous_session_id, reason, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)")
            .map_err(io::Error::other)?;
        let mut plain = tx
            .prepare("INSERT INTO transcript_events (session_id, seq, event_json, event_utf8_bytes, created_at) VALUES (?1, ?2, ?3, ?4, 0)")
            .map_err(io::Error::other)?;
        let mut packed = tx
            .prepare("INSERT INTO transcript_events (session_id, seq, event_zstd, event_utf8_bytes, navigation_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0)")
            .map_err(io::Error::other)?;
        let mut previous: Option<&str> = None;
        for w in windows {
            let reason = if previous.is_some() {
                "rollover"
            } else {
                "initial"
            };
            window
                .execute(params![w.session_id, key, previous, reason, w.ended_ms])
                .map_err(io::Error::other)?;
            previous = Some(&w.session_id);
            for (seq, line) in w.lines.iter().enumerate() {
                let n = line.len();
                let compressible = seq > 0
                    && (1024..=4 << 20).contains(&n)
                    && !line.contains("\\u")
                    && !line.contains('\0');
                let packed_bytes = if compressible {
                    let z = zstd::bulk::compress(line.as_bytes(), 1)?;
                    (z.len() <= n - (n.div_ceil(10)).max(64)).then_some(z)
                } else {
                    None
                };
                match packed_bytes {
                    Some(z) => {
                        let nav = json!({"version": 1, "report": {"kind": "canonical"}, "navigation": {}, "reset": {}, "model": {},
                            "modelBytes": n, "modelWithoutCheckpointBytes": n, "withoutCustomDataBytes": n});
                        packed
                            .execute(params![
                                w.session_id,
                                seq as i64,
                                z,
                                n as i64,
                                nav.to_string()
                            ])
                            .map_err(io::Error::other)?;
                    }
                    None => {
                        plain
                            .execute(params![w.session_id, seq as i64, line, n as i64])
                            .map_err(io::Error::other)?;
                    }
                }
            }
        }
    }
    tx.commit().map_err(io::Error::other)
}

#[cfg(test)]
mod tests;
