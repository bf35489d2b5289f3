//! Realistic, deterministic OpenClaw state dirs with known totals.
//!
//! Lines have the shapes of real OpenClaw 2026.x transcripts: a session header, model changes,
//! user turns with long prompts, assistant calls with thinking, text and tool calls, tool results
//! with multi-KB output, custom entries, sub-agent sessions and deleted `.zst` archives. Every
//! model call's usage and cost is known, so a reader's totals can be checked exactly.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;

mod rng;
mod text;

use rng::Rng;

/// The real 2026.9.6 agent-DB tables Clawtower reads (shared with the engine's golden test).
const AGENT_TABLES_SQL: &str = include_str!(
    "../../clawtower-engine/tests/fixtures/openclaw-2026.9.6/openclaw-agent.tables.sql"
);

/// Provider and model of every generated call; priced in the generated openclaw.json.
pub const PROVIDER: &str = "synth";
/// See [`PROVIDER`].
pub const MODEL: &str = "synth-1";
/// USD per 1M tokens: input, output, cache read, cache write (as openclaw.json declares them).
pub const PRICES_PER_MILLION: [f64; 4] = [3.0, 15.0, 0.3, 3.75];

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
    /// Sessions per agent (a fifth of them spawn a sub-agent; one in ten is deleted).
    pub sessions_per_agent: u32,
    /// User turns per session (each followed by 1–3 model calls).
    pub turns_per_session: u32,
    /// Seed: the same spec writes the same bytes.
    pub seed: u64,
    /// Timestamp of the first call, Unix ms.
    pub start_ms: i64,
}

/// Totals of every model call written: what a reader must report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expected {
    /// Model calls.
    pub calls: u64,
    /// Uncached prompt tokens.
    pub input_tokens: u64,
    /// Completion tokens.
    pub output_tokens: u64,
    /// Cached prompt tokens.
    pub cache_read_tokens: u64,
    /// Cache-write tokens.
    pub cache_write_tokens: u64,
    /// Sum of `usage.cost.total` in nano-USD (each call's cost rounded to the nano-dollar).
    pub cost_nanousd: i64,
    /// Transcript lines written.
    pub lines: u64,
    /// Bytes of transcript written (uncompressed).
    pub bytes: u64,
}

/// Writes a state dir under `dir` and returns what it holds.
pub fn generate(dir: &Path, spec: &Spec) -> io::Result<Expected> {
    fs::create_dir_all(dir)?;
    write_config(dir)?;
    let mut expected = Expected::default();
    let mut rng = Rng::new(spec.seed);
    let mut clock = spec.start_ms;
    for a in 0..spec.agents {
        let agent = if a == 0 {
            "main".to_string()
        } else {
            format!("agent{a}")
        };
        let agent_dir = dir.join("agents").join(&agent);
        let sessions_dir = agent_dir.join("sessions");
        fs::create_dir_all(&sessions_dir)?;
        let mut index = serde_json::Map::new();
        let mut db = match spec.layout {
            Layout::Sqlite => Some(open_agent_db(&agent_dir)?),
            Layout::Jsonl => None,
        };
        for s in 0..spec.sessions_per_agent {
            let parent_key = format!("agent:{agent}:s{s}");
            let mut sessions = vec![(parent_key.clone(), None)];
            if s % 5 == 4 {
                sessions.push((
                    format!("agent:{agent}:subagent:{:016x}", rng.next()),
                    Some(parent_key),
                ));
            }
            for (key, spawned_by) in sessions {
                let session_id = format!(
                    "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                    rng.below(u32::MAX as u64),
                    rng.below(0xffff),
                    rng.below(0xfff),
                    rng.below(0xfff),
                    rng.below(1 << 48)
                );
                let lines = session_lines(
                    &mut rng,
                    &mut clock,
                    &session_id,
                    spec.turns_per_session,
                    &mut expected,
                );
                let deleted = s % 10 == 9;
                expected.lines += lines.len() as u64;
                expected.bytes += lines.iter().map(|l| l.len() as u64 + 1).sum::<u64>();
                if deleted {
                    let name = format!(
                        "{session_id}.jsonl.deleted.2026-11-21T03-08-50.640Z.{:032x}.zst",
                        rng.next()
                    );
                    let body: Vec<u8> = lines
                        .iter()
                        .flat_map(|l| l.bytes().chain(std::iter::once(b'\n')))
                        .collect();
                    fs::write(sessions_dir.join(name), zstd::encode_all(&body[..], 3)?)?;
                    continue;
                }
                let entry = json!({"sessionId": session_id, "createdVia": if spawned_by.is_some() { "spawn" } else { "operator" }, "spawnedBy": spawned_by});
                match db.as_mut() {
                    Some(conn) => insert_session(conn, &key, &session_id, &entry, &lines)?,
                    None => {
                        let mut out = BufWriter::new(File::create(
                            sessions_dir.join(format!("{session_id}.jsonl")),
                        )?);
                        for line in &lines {
                            out.write_all(line.as_bytes())?;
                            out.write_all(b"\n")?;
                        }
                        out.flush()?;
                    }
                }
                index.insert(key, entry);
            }
        }
        if spec.layout == Layout::Jsonl {
            fs::write(
                sessions_dir.join("sessions.json"),
                serde_json::to_vec(&index)?,
            )?;
        }
    }
    Ok(expected)
}

