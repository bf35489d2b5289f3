//! The router's configuration file (TOML): where it listens, its providers with their keys, and
//! aliases with their fallback chains.
//!
//! ```toml
//! [router]
//! listen = "127.0.0.1:8090"
//!
//! [[providers]]
//! id = "stub"
//! kind = "openai"
//! base_url = "http://127.0.0.1:9001/v1"
//! api_key = "${STUB_KEY}"
//! models = ["stub-model"]
//!
//! [[aliases]]
//! name = "fast"
//! targets = ["stub/stub-model", "backup/stub-model"]
//! ```
//!
//! A key is never written in the file itself: `api_key = "${VAR}"` reads the environment,
//! `api_key_file = "PATH"` an owner-only file, `api_key_keyring = "NAME"` the OS keyring (see
//! [`crate::keyring`]). A provider whose key cannot be read is disabled with the reason, and the
//! others still serve.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::breaker::BreakerSettings;
use crate::rules::{Rule, RuleSection};

/// The address the router listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8090";

/// Where keys named in the file are read.
pub struct KeySources<'a> {
    /// `api_key = "${VAR}"`: the variable's value.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// `api_key_keyring = "NAME"`: the key stored under the name, none, or why the keyring
    /// cannot be read.
    pub keyring: &'a dyn Fn(&str) -> Result<Option<String>, String>,
}

pub use crate::config_error::ConfigError;

/// The whole configuration, checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listening and limits.
    pub settings: Settings,
    /// Upstream providers, in the file's order.
    pub providers: Vec<Provider>,
    /// Named chains of targets.
    pub aliases: Vec<Alias>,
    /// Rules for `auto`, in order.
    pub rules: Vec<Rule>,
}

/// How the router listens and how long it waits.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listening address (loopback unless `allow_remote`).
    pub listen: SocketAddr,
    /// Largest request body accepted (413 beyond it).
    pub max_body_bytes: usize,
    /// Time to connect to a provider.
    pub connect_timeout: Duration,
    /// Time from sending a request to the response's status and first byte: past it, the next
    /// target of the chain is tried.
    pub first_byte_timeout: Duration,
    /// When a provider's circuit opens, and for how long.
    pub breaker: BreakerSettings,
}

/// Which protocol a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// OpenAI-compatible (`/chat/completions`, `/responses`, `/embeddings`, `/models`).
    OpenAi,
    /// Anthropic (`/messages`, `/messages/count_tokens`).
    Anthropic,
}

/// One upstream provider.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Its id: the `provider` of `provider/model`, and the provider in the ledger.
    pub id: String,
    /// The protocol it speaks.
    pub kind: ProviderKind,
    /// The URL the endpoint names follow (`…/v1`), without a trailing slash.
    pub base_url: String,
    /// Its credential.
    pub key: ProviderKey,
    /// The name its key is stored under in the OS keyring (`api_key_keyring`), when it is kept
    /// there.
    pub keyring: Option<String>,
    /// The model ids it serves (a bare id served by exactly one provider routes to it).
    pub models: Vec<String>,
}

/// A provider's credential, as far as it could be read.
#[derive(Clone)]
pub enum ProviderKey {
    /// No key configured (a local server such as Ollama).
    None,
    /// The key to send.
    Ready(String),
    /// The key could not be read: the provider is skipped, for this reason.
    Disabled(String),
    /// The client's own credential is passed on (an OpenClaw provider routed through the
    /// router: OpenClaw keeps its key).
    FromClient,
}

impl std::fmt::Debug for ProviderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProviderKey::None => f.write_str("None"),
            ProviderKey::FromClient => f.write_str("FromClient"),
            ProviderKey::Ready(_) => f.write_str("Ready(<redacted>)"),
            ProviderKey::Disabled(why) => f.debug_tuple("Disabled").field(why).finish(),
        }
    }
}

impl Provider {
    /// Why the provider cannot serve, if it cannot.
    pub fn disabled(&self) -> Option<&str> {
        match &self.key {
            ProviderKey::Disabled(why) => Some(why),
            _ => None,
        }
    }
}

