//! The one list of commands.

/// Calls `$callback!` with every command, once each, as
/// `$(#[doc])* fn name(arg: Type, …) -> Ok;` — the function in [`crate::commands`] of the same
/// name takes `(&Runtime, arg, …)` and returns `Result<Ok, ApiError>`. Types are named as
/// [`crate::types`] exports them: the expansion site imports `clawtower_api::types::*`.
///
/// Argument names are single words: they are the JSON keys of the call's arguments, the same
/// over Tauri IPC and HTTP. See docs/ipc-contract.md for what each command does and answers.
#[macro_export]
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            /// Version, data dir and database path.
            fn app_info() -> AppInfo;
            /// Spend today, this week and this month, from the ledger.
            fn spend_summary() -> SpendSummary;
            /// The top agents, models and sessions of today, this week or this month.
            fn top_spend(period: SpendPeriod) -> TopSpend;
            /// What Clawtower found of OpenClaw (same as `clawtower doctor --json`).
            fn doctor() -> DoctorReport;
            /// Every followed gateway and its connection state, local first.
            fn gateways() -> Vec<GatewayStatus>;
            /// Follows another gateway; returns every gateway (the new one connecting).
            fn add_gateway(draft: GatewayDraft) -> Vec<GatewayStatus>;
            /// Stops following an added gateway (restorable for an hour); refused while a pause
            /// made on it holds (resuming needs the connection).
            fn remove_gateway(id: i32) -> Vec<GatewayStatus>;
            /// Undoes a removal.
            fn restore_gateway(id: i32) -> Vec<GatewayStatus>;
            /// Sets the token or password Clawtower sends to a gateway (`null` forgets the
            /// entered one; the local gateway then uses openclaw.json's again); its connection
            /// restarts with it.
            fn set_gateway_credential(id: i32, credential: Option<GatewayCredential>) -> Vec<GatewayStatus>;
            /// Current settings.
            fn get_settings() -> Settings;
            /// Stores the theme and returns the new settings.
            fn set_theme(theme: Theme) -> Settings;
            /// Turns launch-at-login on or off and returns the new settings.
            fn set_launch_at_login(enabled: bool) -> Settings;
            /// Every budget with where it stands, and the pauses holding now.
            fn budget_board() -> BudgetBoard;
            /// Adds a budget (`id` null) or changes one; returns it as stored (validated).
            fn save_budget(id: Option<i32>, draft: BudgetDraft) -> Budget;
            /// Removes a budget; returns it, for undo.
            fn remove_budget(id: i32) -> Budget;
            /// Undoes a removal.
            fn restore_budget(budget: Budget) -> ();
            /// The latest alerts, newest first.
            fn alerts() -> Vec<Alert>;
            /// Acknowledges one alert, or all (`id` null).
            fn acknowledge_alerts(id: Option<i32>) -> ();
            /// Pauses everything now (soft layers + abort), recording what changed.
            fn pause_all() -> PauseView;
            /// Undoes every pause exactly; returns what was resumed (with problems, if any).
            fn resume_all() -> Vec<PauseView>;
            /// Every alert sink (secrets are never returned).
            fn alert_sinks() -> Vec<SinkView>;
            /// Adds an alert sink (validated; code INVALID_INPUT says what is wrong).
            fn add_alert_sink(draft: SinkDraft) -> SinkView;
            /// Removes an alert sink.
            fn remove_alert_sink(id: i32) -> ();
            /// Sends a test alert to a sink now; `null` when delivered, else why it was not.
            fn test_alert_sink(id: i32) -> Option<String>;
            /// Every anomaly rule.
            fn anomaly_rules() -> AnomalyRules;
            /// Adds an anomaly rule (validated).
            fn add_anomaly_rule(draft: AnomalyDraft) -> Anomaly;
            /// Removes an anomaly rule.
            fn remove_anomaly_rule(id: i32) -> ();
            /// Whether the model router runs, where, and each provider's health.
            fn router_status() -> RouterStatus;
            /// Stores a provider's API key in the OS keyring (a provider whose key router.toml
            /// keeps there); the running router uses it from the next call.
            fn store_provider_key(provider: String, key: String) -> RouterStatus;
            /// Every router key, newest first (never the keys themselves).
            fn router_keys() -> Vec<KeyView>;
            /// Makes a router key for an agent; the answer holds the key, shown this once.
            fn create_router_key(draft: KeyDraft) -> CreatedKey;
            /// Revokes a router key: calls with it are refused from now on.
            fn revoke_router_key(id: i32) -> KeyView;
            /// The latest calls through the router, and spend per provider and key today and
            /// this month.
            fn router_activity() -> RouterActivity;
            /// The OpenClaw providers routed through the router now.
            fn router_attachments() -> RouteThrough;
            /// Routes the local gateway's model providers through the running router, in one
            /// change OpenClaw applies or refuses whole; OpenClaw keeps its own API keys.
            fn attach_router() -> RouteThrough;
            /// Puts the local gateway's providers back exactly as they were before attach.
            fn detach_router() -> RouteThrough;
            /// Every agent of the local gateway with its live status, sessions and spend.
            fn agents() -> Vec<AgentRow>;
            /// Creates an agent; returns its id.
            fn create_agent(draft: AgentDraft) -> String;
            /// Changes an agent's name, model or emoji.
            fn edit_agent(id: String, edit: AgentEdit) -> ();
            /// Archives an agent (recoverable); running it again completes an archive that
            /// stopped half-way.
            fn archive_agent(id: String) -> ArchiveView;
            /// Restores an archived agent (`<name>-2` when its name was taken).
            fn restore_agent(archive: String) -> Restored;
            /// Deletes an archive for good; `confirm` is the agent's name.
            fn purge_archive(archive: String, confirm: String) -> ();
            /// Every archived agent, newest first.
            fn archived_agents() -> Vec<ArchiveView>;
            /// The latest lifecycle actions (who, what, when, how it went), newest first.
            fn audit_log() -> Vec<AuditEntry>;
            /// Every session of every agent matching the filters (live status, kind, models,
            /// spend, activity), a page of them, and what the filters can choose from.
            fn sessions(query: SessionQuery) -> SessionPage;
            /// A session's whole timeline (every transcript generation; long texts cut to a
            /// preview), each model call with the cost the ledger counted.
            fn session_timeline(key: String) -> Timeline;
            /// The first `count` entries of a session's timeline, read from the head of its
            /// transcripts (`totalEntries` is null while more follow): what a long session's
            /// window shows while the rest is read.
            fn session_timeline_start(key: String, count: u32) -> Timeline;
            /// A session's timeline from its entry `from` on, when the entry before is still
            /// `after_id` (else whole, `offset` 0): what a window showing a growing session
            /// reads again.
            fn session_timeline_since(key: String, from: u32, after_id: Option<String>) -> Timeline;
            /// One timeline entry with its whole text ("show all").
            fn session_entry(key: String, id: String) -> TimelineEntry;
            /// The sub-agent tree a session belongs to, costs rolled up to each parent.
            fn session_tree(key: String) -> SessionTree;
            /// A session exported whole, as JSON or Markdown (the UI saves it where the user says).
            fn session_export(key: String, format: ExportFormat) -> String;
            /// Usage and cost in a window of local days: a series stacked by model, agent,
            /// provider or channel; tables per agent, model, provider, session and cron job;
            /// cache savings, unpriced tokens with the reason, and a "what if" price.
            fn usage(query: UsageQuery) -> UsageView;
            /// A usage view's tables as CSV, or the view as JSON (the UI saves it).
            fn usage_export(query: UsageQuery, format: UsageExportFormat) -> String;
            /// Every model the price book prices (what a "what if" can price on).
            fn price_models() -> Vec<String>;
            /// Stops a session's running turn and its queued ones; whether one was running.
            fn abort_session(key: String) -> bool;
            /// Starts a new transcript for a session (OpenClaw keeps the old one).
            fn reset_session(key: String) -> ();
            /// Deletes a session; OpenClaw archives its transcript, the ledger keeps its calls.
            fn delete_session(key: String) -> ();
            /// Labels, pins or archives a session in OpenClaw.
            fn change_session(key: String, change: SessionChange) -> ();
            /// What OpenClaw holds on a session now (label, pinned, archived, and which of
            /// those it lets change); null when the gateway has no such session.
            fn session_state(key: String) -> Option<SessionState>;
            /// Kills a sub-agent: aborts its session and every session it spawned; how many
            /// runs were stopped.
            fn kill_session(key: String) -> u32;
            /// Aborts every running turn of an agent; how many were stopped.
            fn abort_agent(id: String) -> u32;
            /// Every cron job of the local gateway, switched-off ones included.
            fn crons() -> Vec<CronRow>;
            /// Makes a cron job (its schedule checked first); returns its id.
            fn add_cron(draft: CronDraft) -> String;
            /// Changes a cron job.
            fn edit_cron(id: String, draft: CronDraft) -> ();
            /// Switches a cron job on or off.
            fn set_cron_enabled(id: String, enabled: bool) -> ();
            /// Runs a cron job now; the run's id.
            fn run_cron(id: String) -> Option<String>;
            /// Removes a cron job.
            fn remove_cron(id: String) -> ();
            /// A cron job's latest runs, each with its calls, tokens and cost from the ledger.
            fn cron_runs(id: String) -> Vec<CronRunRow>;
            /// A schedule checked as OpenClaw will run it, in words, with its next five runs
            /// (the New/Edit job dialog's live preview; `job`: the job being changed, whose id
            /// sets the delay OpenClaw staggers its top-of-hour runs by; no gateway needed).
            fn cron_preview(schedule: Schedule, job: Option<String>) -> SchedulePreview;
        }
    };
}
