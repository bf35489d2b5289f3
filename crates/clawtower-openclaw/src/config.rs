//! OpenClaw's `openclaw.json` (JSON5), read-only, and the gateway settings derived from it.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::location::OpenClawEnv;

/// OpenClaw's default gateway port.
pub const DEFAULT_GATEWAY_PORT: u16 = 18789;

/// Why a config file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The config path.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON5.
    #[error("{path} is not valid JSON5: {message}")]
    Parse {
        /// The config path.
        path: String,
        /// The parser's message (with line and column).
        message: String,
    },
}

/// How deeply arrays and objects may nest in `openclaw.json`. The JSON5 parser recurses once per
/// level, so deeper input is refused before it is parsed (a stack overflow otherwise); real
/// configs nest a handful of levels.
pub const MAX_NESTING: usize = 64;

/// A parsed `openclaw.json`. It holds the gateway token and password: `Debug` shows neither.
#[derive(Clone)]
pub struct OpenClawConfig {
    root: Value,
}

impl std::fmt::Debug for OpenClawConfig {
    /// Only the top-level keys: the values may be secrets (`gateway.auth.token`, API keys).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&String> = self
            .root
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        f.debug_struct("OpenClawConfig")
            .field("keys", &keys)
            .field("values", &"<redacted>")
            .finish()
    }
}

/// Parses JSON or JSON5 text, refusing nesting deeper than [`MAX_NESTING`] first (the parser
/// would recurse once per level): every JSON5 file Clawtower reads goes through it.
pub fn parse_json5(text: &str) -> Result<Value, String> {
    check_nesting(text)?;
    json5::from_str(text).map_err(|e| e.to_string())
}

/// Refuses JSON5 text whose arrays and objects nest deeper than [`MAX_NESTING`]. Brackets in
/// strings and comments do not count; anything else malformed is left to the parser.
fn check_nesting(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut i) = (0usize, 1usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'\n') {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "arrays and objects are nested deeper than {MAX_NESTING} levels (line {line})"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// How the gateway authenticates clients (`gateway.auth.mode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum AuthMode {
    /// No auth.
    None,
    /// Shared token (the default).
    Token,
    /// Password, entered by the user.
    Password,
    /// Behind an authenticating reverse proxy.
    TrustedProxy,
    /// A mode this Clawtower does not know yet.
    Other(String),
}

/// What Clawtower needs to reach the gateway. Never holds the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySettings {
    /// Port: `OPENCLAW_GATEWAY_PORT` > `gateway.port` > 18789.
    pub port: u16,
    /// `gateway.bind` (`loopback` by default).
    pub bind: String,
    /// `gateway.auth.mode` (`token` by default).
    pub auth_mode: AuthMode,
    /// Whether a token is available (config or `OPENCLAW_GATEWAY_TOKEN`).
    pub token_configured: bool,
}

impl GatewaySettings {
    /// The HTTP base URL a local client uses (the gateway shares one port for HTTP and WS).
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl OpenClawConfig {
    /// Reads and parses the config; `Ok(None)` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<Self>, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        Self::parse(&text)
            .map(Some)
            .map_err(|message| ConfigError::Parse {
                path: path.display().to_string(),
                message,
            })
    }

    /// Parses config text (JSON or JSON5); nesting deeper than [`MAX_NESTING`] is refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        let root = parse_json5(text)?;
        if !root.is_object() {
            return Err("the top level is not an object".into());
        }
        Ok(OpenClawConfig { root })
    }

    fn get(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(&self.root, |v, key| v.get(key))
    }

    fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.get(path).and_then(Value::as_str)
    }

    /// The gateway settings, with OpenClaw's precedence for the port and token.
    pub fn gateway(&self, env: &OpenClawEnv) -> GatewaySettings {
        let env_port = env
            .gateway_port
            .as_deref()
            .and_then(|p| p.trim().parse().ok());
        let config_port = self
            .get(&["gateway", "port"])
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok());
        let auth_mode = match self.str_at(&["gateway", "auth", "mode"]).unwrap_or("token") {
            "none" => AuthMode::None,
            "token" => AuthMode::Token,
            "password" => AuthMode::Password,
            "trusted-proxy" => AuthMode::TrustedProxy,
            other => AuthMode::Other(other.to_string()),
        };
        let token_in_config = self
            .str_at(&["gateway", "auth", "token"])
            .is_some_and(|t| !t.is_empty());
        GatewaySettings {
            port: env_port.or(config_port).unwrap_or(DEFAULT_GATEWAY_PORT),
            bind: self
                .str_at(&["gateway", "bind"])
                .unwrap_or("loopback")
                .to_string(),
            auth_mode,
            token_configured: token_in_config || env.gateway_token_set,
        }
    }

    /// The gateway token: `OPENCLAW_GATEWAY_TOKEN`, else `gateway.auth.token`. A secret: callers
    /// must never print or log it.
    pub fn gateway_token(&self) -> Option<String> {
        std::env::var("OPENCLAW_GATEWAY_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .or_else(|| {
                self.str_at(&["gateway", "auth", "token"])
                    .filter(|t| !t.is_empty())
                    .map(String::from)
            })
    }

    /// The gateway password (`gateway.auth.mode = password`): `OPENCLAW_GATEWAY_PASSWORD`, else
    /// `gateway.auth.password` when it is a plain string. A secret: never printed or logged.
    pub fn gateway_password(&self) -> Option<String> {
        std::env::var("OPENCLAW_GATEWAY_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .or_else(|| {
                self.str_at(&["gateway", "auth", "password"])
                    .filter(|p| !p.is_empty())
                    .map(String::from)
            })
    }

    /// Every `(provider, model id, cost)` in `models.providers.<id>.models[]` that declares a cost
    /// (USD per 1M tokens: `input`, `output`, `cacheRead`, `cacheWrite`).
    pub fn model_costs(&self) -> Vec<(String, String, &Value)> {
        let Some(providers) = self
            .get(&["models", "providers"])
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (provider, spec) in providers {
            let models = spec.get("models").and_then(Value::as_array);
            for model in models.into_iter().flatten() {
                if let (Some(id), Some(cost)) =
                    (model.get("id").and_then(Value::as_str), model.get("cost"))
                {
                    if cost.is_object() {
                        out.push((provider.clone(), id.to_string(), cost));
                    }
                }
            }
        }
        out
    }

    /// Agent ids declared in the config (`agents.entries.<id>`), sorted.
    pub fn agent_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .get(&["agents", "entries"])
            .and_then(Value::as_object)
            .map(|entries| entries.keys().cloned().collect())
            .unwrap_or_default();
        ids.sort();
        ids
    }
}

