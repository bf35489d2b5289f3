//! Typed gateway methods: serde shapes for the params Clawtower sends and the parts of the answers
//! it reads (checked against the real frames in `tests/fixtures/ws-frames`). Unknown fields are
//! ignored, so newer gateways with additive changes keep working.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::GatewayClient;
use super::error::GatewayError;

/// Jobs per `cron.list` page (the gateway's maximum).
const CRON_PAGE: usize = 200;

/// How long a control call may take (config.patch rewrites the file and hot-reloads: ~1 s).
pub const CONTROL_TIMEOUT: Duration = Duration::from_secs(20);

impl GatewayClient {
    /// Calls `method` with typed params and decodes the typed answer.
    pub async fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<R, GatewayError> {
        let params =
            serde_json::to_value(params).map_err(|e| GatewayError::Protocol(e.to_string()))?;
        let answer = self.request(method, params, CONTROL_TIMEOUT).await?;
        serde_json::from_value(answer)
            .map_err(|e| GatewayError::Protocol(format!("{method}: unexpected answer: {e}")))
    }

    /// `config.get`: the config as written on disk (secrets redacted) and its hash.
    pub async fn config_get(&self) -> Result<ConfigSnapshot, GatewayError> {
        self.call("config.get", &json!({})).await
    }

    /// `config.patch`: a JSON merge patch (objects merge, `null` deletes) against `base_hash`.
    pub async fn config_patch(
        &self,
        patch: &Value,
        base_hash: &str,
        note: &str,
    ) -> Result<ConfigPatched, GatewayError> {
        self.config_patch_replacing(patch, base_hash, note, &[])
            .await
    }

    /// `config.patch` whose arrays at `replace_paths` (`models.providers.x.models`) replace
    /// the config's whole: OpenClaw ≥ 2026.9 merges arrays of entries with an `id` entry by
    /// entry, so a key can be taken out of an entry only this way.
    pub async fn config_patch_replacing(
        &self,
        patch: &Value,
        base_hash: &str,
        note: &str,
        replace_paths: &[String],
    ) -> Result<ConfigPatched, GatewayError> {
        let mut params = json!({"raw": patch.to_string(), "baseHash": base_hash, "note": note});
        if !replace_paths.is_empty() {
            params["replacePaths"] = json!(replace_paths);
        }
        self.call("config.patch", &params).await
    }

    /// `set-heartbeats`: switches event-driven session wakes (in the gateway's memory).
    pub async fn set_heartbeats(&self, enabled: bool) -> Result<(), GatewayError> {
        let _: Value = self
            .call("set-heartbeats", &json!({ "enabled": enabled }))
            .await?;
        Ok(())
    }

    /// `channels.status`: every channel account and whether it runs.
    pub async fn channel_accounts(&self) -> Result<Vec<ChannelAccount>, GatewayError> {
        let status: ChannelsStatus = self.call("channels.status", &json!({})).await?;
        Ok(status.accounts())
    }

    /// `channels.stop` or `channels.start` for one account.
    pub async fn set_channel_running(
        &self,
        account: &ChannelAccount,
        running: bool,
    ) -> Result<(), GatewayError> {
        let method = if running {
            "channels.start"
        } else {
            "channels.stop"
        };
        let _: Value = self
            .call(
                method,
                &json!({"channel": account.channel, "accountId": account.account_id}),
            )
            .await?;
        Ok(())
    }

    /// `sessions.list` of the sessions with a run in progress (optionally of one agent).
    pub async fn active_sessions(
        &self,
        agent_id: Option<&str>,
    ) -> Result<Vec<SessionRow>, GatewayError> {
        let mut params = json!({"activeOnly": true, "limit": 500});
        if let Some(agent) = agent_id {
            params["agentId"] = json!(agent);
        }
        let list: SessionList = match self.call("sessions.list", &params).await {
            // OpenClaw ≤ 2026.7.1 has no `activeOnly`: every session, filtered here.
            Err(GatewayError::Rpc { message, .. }) if message.contains("activeOnly") => {
                self.call("sessions.list", &json!({"limit": 1000})).await?
            }
            other => other?,
        };
        Ok(list
            .sessions
            .into_iter()
            .filter(|s| s.has_active_run)
            .filter(|s| agent_id.is_none() || s.agent_id.as_deref() == agent_id)
            .collect())
    }

    /// `sessions.abort {key, clearQueued:true}`: stops the run and drops queued turns.
    pub async fn abort_session(&self, key: &str) -> Result<AbortOutcome, GatewayError> {
        match self
            .call("sessions.abort", &json!({"key": key, "clearQueued": true}))
            .await
        {
            // OpenClaw ≤ 2026.7.1 has no `clearQueued` (it stops the run alone).
            Err(GatewayError::Rpc { message, .. }) if message.contains("clearQueued") => {
                self.call("sessions.abort", &json!({ "key": key })).await
            }
            other => other,
        }
    }

