//! Pausing and resuming a gateway in layers (REPORT §11), through the gateway's own RPCs only:
//! soft (cron scheduler off, heartbeat wakes off, channels stopped), then abort of in-flight runs.
//! An agent-, job- or session-scoped pause touches only that agent's jobs and runs. Every change
//! is recorded as it is made, so resume undoes exactly what pause did, even after a restart.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::layers::{self, account};
use super::record::{self, PauseRecord};
use super::step::{cron_restore_patch, PauseStep};
use crate::budget::BudgetScope;
use clawtower_core::error::{EngineError, Result};
use clawtower_gateway::{DeviceIdentity, GatewayClient, GatewayError, Target};
use clawtower_store::Store;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a pause is requested.
#[derive(Debug, Clone)]
pub struct PauseRequest {
    /// What to pause.
    pub scope: BudgetScope,
    /// Why, for people.
    pub reason: String,
    /// The budget asking, if one is.
    pub budget_id: Option<i64>,
}

/// Pauses and resumes one gateway, keeping the records in the store.
#[derive(Clone)]
pub struct Pauser {
    store: Arc<Store>,
    /// The gateway budgets control, and every followed one (a pause is resumed on the gateway
    /// it was made on); they change when the user adds or removes gateways.
    targets: Arc<std::sync::RwLock<PauseTargets>>,
    identity: DeviceIdentity,
    /// One pause, resume or reassert at a time (the budget loop, the tray and the app share a
    /// pauser): a check-then-act on the records must not interleave.
    busy: Arc<tokio::sync::Mutex<()>>,
}

impl Pauser {
    /// A pauser for the gateway at `target`.
    pub fn new(store: Arc<Store>, target: Target, identity: DeviceIdentity) -> Self {
        let pauser = Pauser::unattached(store, identity);
        pauser.retarget(Some(target.clone()), vec![target]);
        pauser
    }

    /// A pauser with no gateway yet: pausing fails with [`GatewayError::NotConfigured`] until
    /// [`Pauser::retarget`] gives it one.
    pub fn unattached(store: Arc<Store>, identity: DeviceIdentity) -> Self {
        Pauser {
            store,
            targets: Arc::default(),
            identity,
            busy: Arc::default(),
        }
    }

    /// Points this pauser (and its clones) at the gateway budgets control (or none), and tells
    /// it every followed gateway (where pauses made earlier are resumed).
    pub fn retarget(&self, controlled: Option<Target>, followed: Vec<Target>) {
        *self.targets.write().unwrap_or_else(|p| p.into_inner()) = PauseTargets {
            controlled,
            followed,
        };
    }

    /// The gateway it pauses, if any.
    pub fn target(&self) -> Option<Target> {
        let targets = self.targets.read().unwrap_or_else(|p| p.into_inner());
        targets.controlled.clone()
    }

    /// The followed gateway at `url`, if it is still followed.
    fn followed(&self, url: &str) -> Option<Target> {
        let targets = self.targets.read().unwrap_or_else(|p| p.into_inner());
        targets.followed.iter().find(|t| t.url == url).cloned()
    }

    /// Pauses holding now on the gateway budgets control.
    fn active_here(&self) -> Result<Vec<PauseRecord>> {
        let Some(url) = self.url() else {
            return Ok(Vec::new());
        };
        Ok(self
            .active()?
            .into_iter()
            .filter(|p| p.gateway_url == url)
            .collect())
    }

    /// The URL of the gateway it pauses, if any.
    pub fn url(&self) -> Option<String> {
        self.target().map(|t| t.url)
    }

    /// Pauses holding now.
    pub fn active(&self) -> Result<Vec<PauseRecord>> {
        self.store.with_conn(|c| record::active(c))
    }