/// Gateway settings when there is no config file at all: OpenClaw's defaults plus the environment.
pub fn default_gateway(env: &OpenClawEnv) -> GatewaySettings {
    OpenClawConfig {
        root: Value::Object(Default::default()),
    }
    .gateway(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      // JSON5: comments, trailing commas
      gateway: { mode: "local", port: 18795, bind: "loopback",
                 auth: { mode: "token", token: "secret" }, },
      agents: { entries: { work: { name: "Work" }, main: {} } },
    }"#;

    #[test]
    fn reads_gateway_settings_from_json5() {
        let cfg = OpenClawConfig::parse(SAMPLE).unwrap();
        let gw = cfg.gateway(&OpenClawEnv::default());
        assert_eq!(gw.port, 18795);
        assert_eq!(gw.bind, "loopback");
        assert_eq!(gw.auth_mode, AuthMode::Token);
        assert!(gw.token_configured);
        assert_eq!(gw.http_url(), "http://127.0.0.1:18795");
        assert_eq!(cfg.agent_ids(), vec!["main", "work"]);
    }

    #[test]
    fn env_port_wins_and_defaults_apply() {
        let env = OpenClawEnv {
            gateway_port: Some("19000".into()),
            ..Default::default()
        };
        assert_eq!(
            OpenClawConfig::parse(SAMPLE).unwrap().gateway(&env).port,
            19000
        );
        let gw = default_gateway(&OpenClawEnv::default());
        assert_eq!(gw.port, DEFAULT_GATEWAY_PORT);
        assert_eq!(gw.auth_mode, AuthMode::Token);
        assert!(!gw.token_configured);
    }

    #[test]
    fn password_mode_and_unknown_modes_are_reported() {
        let cfg = OpenClawConfig::parse(r#"{"gateway":{"auth":{"mode":"password"}}}"#).unwrap();
        assert_eq!(
            cfg.gateway(&OpenClawEnv::default()).auth_mode,
            AuthMode::Password
        );
        let cfg = OpenClawConfig::parse(r#"{"gateway":{"auth":{"mode":"oidc"}}}"#).unwrap();
        assert_eq!(
            cfg.gateway(&OpenClawEnv::default()).auth_mode,
            AuthMode::Other("oidc".into())
        );
    }

    #[test]
    fn bad_config_is_a_clear_error_not_a_panic() {
        assert!(OpenClawConfig::parse("{ gateway: ").is_err());
        assert!(OpenClawConfig::parse("[1,2]").is_err());
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("openclaw.json");
        assert!(OpenClawConfig::load(&path).unwrap().is_none());
        std::fs::write(&path, "{ nope").unwrap();
        let err = OpenClawConfig::load(&path).unwrap_err();
        assert!(err.to_string().contains("not valid JSON5"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_before_the_parser_recurses() {
        for open in ["[", "{\"a\":"] {
            let text = format!("{{\"x\": {}", open.repeat(100_000));
            let err = OpenClawConfig::parse(&text).unwrap_err();
            assert!(err.contains("nested deeper than"), "{err}");
        }
        // Brackets in strings and comments do not count; moderate nesting is fine.
        let ok = format!(
            "{{ s: \"{}\", // {}\n /* {} */ d: {}1{} }}",
            "[".repeat(1000),
            "{".repeat(1000),
            "[".repeat(1000),
            "[".repeat(60),
            "]".repeat(60)
        );
        OpenClawConfig::parse(&ok).unwrap();
    }

    #[test]
    fn debug_never_shows_the_token_or_password() {
        let cfg = OpenClawConfig::parse(
            r#"{gateway: {auth: {mode: "password", token: "TOKEN_SECRET", password: "PW_SECRET"}}}"#,
        )
        .unwrap();
        let debug = format!("{cfg:?}");
        assert!(
            !debug.contains("TOKEN_SECRET") && !debug.contains("PW_SECRET"),
            "{debug}"
        );
    }
}
