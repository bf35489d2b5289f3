//! A scripted gateway that keeps state like the real one (config with merge patches and
//! hashes, heartbeats, channels, sessions, cron jobs), with faults to inject: a method that
//! fails, or one whose change is made but whose answer is lost.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::{recv, send, server, Socket};

/// What the fake gateway holds, and every call it got.
#[derive(Debug)]
pub struct Gateway {
    pub config: Value,
    pub hash: u64,
    pub heartbeats: bool,
    pub channels: Vec<(String, bool)>,
    pub active_sessions: Vec<(String, String)>,
    pub jobs: Vec<(String, String, bool)>,
    pub fail: Option<&'static str>,
    /// Refuse a `config.patch` whose text holds this, as an older OpenClaw's config schema
    /// refuses a key it does not know.
    pub refuse_patch_with: Option<&'static str>,
    /// Make the change asked by this method, then answer with an error (the answer was lost).
    pub lose_answer: Option<&'static str>,
    /// Make the change asked by this method, then close the connection without an answer
    /// (once: the next connection is served).
    pub drop_after: Option<&'static str>,
    /// The store file the pauser writes: read when `config.patch` arrives.
    pub store_file: Option<std::path::PathBuf>,
    /// The pause steps on record when `config.patch` arrived.
    pub recorded_at_patch: Option<String>,
    pub calls: Vec<String>,
    /// Agents: (id, workspace).
    pub agents: Vec<(String, String)>,
}

impl Gateway {
    /// Its answer to one call (recorded in `calls`).
    pub fn answer(&mut self, method: &str, params: &Value) -> Result<Value, String> {
        self.calls.push(method.to_string());
        if self.fail == Some(method) {
            return Err(format!("{method} is broken"));
        }
        if method == "config.patch" {
            let raw = params["raw"].as_str().unwrap_or_default();
            if let Some(key) = self.refuse_patch_with.filter(|k| raw.contains(k)) {
                return Err(format!(
                    "INVALID_REQUEST: invalid config: Unrecognized key: \"{key}\""
                ));
            }
            if let Some(file) = &self.store_file {
                let conn = rusqlite::Connection::open(file).unwrap();
                self.recorded_at_patch = conn
                    .query_row(
                        "SELECT steps FROM pauses ORDER BY id DESC LIMIT 1",
                        [],
                        |r| r.get(0),
                    )
                    .ok();
            }
        }
        let answer = self.make(method, params)?;
        if self.lose_answer == Some(method) {
            return Err(format!("{method}: connection lost before the answer"));
        }
        Ok(answer)
    }