    /// Pauses `request.scope`: running turns are aborted while what would start new ones is
    /// switched off, then anything that started in between is aborted.
    /// An active pause that already covers the scope is returned as is. The record lists what
    /// changed and what could not be done; it fails when the gateway is unreachable or nothing
    /// at all could be done.
    pub async fn pause(&self, request: PauseRequest, now_ms: i64) -> Result<PauseRecord> {
        let _one_at_a_time = self.busy.lock().await;
        if let Some(existing) = self
            .active_here()?
            .into_iter()
            .find(|p| covers(&p.scope, &request.scope))
        {
            return Ok(existing);
        }
        let client = self.connect().await?;
        let mut record = self.store.with_conn(|c| {
            record::begin(
                c,
                &request.scope,
                &request.reason,
                request.budget_id,
                client.url(),
                now_ms,
            )
        })?;
        // The hard layer first: from now on the router refuses calls in the scope.
        if let Some(gate) = self.store.read(|c| router_gate(c))? {
            record.steps.push(gate);
        }
        let save = |record: &PauseRecord| self.store.with_conn(|c| record::save(c, record));
        // Running turns are aborted while the sources of new ones are switched off: listing the
        // running sessions can take seconds on a busy gateway, and a cron tick in that time
        // would start a run nobody aborts before it has called its model.
        let switch_off = async {
            let plan = if is_global(&request.scope) {
                layers::plan_global(&client).await
            } else {
                layers::plan_jobs(&client, &request.scope).await
            };
            // Every change is on record before it is sent: whatever happens next, resume can
            // undo it.
            let mut planned = record.clone();
            planned.steps.extend(plan.steps.iter().cloned());
            save(&planned)?;
            let (made, problems) = layers::apply(&client, &plan).await;
            Ok::<_, EngineError>((plan.problems, made, problems))
        };
        let ((aborted, abort_problems), switched) =
            tokio::join!(abort_runs(&client, &request.scope), switch_off);
        let (plan_problems, made, problems) = switched?;
        record.steps.extend(aborted);
        record.steps.extend(made);
        record.problems.extend(abort_problems);
        record.problems.extend(plan_problems);
        record.problems.extend(problems);
        save(&record)?;
        // Anything that started before the switches took effect.
        let (steps, problems) = abort_runs(&client, &request.scope).await;
        record.steps.extend(steps);
        record.problems.extend(problems);
        save(&record)?;
        if record.steps.is_empty() && !record.problems.is_empty() {
            self.store.with_conn(|c| record::discard(c, record.id))?;
            return Err(EngineError::NothingPaused(record.problems.join("; ")));
        }
        Ok(record)
    }

    /// Aborts the run of `session_key` if a pause covers it (a run started while paused, e.g.
    /// from the Control UI). Returns whether it did.
    pub async fn enforce(&self, agent_id: &str, session_key: &str) -> Result<bool> {
        let covered = self
            .active_here()?
            .into_iter()
            .any(|p| scope_holds(&p.scope, agent_id, session_key));
        if !covered {
            return Ok(false);
        }
        let client = self.connect().await?;
        client.abort_session(session_key).await?;
        Ok(true)
    }

    /// Puts back what a gateway restart undid while paused: heartbeat wakes and channels live in
    /// the gateway's memory, so after a reconnect they are switched off again (the cron switch
    /// is in openclaw.json and survives). Returns what could not be re-applied.
    pub async fn reassert(&self) -> Result<Vec<String>> {
        let _one_at_a_time = self.busy.lock().await;
        let active = self.active_here()?;
        if active.is_empty() {
            return Ok(vec![]);
        }
        let client = self.connect().await?;
        let mut problems = Vec::new();
        for step in active.iter().flat_map(|p| p.steps.iter()) {
            let outcome = match step {
                PauseStep::HeartbeatsDisabled | PauseStep::ChannelStopped { .. } => {
                    layers::make(&client, step, None).await
                }
                _ => Ok(()),
            };
            if let Err(e) = outcome {
                problems.push(format!("could not re-apply \"{}\": {e}", step.describe()));
            }
        }
        Ok(problems)
    }

