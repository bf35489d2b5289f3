//! One change a pause made on the gateway, with what undoing it takes.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A change made by a pause. Resume undoes each one in reverse order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum PauseStep {
    /// `config.patch cron.enabled=false`; `prior_cron` is the `cron` object as the file had it
    /// (JSON text), or `None` when the file had no `cron` key.
    CronSchedulerDisabled {
        /// The `cron` object before, as JSON text.
        prior_cron: Option<String>,
    },
    /// `set-heartbeats false`.
    HeartbeatsDisabled,
    /// `channels.stop` of a running channel account.
    ChannelStopped {
        /// Channel id.
        channel: String,
        /// Account id.
        account_id: String,
    },
    /// `cron.update enabled=false` of one enabled job (agent- or job-scoped pauses).
    CronJobDisabled {
        /// Job id.
        id: String,
        /// Job name, for people.
        name: String,
    },
    /// `sessions.abort {clearQueued:true}` of a running session (nothing to undo).
    SessionAborted {
        /// Session key.
        key: String,
    },
    /// The hard layer: Clawtower's model router refuses every call in the pause's scope while
    /// it holds (its gate reads the active pauses; lifting the pause reopens it, so there is
    /// nothing to undo). Recorded when the router has keys in use.
    RouterGateClosed {
        /// OpenClaw providers routed through the router when the pause began.
        routed_providers: u32,
    },
}

impl PauseStep {
    /// What was done, for people.
    pub fn describe(&self) -> String {
        match self {
            PauseStep::CronSchedulerDisabled { .. } => {
                "cron scheduler turned off (cron.enabled=false)".into()
            }
            PauseStep::HeartbeatsDisabled => "heartbeat wakes turned off".into(),
            PauseStep::ChannelStopped {
                channel,
                account_id,
            } => {
                format!("channel {channel} ({account_id}) stopped")
            }
            PauseStep::CronJobDisabled { name, id } => format!("cron job {name} ({id}) disabled"),
            PauseStep::SessionAborted { key } => format!("run in {key} aborted"),
            PauseStep::RouterGateClosed {
                routed_providers: 0,
            } => "model calls through Clawtower's router refused".into(),
            PauseStep::RouterGateClosed { routed_providers } => format!(
                "model calls through Clawtower's router refused ({routed_providers} OpenClaw \
                 provider{} routed through it)",
                if *routed_providers == 1 { "" } else { "s" }
            ),
        }
    }

    /// Whether resume has something to undo.
    pub fn is_undoable(&self) -> bool {
        !matches!(
            self,
            PauseStep::SessionAborted { .. } | PauseStep::RouterGateClosed { .. }
        )
    }
}

/// The merge patch that puts `cron.enabled` back exactly as it was, given the `cron` object
/// before the pause (`prior`) and now (`current`): a key that was absent is deleted, and a
/// `cron` object the pause created is removed altogether.
pub fn cron_restore_patch(prior: Option<&Value>, current: Option<&Value>) -> Value {
    match prior {
        Some(prior) => {
            json!({"cron": {"enabled": prior.get("enabled").cloned().unwrap_or(Value::Null)}})
        }
        None => {
            let only_enabled = current
                .and_then(Value::as_object)
                .is_none_or(|o| o.keys().all(|k| k == "enabled"));
            if only_enabled {
                json!({"cron": null})
            } else {
                json!({"cron": {"enabled": null}})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_is_restored_exactly() {
        let was = json!({"enabled": true, "maxConcurrentRuns": 2});
        assert_eq!(
            cron_restore_patch(Some(&was), None),
            json!({"cron": {"enabled": true}})
        );
        let no_flag = json!({"maxConcurrentRuns": 2});
        assert_eq!(
            cron_restore_patch(Some(&no_flag), None),
            json!({"cron": {"enabled": null}})
        );
        // No `cron` before: remove what the pause added…
        let now = json!({"enabled": false});
        assert_eq!(cron_restore_patch(None, Some(&now)), json!({"cron": null}));
        // …but keep anything the user added meanwhile.
        let edited = json!({"enabled": false, "maxConcurrentRuns": 3});
        assert_eq!(
            cron_restore_patch(None, Some(&edited)),
            json!({"cron": {"enabled": null}})
        );
    }

    #[test]
    fn steps_serialize_with_a_tag() {
        let step = PauseStep::ChannelStopped {
            channel: "telegram".into(),
            account_id: "default".into(),
        };
        let text = serde_json::to_string(&step).unwrap();
        assert_eq!(
            text,
            r#"{"step":"channelStopped","channel":"telegram","account_id":"default"}"#
        );
        assert_eq!(serde_json::from_str::<PauseStep>(&text).unwrap(), step);
        assert!(!PauseStep::SessionAborted { key: "k".into() }.is_undoable());
    }
}