/// A name that stands for a chain of targets, tried in order.
#[derive(Debug, Clone)]
pub struct Alias {
    /// What a request names.
    pub name: String,
    /// `(provider id, model)` in fallback order.
    pub targets: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    router: RouterSection,
    #[serde(default)]
    providers: Vec<ProviderSection>,
    #[serde(default)]
    aliases: Vec<AliasSection>,
    #[serde(default)]
    rules: Vec<RuleSection>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RouterSection {
    listen: Option<String>,
    max_body_mb: Option<u64>,
    connect_timeout_ms: Option<u64>,
    first_byte_timeout_s: Option<u64>,
    breaker_failures: Option<u32>,
    breaker_window_s: Option<u64>,
    breaker_cooldown_s: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderSection {
    id: String,
    kind: ProviderKind,
    base_url: String,
    api_key: Option<String>,
    api_key_file: Option<String>,
    api_key_keyring: Option<String>,
    #[serde(default)]
    models: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasSection {
    name: String,
    targets: Vec<String>,
}

impl Config {
    /// Reads and checks the file at `path`, keys from the process environment and the OS
    /// keyring.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let sources = KeySources {
            env: &|name| std::env::var(name).ok(),
            keyring: &|name| clawtower_core::blocking::run(|| crate::keyring::lookup(name)),
        };
        Config::load_with(path, &sources)
    }

    /// Reads and checks the file at `path` for its settings alone (where the router listens…):
    /// no key is read, from the environment or the OS keyring (which may ask to be unlocked).
    pub fn load_settings(path: &Path) -> Result<Settings, ConfigError> {
        let keyring = |_: &str| Ok(None);
        let sources = KeySources {
            env: &|_| None,
            keyring: &keyring,
        };
        Config::load_with(path, &sources).map(|config| config.settings)
    }

    fn load_with(path: &Path, sources: &KeySources<'_>) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
        Config::parse_with(&text, sources)
            .map_err(|e| ConfigError(format!("{}: {}", path.display(), e.0)))
    }

    /// Checks a configuration's text; `env` looks up `${VAR}` keys (no keyring is read: a
    /// provider whose key is in it is disabled).
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let keyring = |_: &str| Err("no OS keyring is read here".to_string());
        Config::parse_with(
            text,
            &KeySources {
                env,
                keyring: &keyring,
            },
        )
    }

    /// Checks a configuration's text, keys read from `sources`.
    pub fn parse_with(text: &str, sources: &KeySources<'_>) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        let settings = settings(&file.router)?;
        let mut ids = HashSet::new();
        let mut providers = Vec::new();
        for section in file.providers {
            let provider = provider(section, sources)?;
            if !ids.insert(provider.id.clone()) {
                return Err(ConfigError(format!(
                    "provider \"{}\" is listed twice",
                    provider.id
                )));
            }
            providers.push(provider);
        }
        let mut names = HashSet::new();
        let mut aliases = Vec::new();
        for section in file.aliases {
            let alias = alias(section, &providers)?;
            if !names.insert(alias.name.clone()) {
                return Err(ConfigError(format!(
                    "alias \"{}\" is listed twice",
                    alias.name
                )));
            }
            aliases.push(alias);
        }
        let mut config = Config {
            settings,
            providers,
            aliases,
            rules: Vec::new(),
        };
        for section in file.rules {
            let rule = section.checked()?;
            let known = |target: &str| {
                config.aliases.iter().any(|a| a.name == target)
                    || target
                        .split_once('/')
                        .is_some_and(|(p, _)| config.provider(p).is_some())
                    || config
                        .providers
                        .iter()
                        .any(|p| p.models.iter().any(|m| m == target))
            };
            if !known(&rule.target) {
                return Err(ConfigError(format!(
                    "rule \"{}\": target \"{}\" is no alias, provider/model or model id",
                    rule.name, rule.target
                )));
            }
            config.rules.push(rule);
        }
        Ok(config)
    }

    /// The provider with this id.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }
}

fn settings(section: &RouterSection) -> Result<Settings, ConfigError> {
    let listen = section.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
    let listen = listen
        .parse()
        .map_err(|_| ConfigError(format!("router.listen \"{listen}\" is not an address:port")))?;
    Ok(Settings {
        listen,
        max_body_bytes: (section.max_body_mb.unwrap_or(32).clamp(1, 1024) * 1024 * 1024) as usize,
        connect_timeout: Duration::from_millis(
            section
                .connect_timeout_ms
                .unwrap_or(5_000)
                .clamp(100, 60_000),
        ),
        first_byte_timeout: Duration::from_secs(
            section.first_byte_timeout_s.unwrap_or(120).clamp(1, 3_600),
        ),
        breaker: {
            let default = BreakerSettings::default();
            BreakerSettings {
                failures: section
                    .breaker_failures
                    .unwrap_or(default.failures)
                    .clamp(1, 1_000),
                window: section
                    .breaker_window_s
                    .map_or(default.window, |s| Duration::from_secs(s.clamp(1, 86_400))),
                cooldown: section.breaker_cooldown_s.map_or(default.cooldown, |s| {
                    Duration::from_secs(s.clamp(1, 86_400))
                }),
            }
        },
    })
}