    /// Lifts the pauses `which` selects (all active ones when `None`), undoing their steps in
    /// reverse. A step that cannot be undone stays recorded and the pause stays active, so
    /// nothing is forgotten; the returned records say what happened.
    pub async fn resume(&self, which: Option<&[i64]>, now_ms: i64) -> Result<Vec<PauseRecord>> {
        let _one_at_a_time = self.busy.lock().await;
        let mut pauses: Vec<PauseRecord> = self
            .active()?
            .into_iter()
            .filter(|p| which.is_none_or(|ids| ids.contains(&p.id)))
            .collect();
        if pauses.is_empty() {
            return Ok(pauses);
        }
        pauses.reverse();
        let mut clients: Vec<GatewayClient> = Vec::new();
        for pause in &mut pauses {
            pause.problems.clear();
            // Each pause is undone on the gateway it was made on, never on another.
            let client = match clients.iter().position(|c| c.url() == pause.gateway_url) {
                Some(i) => &clients[i],
                None => {
                    let Some(target) = self.followed(&pause.gateway_url) else {
                        pause.problems.push(format!(
                            "this pause was made on {}, which Clawtower no longer follows; add that gateway again to resume it",
                            pause.gateway_url
                        ));
                        continue;
                    };
                    clients.push(self.connect_to(&target).await?);
                    &clients[clients.len() - 1]
                }
            };
            let mut left = Vec::new();
            for step in pause.steps.drain(..).rev() {
                if !step.is_undoable() {
                    continue;
                }
                if let Err(e) = undo(client, &step).await {
                    pause
                        .problems
                        .push(format!("could not undo \"{}\": {e}", step.describe()));
                    left.push(step);
                }
            }
            left.reverse();
            pause.steps = left;
            if pause.problems.is_empty() {
                pause.resumed_ms = Some(now_ms);
            }
            self.store.with_conn(|c| record::save(c, pause))?;
        }
        Ok(pauses)
    }

    /// A connection to the gateway budgets control (the local one), for other changes made
    /// through its RPCs (routing it through the model router).
    pub async fn connect(&self) -> Result<GatewayClient> {
        let target = self.target().ok_or(GatewayError::NotConfigured)?;
        self.connect_to(&target).await
    }

    async fn connect_to(&self, target: &Target) -> Result<GatewayClient> {
        GatewayClient::connect(target, &self.identity, CONNECT_TIMEOUT)
            .await
            .map_err(EngineError::from)
    }
}

/// The router's gate as a pause step, when the router is in use (it has keys that are not
/// revoked). The gate itself reads the active pauses (`crate::gate`); this records it.
fn router_gate(conn: &rusqlite::Connection) -> Result<Option<PauseStep>> {
    let (keys, routed): (i64, i64) = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM router_keys WHERE revoked_ms IS NULL),
                (SELECT COUNT(*) FROM router_attachments)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((keys > 0).then(|| PauseStep::RouterGateClosed {
        routed_providers: u32::try_from(routed).unwrap_or(u32::MAX),
    }))
}

/// The gateways a [`Pauser`] acts on.
#[derive(Default)]
struct PauseTargets {
    /// The one budgets pause.
    controlled: Option<Target>,
    /// Every followed gateway.
    followed: Vec<Target>,
}

/// Whether an active pause of `holder` already covers a request for `wanted`.
fn covers(holder: &BudgetScope, wanted: &BudgetScope) -> bool {
    // A model or provider pause applies the same gateway-wide layers as an "all" pause.
    holder == wanted || is_global(holder)
}

/// Whether a pause of `scope` covers a run of `agent_id` in `session_key`.
fn scope_holds(scope: &BudgetScope, agent_id: &str, session_key: &str) -> bool {
    match scope {
        BudgetScope::All | BudgetScope::Model(_) | BudgetScope::Provider(_) => true,
        BudgetScope::Agent(id) => id == agent_id,
        BudgetScope::Session(key) => key == session_key,
        BudgetScope::CronJob(job) => is_cron_session_of(session_key, job),
    }
}