    fn make(&mut self, method: &str, params: &Value) -> Result<Value, String> {
        Ok(match method {
            "config.get" => json!({"hash": format!("h{}", self.hash), "sourceConfig": self.config}),
            "config.patch" => {
                if params["baseHash"] != format!("h{}", self.hash) {
                    return Err("stale baseHash".into());
                }
                let patch: Value = serde_json::from_str(params["raw"].as_str().unwrap()).unwrap();
                let replace: Vec<String> =
                    serde_json::from_value(params["replacePaths"].clone()).unwrap_or_default();
                merge_at(&mut self.config, &patch, "", &replace);
                self.hash += 1;
                json!({"ok": true, "hash": format!("h{}", self.hash), "changedPaths": []})
            }
            "set-heartbeats" => {
                self.heartbeats = params["enabled"].as_bool().unwrap();
                json!({"ok": true, "enabled": self.heartbeats})
            }
            "channels.status" => {
                json!({"channelAccounts": {"telegram": self.channels.iter().map(|(id, running)| json!({"accountId": id, "running": running})).collect::<Vec<_>>()}})
            }
            "channels.stop" | "channels.start" => {
                let id = params["accountId"].as_str().unwrap();
                for (account, running) in &mut self.channels {
                    if account == id {
                        *running = method == "channels.start";
                    }
                }
                json!({"ok": true})
            }
            "sessions.list" => {
                let agent = params["agentId"].as_str();
                let rows: Vec<Value> = self
                    .active_sessions
                    .iter()
                    .filter(|(a, _)| agent.is_none_or(|x| x == a))
                    .map(|(a, key)| json!({"key": key, "agentId": a, "hasActiveRun": true}))
                    .collect();
                json!({"sessions": rows})
            }
            "sessions.abort" => {
                let key = params["key"].as_str().unwrap();
                self.active_sessions.retain(|(_, k)| k != key);
                json!({"ok": true, "abortedRunId": "r1", "status": "aborted"})
            }
            "cron.list" => {
                // Like OpenClaw: at most 200 per page (this one pages by 2), its own monitor
                // jobs carry a declarationKey, and every job both agentId and effectiveAgentId.
                let limit = params["limit"].as_u64().unwrap_or(50);
                if limit > 200 {
                    return Err("invalid cron.list params: at /limit: must be <= 200".into());
                }
                let offset = params["offset"].as_u64().unwrap_or(0) as usize;
                let page: Vec<Value> = self.jobs.iter().skip(offset).take(2).map(|(id, agent, enabled)| {
                    let declared = id.starts_with("hb-").then(|| format!("heartbeat:{agent}"));
                    json!({"id": id, "name": id, "agentId": agent, "effectiveAgentId": agent, "enabled": enabled, "declarationKey": declared})
                }).collect();
                json!({"jobs": page, "hasMore": offset + 2 < self.jobs.len()})
            }
            "cron.update" => {
                let id = params["id"].as_str().unwrap();
                if id.starts_with("hb-") {
                    return Err("system-owned monitor jobs cannot be edited by cron clients".into());
                }
                for (job, _, enabled) in &mut self.jobs {
                    if job == id {
                        *enabled = params["patch"]["enabled"].as_bool().unwrap();
                    }
                }
                json!({"id": id})
            }
            "agents.list" => {
                let agents: Vec<Value> = self
                    .agents
                    .iter()
                    .map(|(id, ws)| json!({"id": id, "workspace": ws, "model": {}}))
                    .collect();
                json!({"defaultId": "main", "agents": agents})
            }
            "agents.delete" => {
                let id = params["agentId"].as_str().unwrap();
                let before = self.agents.len();
                self.agents.retain(|(a, _)| a != id);
                if self.agents.len() == before {
                    return Err(format!("agent \"{id}\" not found"));
                }
                // Like 2026.9.6: its cron jobs go with it.
                self.jobs.retain(|(_, agent, _)| agent != id);
                json!({"ok": true, "agentId": id, "removedBindings": 0})
            }
            "agents.create" => {
                let id = params["name"].as_str().unwrap().to_lowercase();
                if self.agents.iter().any(|(a, _)| *a == id) {
                    return Err(format!("agent \"{id}\" already exists"));
                }
                let ws = params["workspace"]
                    .as_str()
                    .unwrap_or("/ws/default")
                    .to_string();
                self.agents.push((id.clone(), ws.clone()));
                json!({"ok": true, "agentId": id, "name": id, "workspace": ws})
            }
            "cron.get" => {
                let id = params["id"].as_str().unwrap();
                let (_, agent, enabled) = self
                    .jobs
                    .iter()
                    .find(|(j, _, _)| j == id)
                    .ok_or(format!("cron job {id} not found"))?;
                json!({"id": id, "name": id, "agentId": agent, "enabled": enabled, "schedule": {"kind": "every", "everyMs": 60000},
                    "payload": {"kind": "agentTurn", "message": "hi"}, "sessionTarget": "isolated", "wakeMode": "now"})
            }
            "cron.remove" => {
                let id = params["id"].as_str().unwrap();
                let before = self.jobs.len();
                self.jobs.retain(|(j, _, _)| j != id);
                json!({"removed": self.jobs.len() < before})
            }
            "cron.add" => {
                // Named as asked (this gateway lists a job's name as its id) when that is free.
                let id = params["name"]
                    .as_str()
                    .filter(|name| !self.jobs.iter().any(|(j, _, _)| j == name))
                    .map_or_else(|| format!("job-{}", self.jobs.len() + 1), str::to_string);
                let agent = params["agentId"].as_str().unwrap_or("main").to_string();
                self.jobs.push((
                    id.clone(),
                    agent,
                    params["enabled"].as_bool().unwrap_or(true),
                ));
                json!({"id": id})
            }
            // A feed follows it too (the runtime tests).
            "sessions.subscribe" => json!({"subscribed": true}),
            other => return Err(format!("unknown method {other}")),
        })
    }
}

