//! The changes a pause makes, in three phases so that none can be lost: **plan** (reads only:
//! what is on now and would be switched off), then the caller records every planned step
//! *before* anything is sent, then **apply** the changes concurrently. A change whose answer did
//! not come back as success (a timeout, a lost connection, an unexpected answer) is **verified**
//! with a read: kept if it took effect or if that cannot be known ("maybe applied": resume puts
//! it back, which is harmless if it never happened), dropped only if the gateway shows it did not.
//! A crash between sending and recording leaves nothing unrestorable, since the record came first.

use futures_util::future::join_all;
use serde_json::{json, Value};

use super::step::PauseStep;
use crate::budget::BudgetScope;
use clawtower_gateway::rpc::ChannelAccount;
use clawtower_gateway::{GatewayClient, GatewayError};

/// What a pause will change, read from the gateway.
pub(super) struct Plan {
    /// The changes, in the order they are recorded.
    pub steps: Vec<PauseStep>,
    /// What could not be checked.
    pub problems: Vec<String>,
    /// The config hash `config.patch` is based on (for the scheduler switch).
    config_hash: Option<String>,
}

/// The gateway-wide switches: cron scheduler off (unless already off), heartbeat wakes off,
/// every running channel stopped.
pub(super) async fn plan_global(client: &GatewayClient) -> Plan {
    let (config, channels) = tokio::join!(client.config_get(), client.channel_accounts());
    let mut plan = Plan {
        steps: Vec::new(),
        problems: Vec::new(),
        config_hash: None,
    };
    match config {
        Ok(config) => {
            let prior = config.source_config.get("cron").cloned();
            if prior.as_ref().and_then(|c| c.get("enabled")) != Some(&Value::Bool(false)) {
                plan.steps.push(PauseStep::CronSchedulerDisabled {
                    prior_cron: prior.map(|p| p.to_string()),
                });
                plan.config_hash = Some(config.hash);
            }
        }
        Err(e) => plan.problems.push(format!("cron scheduler still on: {e}")),
    }
    plan.steps.push(PauseStep::HeartbeatsDisabled);
    match channels {
        Ok(accounts) => plan
            .steps
            .extend(accounts.into_iter().filter(|a| a.running).map(|a| {
                PauseStep::ChannelStopped {
                    channel: a.channel,
                    account_id: a.account_id,
                }
            })),
        Err(e) => plan.problems.push(format!("channels not checked: {e}")),
    }
    plan
}

/// An agent's (or one job's) enabled cron jobs disabled. OpenClaw's own monitor jobs
/// (heartbeat, skill review) refuse edits; a run they start is aborted by the pause's guard.
pub(super) async fn plan_jobs(client: &GatewayClient, scope: &BudgetScope) -> Plan {
    let mut plan = Plan {
        steps: Vec::new(),
        problems: Vec::new(),
        config_hash: None,
    };
    match client.cron_jobs().await {
        Ok(jobs) => plan.steps.extend(
            jobs.into_iter()
                .filter(|j| {
                    j.enabled && !j.is_system_owned() && job_in_scope(scope, &j.id, j.agent())
                })
                .map(|j| PauseStep::CronJobDisabled {
                    id: j.id,
                    name: j.name,
                }),
        ),
        Err(e) => plan.problems.push(format!("cron jobs not checked: {e}")),
    }
    plan
}

pub(super) fn job_in_scope(scope: &BudgetScope, job_id: &str, job_agent: Option<&str>) -> bool {
    match scope {
        BudgetScope::Agent(id) => job_agent.unwrap_or("main") == id,
        BudgetScope::CronJob(job) => job == job_id,
        _ => false,
    }
}

/// Makes every planned change (concurrently); returns the steps that stand (done, or maybe
/// done) and what went wrong.
pub(super) async fn apply(client: &GatewayClient, plan: &Plan) -> (Vec<PauseStep>, Vec<String>) {
    let outcomes = join_all(plan.steps.iter().map(|step| async move {
        match make(client, step, plan.config_hash.as_deref()).await {
            Ok(()) => (true, None),
            Err(e) => match verify(client, step).await {
                Some(false) => (false, Some(format!("{} failed: {e}", step.describe()))),
                Some(true) => (true, None),
                None => (
                    true,
                    Some(format!(
                        "{} may or may not have happened ({e}); resume will undo it either way",
                        step.describe()
                    )),
                ),
            },
        }
    }))
    .await;
    let (mut steps, mut problems) = (Vec::new(), Vec::new());
    for (step, (stands, problem)) in plan.steps.iter().zip(outcomes) {
        if stands {
            steps.push(step.clone());
        }
        problems.extend(problem);
    }
    (steps, problems)
}

/// Sends one change (also to re-apply one a gateway restart undid).
pub(super) async fn make(
    client: &GatewayClient,
    step: &PauseStep,
    config_hash: Option<&str>,
) -> Result<(), GatewayError> {
    match step {
        PauseStep::CronSchedulerDisabled { .. } => {
            let hash = match config_hash {
                Some(hash) => hash.to_string(),
                None => client.config_get().await?.hash,
            };
            client
                .config_patch(
                    &json!({"cron": {"enabled": false}}),
                    &hash,
                    "Clawtower: budget pause",
                )
                .await?;
            Ok(())
        }
        PauseStep::HeartbeatsDisabled => client.set_heartbeats(false).await,
        PauseStep::ChannelStopped {
            channel,
            account_id,
        } => {
            client
                .set_channel_running(&account(channel, account_id), false)
                .await
        }
        PauseStep::CronJobDisabled { id, .. } => client.set_cron_job_enabled(id, false).await,
        PauseStep::SessionAborted { .. } | PauseStep::RouterGateClosed { .. } => Ok(()),
    }
}

/// Whether a change whose answer did not come back took effect: `None` when the gateway cannot
/// tell (it does not report heartbeat wakes), or the read fails too.
async fn verify(client: &GatewayClient, step: &PauseStep) -> Option<bool> {
    match step {
        PauseStep::CronSchedulerDisabled { .. } => {
            let config = client.config_get().await.ok()?;
            let cron = config.source_config.get("cron");
            Some(cron.and_then(|c| c.get("enabled")) == Some(&Value::Bool(false)))
        }
        PauseStep::ChannelStopped {
            channel,
            account_id,
        } => {
            let accounts = client.channel_accounts().await.ok()?;
            let now = accounts
                .iter()
                .find(|a| &a.channel == channel && &a.account_id == account_id)?;
            Some(!now.running)
        }
        PauseStep::CronJobDisabled { id, .. } => {
            let jobs = client.cron_jobs().await.ok()?;
            Some(!jobs.iter().find(|j| &j.id == id)?.enabled)
        }
        PauseStep::HeartbeatsDisabled | PauseStep::SessionAborted { .. } => None,
        PauseStep::RouterGateClosed { .. } => Some(true),
    }
}

/// The account a channel step names (its `running` flag is not used to address it).
pub(super) fn account(channel: &str, account_id: &str) -> ChannelAccount {
    ChannelAccount {
        channel: channel.to_string(),
        account_id: account_id.to_string(),
        running: false,
    }
}
