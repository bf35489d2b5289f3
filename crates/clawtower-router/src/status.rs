//! What the Router page shows: whether the router runs and where, each provider with its
//! health (disabled and why, circuit open and until when), the aliases and the rules.

use serde::Serialize;

use crate::breaker::Circuit;
use crate::config::{Config, ProviderKind};
use crate::server::RouterState;

/// The router as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RouterStatus {
    /// Off (no config), running, or failed to start.
    pub state: RouterRunState,
    /// The config file it reads (`<data dir>/router.toml`).
    pub config_path: String,
    /// Where agents send their calls (`http://127.0.0.1:8090/v1`), while running.
    pub endpoint: Option<String>,
    /// Why it is not running, when it failed.
    pub error: Option<String>,
    /// The providers, in the config's order.
    pub providers: Vec<ProviderStatus>,
    /// Alias names.
    pub aliases: Vec<String>,
    /// Rule names, in order.
    pub rules: Vec<String>,
}

/// Whether the router runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum RouterRunState {
    /// No `router.toml`: nothing to run.
    Off,
    /// Listening.
    Running,
    /// The config is wrong or the address is taken (`error` says which).
    Failed,
}

/// One provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProviderStatus {
    /// Its id.
    pub id: String,
    /// `openai` or `anthropic`.
    pub kind: String,
    /// Where calls go.
    pub base_url: String,
    /// Models it serves.
    pub models: Vec<String>,
    /// Why it is skipped, when its key cannot be read.
    pub disabled: Option<String>,
    /// The name its key is kept under in the OS keyring, when it is kept there (the key can
    /// then be stored from the app: `store_provider_key`).
    pub keyring: Option<String>,
    /// `closed` (calls go), `open` (skipped until `openUntilMs`) or `probing`.
    pub circuit: String,
    /// When an open circuit lets a probe through, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub open_until_ms: Option<i64>,
}

impl RouterStatus {
    /// The status of a router that is not running (`state` off or failed).
    pub fn stopped(state: RouterRunState, config_path: String, error: Option<String>) -> Self {
        RouterStatus {
            state,
            config_path,
            endpoint: None,
            error,
            providers: Vec::new(),
            aliases: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// The status of a running router.
    pub fn running(
        config_path: String,
        endpoint: String,
        state: &RouterState,
        now_ms: i64,
    ) -> Self {
        let config: std::sync::Arc<Config> = state.config();
        RouterStatus {
            state: RouterRunState::Running,
            config_path,
            endpoint: Some(endpoint),
            error: None,
            providers: config
                .providers
                .iter()
                .map(|p| {
                    let (circuit, open_until_ms) = match state.breakers().circuit(&p.id, now_ms) {
                        Circuit::Closed => ("closed", None),
                        Circuit::Open { until_ms } => ("open", Some(until_ms)),
                        Circuit::Probing => ("probing", None),
                    };
                    ProviderStatus {
                        id: p.id.clone(),
                        kind: match p.kind {
                            ProviderKind::OpenAi => "openai",
                            ProviderKind::Anthropic => "anthropic",
                        }
                        .into(),
                        base_url: p.base_url.clone(),
                        models: p.models.clone(),
                        disabled: p.disabled().map(str::to_string),
                        keyring: p.keyring.clone(),
                        circuit: circuit.into(),
                        open_until_ms,
                    }
                })
                .collect(),
            aliases: config.aliases.iter().map(|a| a.name.clone()).collect(),
            rules: config.rules.iter().map(|r| r.name.clone()).collect(),
        }
    }
}