fn is_cron_session_of(session_key: &str, job: &str) -> bool {
    session_key
        .split_once(&format!(":cron:{job}"))
        .is_some_and(|(_, rest)| rest.is_empty() || rest.starts_with(':'))
}

fn is_global(scope: &BudgetScope) -> bool {
    matches!(
        scope,
        BudgetScope::All | BudgetScope::Model(_) | BudgetScope::Provider(_)
    )
}

/// Aborts the runs `scope` covers: the steps done and the problems met.
async fn abort_runs(client: &GatewayClient, scope: &BudgetScope) -> (Vec<PauseStep>, Vec<String>) {
    let (mut steps, mut problems) = (Vec::new(), Vec::new());
    let sessions = match client.active_sessions(scope.agent()).await {
        Ok(sessions) => sessions,
        Err(e) => {
            problems.push(format!("running sessions not checked: {e}"));
            return (steps, problems);
        }
    };
    for session in sessions {
        let agent = session.agent_id.as_deref().unwrap_or("main");
        if !scope_holds(scope, agent, &session.key) {
            continue;
        }
        match client.abort_session(&session.key).await {
            Ok(_) => steps.push(PauseStep::SessionAborted { key: session.key }),
            Err(e) => problems.push(format!("run in {} not aborted: {e}", session.key)),
        }
    }
    (steps, problems)
}

async fn undo(client: &GatewayClient, step: &PauseStep) -> Result<(), GatewayError> {
    match step {
        PauseStep::CronSchedulerDisabled { prior_cron } => {
            let config = client.config_get().await?;
            let prior: Option<Value> = prior_cron
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok());
            let patch = cron_restore_patch(prior.as_ref(), config.source_config.get("cron"));
            client
                .config_patch(&patch, &config.hash, "Clawtower: budget resume")
                .await?;
        }
        PauseStep::HeartbeatsDisabled => client.set_heartbeats(true).await?,
        PauseStep::ChannelStopped {
            channel,
            account_id,
        } => {
            client
                .set_channel_running(&account(channel, account_id), true)
                .await?
        }
        PauseStep::CronJobDisabled { id, .. } => client.set_cron_job_enabled(id, true).await?,
        PauseStep::SessionAborted { .. } | PauseStep::RouterGateClosed { .. } => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_cover_the_right_runs_and_jobs() {
        assert!(covers(&BudgetScope::All, &BudgetScope::Agent("a".into())));
        assert!(covers(&BudgetScope::Model("m".into()), &BudgetScope::All));
        assert!(!covers(&BudgetScope::Agent("a".into()), &BudgetScope::All));
        assert!(scope_holds(
            &BudgetScope::Agent("ops".into()),
            "ops",
            "agent:ops:main"
        ));
        assert!(!scope_holds(
            &BudgetScope::Agent("ops".into()),
            "main",
            "agent:main:main"
        ));
        assert!(scope_holds(
            &BudgetScope::CronJob("j1".into()),
            "main",
            "agent:main:cron:j1:run:s"
        ));
        assert!(scope_holds(
            &BudgetScope::CronJob("j1".into()),
            "main",
            "agent:main:cron:j1"
        ));
        assert!(!scope_holds(
            &BudgetScope::CronJob("j1".into()),
            "main",
            "agent:main:cron:j10"
        ));
        assert!(layers::job_in_scope(
            &BudgetScope::Agent("main".into()),
            "x",
            None
        ));
        assert!(!layers::job_in_scope(
            &BudgetScope::Agent("ops".into()),
            "x",
            Some("main")
        ));
        assert!(layers::job_in_scope(
            &BudgetScope::CronJob("x".into()),
            "x",
            Some("main")
        ));
    }
}