    /// `cron.list` including disabled jobs, every page (the gateway allows 200 per call).
    pub async fn cron_jobs(&self) -> Result<Vec<CronJob>, GatewayError> {
        let mut jobs = Vec::new();
        loop {
            let page: CronList = self
                .call(
                    "cron.list",
                    &json!({"includeDisabled": true, "limit": CRON_PAGE, "offset": jobs.len()}),
                )
                .await?;
            let count = page.jobs.len();
            jobs.extend(page.jobs);
            if !page.has_more || count == 0 {
                return Ok(jobs);
            }
        }
    }

    /// `cron.update {id, patch:{enabled}}`.
    pub async fn set_cron_job_enabled(&self, id: &str, enabled: bool) -> Result<(), GatewayError> {
        let _: Value = self
            .call(
                "cron.update",
                &json!({"id": id, "patch": {"enabled": enabled}}),
            )
            .await?;
        Ok(())
    }

    /// `cron.status`: whether the scheduler runs.
    pub async fn cron_status(&self) -> Result<CronStatus, GatewayError> {
        self.call("cron.status", &json!({})).await
    }

    /// `usage.cost` for a date range (inclusive, `YYYY-MM-DD`, in `time_zone`).
    pub async fn usage_cost(&self, params: &UsageCostParams) -> Result<UsageCost, GatewayError> {
        self.call("usage.cost", params).await
    }
}

/// `config.get`'s answer (the parts Clawtower reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigSnapshot {
    /// The hash `config.patch` must be based on.
    pub hash: String,
    /// The config as written in the file (secrets redacted).
    #[serde(default)]
    pub source_config: Value,
}

/// `config.patch`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigPatched {
    /// The new hash.
    pub hash: String,
    /// Dotted paths that changed.
    #[serde(default)]
    pub changed_paths: Vec<String>,
}

/// One channel account (`telegram`/`default`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAccount {
    /// Channel id.
    pub channel: String,
    /// Account id.
    pub account_id: String,
    /// Whether it is running now.
    #[serde(default)]
    pub running: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChannelsStatus {
    #[serde(default)]
    channel_accounts: std::collections::BTreeMap<String, Vec<AccountSnapshot>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountSnapshot {
    account_id: String,
    #[serde(default)]
    running: Option<bool>,
}

impl ChannelsStatus {
    fn accounts(self) -> Vec<ChannelAccount> {
        self.channel_accounts
            .into_iter()
            .flat_map(|(channel, accounts)| {
                accounts.into_iter().map(move |a| ChannelAccount {
                    channel: channel.clone(),
                    account_id: a.account_id,
                    running: a.running.unwrap_or(false),
                })
            })
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct SessionList {
    #[serde(default)]
    sessions: Vec<SessionRow>,
}

/// A `sessions.list` row (the parts Clawtower reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRow {
    /// Session key, e.g. `agent:main:main`.
    pub key: String,
    /// Owning agent.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// Whether a run is in progress.
    #[serde(default)]
    pub has_active_run: bool,
}

/// `sessions.abort`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbortOutcome {
    /// The run that was stopped, if any (OpenClaw 2026.9 may stop an embedded run, a sub-agent's,
    /// without naming it: see [`AbortOutcome::stopped`]).
    #[serde(default)]
    pub aborted_run_id: Option<String>,
    /// `aborted`, `no-active-run`… (OpenClaw ≥ 2026.9).
    #[serde(default)]
    pub status: Option<String>,
}

impl AbortOutcome {
    /// Whether a run was stopped: one named, or the status says so.
    pub fn stopped(&self) -> bool {
        self.aborted_run_id.is_some() || self.status.as_deref() == Some("aborted")
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CronList {
    #[serde(default)]
    jobs: Vec<CronJob>,
    #[serde(default)]
    has_more: bool,
}

/// A cron job (the parts Clawtower reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJob {
    /// Job id.
    pub id: String,
    /// Job name.
    #[serde(default)]
    pub name: String,
    /// The agent the job names, if any (see [`CronJob::agent`]).
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The agent it actually runs as (the default agent when it names none).
    #[serde(default)]
    pub effective_agent_id: Option<String>,
    /// Whether it is scheduled.
    #[serde(default)]
    pub enabled: bool,
    /// Set on jobs OpenClaw declares itself (`heartbeat:main`, `memory-core:…`).
    #[serde(default)]
    pub declaration_key: Option<String>,
}

impl CronJob {
    /// The agent it runs as.
    pub fn agent(&self) -> Option<&str> {
        self.agent_id
            .as_deref()
            .or(self.effective_agent_id.as_deref())
    }

    /// OpenClaw's own monitor jobs (heartbeat, skill review) refuse edits from cron clients.
    pub fn is_system_owned(&self) -> bool {
        self.declaration_key.as_deref().is_some_and(|k| {
            k.starts_with("heartbeat:") || k.starts_with("skill-collection-review:")
        })
    }
}

/// `cron.status`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronStatus {
    /// Whether the scheduler runs.
    pub enabled: bool,
}

/// `usage.cost` params.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageCostParams {
    /// First day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// IANA time zone the days are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// `"all"` covers every configured agent (without it OpenClaw answers for one agent only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_scope: Option<String>,
}