/// Ids go into ASCII response headers and the ledger: letters, digits, `-`, `_` and `.`.
fn check_id(what: &str, id: &str) -> Result<(), ConfigError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError(format!(
            "{what} \"{id}\" must be 1–64 letters, digits, '-', '_' or '.'"
        )))
    }
}

fn provider(section: ProviderSection, sources: &KeySources<'_>) -> Result<Provider, ConfigError> {
    check_id("provider id", &section.id)?;
    let id = section.id;
    let base = url::Url::parse(section.base_url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            ConfigError(format!(
                "provider \"{id}\": base_url \"{}\" is not an http(s) URL",
                section.base_url
            ))
        })?;
    let keyring = section.api_key_keyring.clone();
    let key = match (
        section.api_key,
        section.api_key_file,
        section.api_key_keyring,
    ) {
        (Some(text), None, None) => key_from_env(&id, &text, sources.env)?,
        (None, Some(path), None) => key_from_file(Path::new(&path)),
        (None, None, Some(name)) => key_from_keyring(&name, sources.keyring),
        (None, None, None) => ProviderKey::None,
        _ => {
            return Err(ConfigError(format!(
                "provider \"{id}\": give one of api_key, api_key_file and api_key_keyring"
            )))
        }
    };
    let models: Vec<String> = section
        .models
        .into_iter()
        .map(|m| m.trim().to_string())
        .collect();
    if let Some(bad) = models.iter().find(|m| m.is_empty() || m.contains('/')) {
        return Err(ConfigError(format!(
            "provider \"{id}\": model \"{bad}\" must be a bare model id (no '/')"
        )));
    }
    Ok(Provider {
        id,
        kind: section.kind,
        base_url: base.as_str().trim_end_matches('/').to_string(),
        key,
        keyring,
        models,
    })
}

/// `${VAR}` only: a key written in the file itself would sit in a file others may read.
fn key_from_env(
    id: &str,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ProviderKey, ConfigError> {
    let name = text
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .ok_or_else(|| {
            ConfigError(format!(
                "provider \"{id}\": api_key must name an environment variable as \"${{VAR}}\" \
                 (or use api_key_file with an owner-only file); a key written in the config \
                 file is refused"
            ))
        })?;
    Ok(match env(name).map(|v| v.trim().to_string()) {
        Some(value) if !value.is_empty() => ProviderKey::Ready(value),
        Some(_) => ProviderKey::Disabled(format!("the environment variable {name} is empty")),
        None => ProviderKey::Disabled(format!("the environment variable {name} is not set")),
    })
}

fn key_from_keyring(
    name: &str,
    keyring: &dyn Fn(&str) -> Result<Option<String>, String>,
) -> ProviderKey {
    match keyring(name).map(|key| key.map(|k| k.trim().to_string())) {
        Ok(Some(key)) if !key.is_empty() => ProviderKey::Ready(key),
        Ok(_) => ProviderKey::Disabled(format!(
            "no key named \"{name}\" in the OS keyring: store it on the Router page or with \
             `clawtower router provider-key set {name}`"
        )),
        Err(why) => ProviderKey::Disabled(why),
    }
}

fn key_from_file(path: &Path) -> ProviderKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                return ProviderKey::Disabled(format!(
                    "{} can be read by others: chmod 600 it",
                    path.display()
                ))
            }
            Ok(_) => {}
            Err(e) => return ProviderKey::Disabled(format!("cannot read {}: {e}", path.display())),
        }
    }
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => ProviderKey::Ready(text.trim().to_string()),
        Ok(_) => ProviderKey::Disabled(format!("{} is empty", path.display())),
        Err(e) => ProviderKey::Disabled(format!("cannot read {}: {e}", path.display())),
    }
}