/// JSON merge patch (RFC 7396), as config.patch applies it.
pub fn merge(target: &mut Value, patch: &Value) {
    merge_at(target, patch, "", &[]);
}

/// [`merge`] as OpenClaw 2026.9 applies it: arrays whose entries all have an `id` merge entry by
/// entry, unless their path is in `replace` (config.patch's `replacePaths`).
pub fn merge_at(target: &mut Value, patch: &Value, path: &str, replace: &[String]) {
    let Some(patch) = patch.as_object() else {
        let by_id = |v: &Value| {
            v.as_array()
                .filter(|a| a.iter().all(|e| e["id"].is_string()))
                .cloned()
        };
        match (by_id(target), by_id(patch)) {
            (Some(mut merged), Some(entries)) if !replace.iter().any(|p| p == path) => {
                for entry in entries {
                    match merged.iter_mut().find(|e| e["id"] == entry["id"]) {
                        Some(existing) => merge_at(existing, &entry, path, replace),
                        None => merged.push(entry),
                    }
                }
                *target = Value::Array(merged);
            }
            _ => *target = patch.clone(),
        }
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let map = target.as_object_mut().unwrap();
    for (key, value) in patch {
        let inner = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if value.is_null() {
            map.remove(key);
        } else {
            merge_at(
                map.entry(key.clone()).or_insert(Value::Null),
                value,
                &inner,
                replace,
            );
        }
    }
}

pub async fn serve(mut ws: Socket, gateway: Arc<Mutex<Gateway>>) {
    loop {
        let request = recv(&mut ws).await;
        let method = request["method"].as_str().unwrap_or_default().to_string();
        let (answer, dropped) = {
            let mut g = gateway.lock().unwrap();
            let answer = g.answer(&method, &request["params"]);
            let dropped = g.drop_after == Some(method.as_str());
            if dropped {
                g.drop_after = None;
            }
            (answer, dropped)
        };
        if dropped {
            return; // the connection goes with the socket, the change made, no answer sent
        }
        let frame = match answer {
            Ok(payload) => {
                json!({"type": "res", "id": request["id"], "ok": true, "payload": payload})
            }
            Err(message) => {
                json!({"type": "res", "id": request["id"], "ok": false, "error": {"code": "UNAVAILABLE", "message": message}})
            }
        };
        send(&mut ws, frame).await;
    }
}

/// Starts the scripted gateway; returns its state (to inspect and script) and its URL.
pub async fn fake(gateway: Gateway) -> (Arc<Mutex<Gateway>>, String) {
    let gateway = Arc::new(Mutex::new(gateway));
    let shared = gateway.clone();
    let url = server(move |ws| serve(ws, shared.clone())).await;
    (gateway, url)
}

/// A gateway with running sessions, channels and cron jobs (two of them OpenClaw's own).
pub fn busy_gateway() -> Gateway {
    Gateway {
        config: json!({"gateway": {"port": 1}, "models": {"providers": {}}}),
        hash: 1,
        heartbeats: true,
        channels: vec![("default".into(), true), ("idle".into(), false)],
        active_sessions: vec![
            ("main".into(), "agent:main:main".into()),
            ("ops".into(), "agent:ops:main".into()),
        ],
        jobs: vec![
            ("hb-main".into(), "main".into(), true),
            ("ops-job".into(), "ops".into(), true),
            ("off".into(), "ops".into(), false),
            ("hb-ops".into(), "ops".into(), true),
            ("main-job".into(), "main".into(), true),
        ],
        fail: None,
        refuse_patch_with: None,
        lose_answer: None,
        drop_after: None,
        store_file: None,
        recorded_at_patch: None,
        calls: vec![],
        agents: vec![("main".into(), "/ws/main".into())],
    }
}