/// `usage.cost`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageCost {
    /// Sums over the range.
    pub totals: UsageTotals,
    /// `refreshing` (the first answers are zeros) or `fresh`.
    #[serde(default)]
    pub cache_status: Option<CacheStatus>,
}

impl UsageCost {
    /// Whether OpenClaw's usage cache had finished reading the transcripts.
    pub fn is_fresh(&self) -> bool {
        self.cache_status
            .as_ref()
            .is_none_or(|s| s.status == "fresh")
    }

    /// Whether the answer is fresh and was computed at or after `since_ms` (an answer without a
    /// computation time is taken as current).
    pub fn is_fresh_since(&self, since_ms: i64) -> bool {
        self.is_fresh()
            && self
                .cache_status
                .as_ref()
                .and_then(|s| s.refreshed_at)
                .is_none_or(|at| at >= since_ms)
    }
}

/// `usage.cost` cache state.
#[derive(Debug, Clone, Deserialize)]
pub struct CacheStatus {
    /// `refreshing` or `fresh`.
    pub status: String,
    /// When the answer was computed (Unix ms). OpenClaw serves a cached answer, still marked
    /// `fresh`, for a while after new calls: this says how old it really is.
    #[serde(default, rename = "refreshedAt")]
    pub refreshed_at: Option<i64>,
}

/// Token and cost sums as OpenClaw reports them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageTotals {
    /// Uncached input tokens.
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Cache reads.
    pub cache_read: u64,
    /// Cache writes.
    pub cache_write: u64,
    /// All tokens.
    pub total_tokens: u64,
    /// USD.
    pub total_cost: f64,
    /// Calls OpenClaw could not price (no cost recorded and no price configured).
    #[serde(default)]
    pub missing_cost_entries: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_real_answers() {
        // As OpenClaw 2026.9.6 answers: its own jobs carry both agentId and effectiveAgentId.
        let jobs: CronList = serde_json::from_value(json!({"jobs": [
            {"id": "a", "name": "heartbeat-main", "agentId": "main", "effectiveAgentId": "main", "enabled": true, "declarationKey": "heartbeat:main"},
            {"id": "b", "name": "dream", "effectiveAgentId": "ops", "enabled": false, "declarationKey": "memory-core:x"}
        ], "hasMore": true}))
        .unwrap();
        assert_eq!(jobs.jobs[0].agent(), Some("main"));
        assert_eq!(jobs.jobs[1].agent(), Some("ops"));
        assert!(jobs.jobs[0].is_system_owned() && !jobs.jobs[1].is_system_owned());
        assert!(jobs.has_more);

        let status: ChannelsStatus = serde_json::from_value(json!({
            "channels": {}, "channelAccounts": {"telegram": [{"accountId": "default", "running": true}, {"accountId": "b"}]}
        }))
        .unwrap();
        assert_eq!(
            status.accounts(),
            vec![
                ChannelAccount {
                    channel: "telegram".into(),
                    account_id: "default".into(),
                    running: true
                },
                ChannelAccount {
                    channel: "telegram".into(),
                    account_id: "b".into(),
                    running: false
                },
            ]
        );
        let usage: UsageCost = serde_json::from_value(json!({
            "totals": {"input": 3, "totalCost": 0.5}, "cacheStatus": {"status": "refreshing"}
        }))
        .unwrap();
        assert!(!usage.is_fresh());
        assert_eq!(usage.totals.total_cost, 0.5);
        let cached: UsageCost = serde_json::from_value(json!({
            "totals": {}, "cacheStatus": {"status": "fresh", "refreshedAt": 1000}
        }))
        .unwrap();
        assert!(cached.is_fresh_since(1000) && !cached.is_fresh_since(1001));
    }
}