fn write_config(dir: &Path) -> io::Result<()> {
    let [input, output, cache_read, cache_write] = PRICES_PER_MILLION;
    let config = json!({
        "gateway": {"mode": "local", "port": 18789, "bind": "loopback", "auth": {"mode": "token", "token": "synthetic"}},
        "models": {"providers": {PROVIDER: {"baseUrl": "http://127.0.0.1:9/v1", "api": "openai-completions",
            "models": [{"id": MODEL, "cost": {"input": input, "output": output, "cacheRead": cache_read, "cacheWrite": cache_write}}]}}}
    });
    fs::write(
        dir.join("openclaw.json"),
        serde_json::to_vec_pretty(&config)?,
    )
}

/// All lines of one session.
fn session_lines(
    rng: &mut Rng,
    clock: &mut i64,
    session_id: &str,
    turns: u32,
    expected: &mut Expected,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut parent: Option<String> = None;
    let mut entry = |rng: &mut Rng, clock: &mut i64, body: serde_json::Value| -> String {
        *clock += 1 + rng.below(4000) as i64;
        let id = format!("{:016x}{:016x}", rng.next(), rng.next());
        let mut v = json!({"id": id, "parentId": parent, "timestamp": iso(*clock)});
        for (k, val) in body.as_object().cloned().unwrap_or_default() {
            v[k] = val;
        }
        parent = Some(id);
        v.to_string()
    };
    lines.push(json!({"type": "session", "version": 3, "id": session_id, "timestamp": iso(*clock), "cwd": "/home/user/.openclaw/workspace"}).to_string());
    lines.push(entry(
        rng,
        clock,
        json!({"type": "model_change", "provider": PROVIDER, "modelId": MODEL}),
    ));
    let mut context: u64 = 6000 + rng.below(4000);
    for _ in 0..turns {
        let prompt = text::words(rng, 200, 2000);
        lines.push(entry(rng, clock, json!({"type": "message", "message": {"role": "user", "content": [{"type": "text", "text": prompt}], "timestamp": *clock}})));
        let calls = 1 + rng.below(3);
        for c in 0..calls {
            let uses_tool = c + 1 < calls;
            let cache_read = context * (80 + rng.below(20)) / 100;
            let input = context - cache_read + 1;
            let output = 10 + rng.below(600);
            let cache_write = if rng.below(10) == 0 {
                rng.below(2000)
            } else {
                0
            };
            let [pi, po, pr, pw] = PRICES_PER_MILLION;
            let cost = (input as f64 * pi
                + output as f64 * po
                + cache_read as f64 * pr
                + cache_write as f64 * pw)
                / 1e6;
            let nano = (cost * 1e9).round() as i64;
            expected.calls += 1;
            expected.input_tokens += input;
            expected.output_tokens += output;
            expected.cache_read_tokens += cache_read;
            expected.cache_write_tokens += cache_write;
            expected.cost_nanousd += nano;
            let mut content = vec![
                json!({"type": "thinking", "thinking": text::words(rng, 40, 300), "thinkingSignature": "reasoning_content"}),
                json!({"type": "text", "text": text::words(rng, 5, 200)}),
            ];
            let tool_id = format!("call_{:010x}", rng.below(1 << 40));
            if uses_tool {
                content.push(json!({"type": "toolCall", "id": tool_id, "name": "exec", "arguments": {"command": "ls -la"}}));
            }
            let usage = json!({"input": input, "output": output, "cacheRead": cache_read, "cacheWrite": cache_write,
                "reasoningTokens": 0, "totalTokens": input + output + cache_read + cache_write,
                "cost": {"input": input as f64 * pi / 1e6, "output": output as f64 * po / 1e6, "cacheRead": cache_read as f64 * pr / 1e6, "cacheWrite": cache_write as f64 * pw / 1e6, "total": nano as f64 / 1e9}});
            let stop = if uses_tool { "toolUse" } else { "stop" };
            let response_id = format!("chatcmpl-{:012x}", rng.below(1 << 48));
            let run_id = format!("{:016x}", rng.next());
            lines.push(entry(rng, clock, json!({"type": "message", "message": {"role": "assistant", "content": content,
                "api": "openai-completions", "provider": PROVIDER, "model": MODEL, "usage": usage, "stopReason": stop,
                "timestamp": *clock, "responseId": response_id, "__openclaw": {"runId": run_id}}})));
            if uses_tool {
                let output_text = text::words(rng, 100, 1500);
                lines.push(entry(rng, clock, json!({"type": "message", "message": {"role": "toolResult", "toolCallId": tool_id, "toolName": "exec", "content": [{"type": "text", "text": output_text}], "isError": false, "timestamp": *clock}})));
            }
            context += output + 200;
        }
        lines.push(entry(rng, clock, json!({"type": "custom", "customType": "openclaw.cache-ttl", "data": {"ttlMs": 300000}})));
    }
    lines
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

fn insert_session(
    conn: &mut Connection,
    key: &str,
    session_id: &str,
    entry: &serde_json::Value,
    lines: &[String],
) -> io::Result<()> {
    let tx = conn.transaction().map_err(io::Error::other)?;
    tx.execute("INSERT INTO session_windows (session_id, session_key, created_at, updated_at) VALUES (?1, ?2, 0, 0)", params![session_id, key])
        .map_err(io::Error::other)?;
    tx.execute(
        "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at, created_via, spawned_by) VALUES (?1, ?2, ?3, 0, ?4, ?5)",
        params![key, session_id, entry.to_string(), entry["createdVia"].as_str(), entry["spawnedBy"].as_str()],
    )
    .map_err(io::Error::other)?;
    for (seq, line) in lines.iter().enumerate() {
        if line.len() > 1024 {
            let n = line.len();
            let nav = json!({"version": 1, "report": {"kind": "canonical"}, "navigation": {}, "reset": {}, "model": {},
                "modelBytes": n, "modelWithoutCheckpointBytes": n, "withoutCustomDataBytes": n});
            tx.execute(
                "INSERT INTO transcript_events (session_id, seq, event_zstd, event_utf8_bytes, navigation_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
                params![session_id, seq as i64, zstd::encode_all(line.as_bytes(), 1)?, n as i64, nav.to_string()],
            )
            .map_err(io::Error::other)?;
        } else {
            tx.execute("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?1, ?2, ?3, 0)", params![session_id, seq as i64, line])
                .map_err(io::Error::other)?;
        }
    }
    tx.commit().map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_counts_what_it_writes() {
        let spec = Spec {
            layout: Layout::Jsonl,
            agents: 2,
            sessions_per_agent: 10,
            turns_per_session: 3,
            seed: 7,
            start_ms: 1_795_230_000_000,
        };
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = generate(a.path(), &spec).unwrap();
        let second = generate(b.path(), &spec).unwrap();
        assert_eq!(first, second);
        assert!(first.calls >= 2 * 12 * 3, "{first:?}");
        let main = a.path().join("agents/main/sessions");
        let archives = fs::read_dir(&main)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".zst")
            })
            .count();
        assert_eq!(
            archives, 2,
            "session 9 and the sub-agent it spawned are deleted"
        );
        assert!(iso(1_795_230_393_971).starts_with("2026-11-21T03:06:33.971Z"));
    }
}