fn alias(section: AliasSection, providers: &[Provider]) -> Result<Alias, ConfigError> {
    check_id("alias", &section.name)?;
    if section.name == "auto" {
        return Err(ConfigError("\"auto\" is reserved for routing rules".into()));
    }
    if section.targets.is_empty() {
        return Err(ConfigError(format!(
            "alias \"{}\" has no targets",
            section.name
        )));
    }
    let mut targets = Vec::new();
    for target in &section.targets {
        let (provider, model) = target.split_once('/').ok_or_else(|| {
            ConfigError(format!(
                "alias \"{}\": target \"{target}\" must be provider/model",
                section.name
            ))
        })?;
        if !providers.iter().any(|p| p.id == provider) {
            return Err(ConfigError(format!(
                "alias \"{}\": no provider \"{provider}\"",
                section.name
            )));
        }
        targets.push((provider.to_string(), model.to_string()));
    }
    Ok(Alias {
        name: section.name,
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUB: &str = r#"
        [[providers]]
        id = "stub"
        kind = "openai"
        base_url = "http://127.0.0.1:9001/v1"
        api_key = "${STUB_KEY}"
        models = ["stub-model"]
    "#;

    fn env(name: &str) -> Option<String> {
        (name == "STUB_KEY").then(|| "sk-test".to_string())
    }

    #[test]
    fn the_issue_example_parses_with_its_key_from_the_environment() {
        let config = Config::parse(STUB, &env).unwrap();
        let stub = config.provider("stub").unwrap();
        assert_eq!(stub.kind, ProviderKind::OpenAi);
        assert_eq!(stub.base_url, "http://127.0.0.1:9001/v1");
        assert!(matches!(&stub.key, ProviderKey::Ready(k) if k == "sk-test"));
        assert_eq!(config.settings.listen.to_string(), DEFAULT_LISTEN);
        assert!(
            !format!("{config:?}").contains("sk-test"),
            "keys are redacted"
        );
    }

    #[test]
    fn an_unset_variable_disables_the_provider_with_the_reason() {
        let config = Config::parse(STUB, &|_| None).unwrap();
        assert_eq!(
            config.provider("stub").unwrap().disabled(),
            Some("the environment variable STUB_KEY is not set")
        );
    }

    #[test]
    fn mistakes_are_refused_with_what_to_change() {
        let refused = |text: &str| Config::parse(text, &env).unwrap_err().0;
        let literal = STUB.replace("${STUB_KEY}", "sk-live-123");
        assert!(refused(&literal).contains("environment variable"));
        assert!(refused(&format!("{STUB}{STUB}")).contains("listed twice"));
        assert!(refused(&STUB.replace("http://127.0.0.1:9001/v1", "ftp://x")).contains("http(s)"));
        assert!(refused(&STUB.replace("\"stub\"", "\"st ub\"")).contains("letters, digits"));
        assert!(refused(&format!(
            "{STUB}\n[[aliases]]\nname = \"f\"\ntargets = [\"nope/m\"]"
        ))
        .contains("no provider \"nope\""));
        assert!(refused("[router]\nlisten = \"everywhere\"").contains("address:port"));
        assert!(refused("[router]\nlisen = \"x\"").contains("unknown field"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_disables_the_provider() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "sk-file\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let text = STUB.replace(
            "api_key = \"${STUB_KEY}\"",
            &format!("api_key_file = \"{}\"", path.display()),
        );
        let open = Config::parse(&text, &env).unwrap();
        assert!(open
            .provider("stub")
            .unwrap()
            .disabled()
            .unwrap()
            .contains("chmod 600"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let private = Config::parse(&text, &env).unwrap();
        assert!(
            matches!(&private.provider("stub").unwrap().key, ProviderKey::Ready(k) if k == "sk-file")
        );
    }

    #[test]
    fn a_key_in_the_os_keyring_is_read_and_a_missing_or_unreachable_one_disables_its_provider() {
        let text = STUB.replace("api_key = \"${STUB_KEY}\"", "api_key_keyring = \"stub\"");
        let parse = |keyring: &dyn Fn(&str) -> Result<Option<String>, String>| {
            let sources = KeySources { env: &env, keyring };
            Config::parse_with(&text, &sources)
                .unwrap()
                .providers
                .remove(0)
                .key
        };
        let stored = parse(&|name| Ok((name == "stub").then(|| "sk-kr\n".to_string())));
        assert!(matches!(&stored, ProviderKey::Ready(k) if k == "sk-kr"));
        let missing = parse(&|_| Ok(None));
        assert!(
            matches!(&missing, ProviderKey::Disabled(why) if why.contains("clawtower router provider-key set stub")),
            "{missing:?}"
        );
        let locked = parse(&|_| Err("the OS keyring cannot be used (locked)".into()));
        assert!(matches!(&locked, ProviderKey::Disabled(why) if why.contains("(locked)")));
        // Without a keyring (Config::parse): disabled, never a failure of the whole file.
        let plain = Config::parse(&text, &env).unwrap();
        assert!(plain.provider("stub").unwrap().disabled().is_some());
        // One source per key.
        let both = text.replace("models", "api_key = \"${STUB_KEY}\"\nmodels");
        let err = Config::parse(&both, &env).unwrap_err().to_string();
        assert!(
            err.contains("give one of api_key, api_key_file and api_key_keyring"),
            "{err}"
        );
    }
}
