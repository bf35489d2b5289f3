//! Where alerts can go besides the desktop, and how a sink is shown without its secrets.

use serde::{Deserialize, Serialize};

use clawtower_core::error::{EngineError, Result};

/// A destination for alerts. Secrets (webhook URLs with tokens, bot tokens, passwords) are kept
/// in the store (0600) and never returned to the UI or printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum SinkConfig {
    /// POST of the alert as JSON to any URL.
    Webhook {
        /// Target URL (http or https).
        url: String,
        /// Allow private, loopback and link-local addresses (off by default: SSRF guard).
        #[serde(default)]
        allow_private: bool,
    },
    /// A Slack incoming webhook.
    Slack {
        /// `https://hooks.slack.com/services/…` (a secret).
        webhook_url: String,
    },
    /// A Discord channel webhook.
    Discord {
        /// `https://discord.com/api/webhooks/…` (a secret).
        webhook_url: String,
    },
    /// A Telegram bot message.
    Telegram {
        /// Bot token from @BotFather (a secret).
        bot_token: String,
        /// Chat id to post to.
        chat_id: String,
    },
    /// An ntfy topic.
    Ntfy {
        /// Server, e.g. `https://ntfy.sh`.
        server: String,
        /// Topic name.
        topic: String,
        /// Access token, if the topic is protected (a secret).
        #[serde(default)]
        token: Option<String>,
        /// Allow a self-hosted server on a private address.
        #[serde(default)]
        allow_private: bool,
    },
    /// Email over SMTP.
    Email {
        /// SMTP server host.
        host: String,
        /// Port (587 with STARTTLS, 465 with TLS, 25 plain).
        port: u16,
        /// `starttls`, `tls` or `none` (`none` is refused at delivery unless the server is on a
        /// private or loopback address).
        security: String,
        /// Login user, if any.
        #[serde(default)]
        username: Option<String>,
        /// Login password (a secret).
        #[serde(default)]
        password: Option<String>,
        /// Sender address.
        from: String,
        /// Recipient address.
        to: String,
        /// Allow an SMTP server on a private, loopback or link-local address (off by default:
        /// the same SSRF guard as the other sinks).
        #[serde(default)]
        allow_private: bool,
    },
}

impl std::fmt::Debug for SinkConfig {
    /// The kind and host only: URLs (paths, queries, user info), tokens and passwords are
    /// `<redacted>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const REDACTED: &str = "<redacted>";
        let mut out = f.debug_struct("SinkConfig");
        out.field("kind", &self.kind());
        match self {
            SinkConfig::Webhook { url, allow_private } => out
                .field("host", &host_of(url))
                .field("url", &REDACTED)
                .field("allow_private", allow_private),
            SinkConfig::Slack { webhook_url } | SinkConfig::Discord { webhook_url } => out
                .field("host", &host_of(webhook_url))
                .field("webhook_url", &REDACTED),
            SinkConfig::Telegram { chat_id, .. } => {
                out.field("bot_token", &REDACTED).field("chat_id", chat_id)
            }
            SinkConfig::Ntfy {
                server,
                topic,
                token,
                allow_private,
            } => out
                .field("host", &host_of(server))
                .field("topic", topic)
                .field("token", &token.as_ref().map(|_| REDACTED))
                .field("allow_private", allow_private),
            SinkConfig::Email {
                host,
                port,
                security,
                username,
                password,
                from,
                to,
                allow_private,
            } => out
                .field("host", host)
                .field("port", port)
                .field("security", security)
                .field("username", username)
                .field("password", &password.as_ref().map(|_| REDACTED))
                .field("from", from)
                .field("to", to)
                .field("allow_private", allow_private),
        };
        out.finish()
    }
}

impl SinkConfig {
    /// The kind, e.g. `slack`.
    pub fn kind(&self) -> &'static str {
        match self {
            SinkConfig::Webhook { .. } => "webhook",
            SinkConfig::Slack { .. } => "slack",
            SinkConfig::Discord { .. } => "discord",
            SinkConfig::Telegram { .. } => "telegram",
            SinkConfig::Ntfy { .. } => "ntfy",
            SinkConfig::Email { .. } => "email",
        }
    }

    /// Where it goes, with every secret left out: `hooks.slack.com`, `ntfy.sh/topic`…
    pub fn describe(&self) -> String {
        match self {
            SinkConfig::Webhook { url, .. } => host_and_path_hint(url),
            SinkConfig::Slack { webhook_url } | SinkConfig::Discord { webhook_url } => {
                host_of(webhook_url)
            }
            SinkConfig::Telegram { chat_id, .. } => format!("Telegram chat {chat_id}"),
            SinkConfig::Ntfy { server, topic, .. } => format!("{}/{topic}", host_of(server)),
            SinkConfig::Email { host, to, .. } => format!("{to} via {host}"),
        }
    }

    /// Checks that the fields make sense (not reachability: "send test" does that).
    pub fn validate(&self) -> Result<()> {
        let invalid = |m: String| Err(EngineError::InvalidInput(m));
        let url_ok = |u: &str| u.starts_with("https://") || u.starts_with("http://");
        match self {
            SinkConfig::Webhook { url, .. } if !url_ok(url) => invalid(format!(
                "webhook URL `{}`: use http:// or https://",
                host_and_path_hint(url)
            )),
            SinkConfig::Slack { webhook_url } if !webhook_url.starts_with("https://") => {
                invalid("the Slack webhook URL starts with https://hooks.slack.com/".into())
            }
            SinkConfig::Discord { webhook_url } if !webhook_url.starts_with("https://") => invalid(
                "the Discord webhook URL starts with https://discord.com/api/webhooks/".into(),
            ),
            SinkConfig::Telegram { bot_token, chat_id }
                if bot_token.trim().is_empty() || chat_id.trim().is_empty() =>
            {
                invalid("Telegram needs a bot token and a chat id".into())
            }
            SinkConfig::Ntfy { server, topic, .. }
                if !url_ok(server) || topic.trim().is_empty() || topic.contains('/') =>
            {
                invalid("ntfy needs a server URL and a topic name (no slashes)".into())
            }
            SinkConfig::Email { security, .. }
                if !["starttls", "tls", "none"].contains(&security.as_str()) =>
            {
                invalid(format!(
                    "email security `{security}`: use starttls, tls or none"
                ))
            }
            SinkConfig::Email { from, to, host, .. }
                if !from.contains('@') || !to.contains('@') || host.trim().is_empty() =>
            {
                invalid("email needs an SMTP host and from/to addresses".into())
            }
            _ => Ok(()),
        }
    }
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(String::from))
        .unwrap_or_else(|| "(invalid URL)".into())
}

/// A generic webhook's URL may carry a token in its path or query: show the host and the first
/// path segment only.
fn host_and_path_hint(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => {
            let first = u
                .path_segments()
                .and_then(|mut s| s.next())
                .filter(|s| !s.is_empty());
            match first {
                Some(seg) => format!("{}/{seg}/…", u.host_str().unwrap_or("?")),
                None => u.host_str().unwrap_or("?").to_string(),
            }
        }
        Err(_) => "(invalid URL)".into(),
    }
}

/// A sink as the user defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SinkDraft {
    /// A name to show.
    pub name: String,
    /// Where to.
    pub config: SinkConfig,
    /// Minimum seconds between two alerts sent to this sink (0: no cooldown).
    pub cooldown_secs: u32,
    /// The HTTP proxy to send through (`http://proxy.corp:3128`, credentials allowed), for a
    /// network that reaches the internet only through one; none by default, and the
    /// environment's proxy is never used. Not for email.
    #[serde(default)]
    pub proxy: Option<String>,
}

impl SinkDraft {
    /// The draft, checked: its fields, and its proxy when it has one.
    pub fn validated(mut self) -> Result<SinkDraft> {
        self.config.validate()?;
        self.proxy = self
            .proxy
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        if let Some(proxy) = &self.proxy {
            if matches!(self.config, SinkConfig::Email { .. }) {
                return Err(EngineError::InvalidInput(
                    "email goes out over SMTP: a proxy is for the HTTP sinks".into(),
                ));
            }
            let ok = reqwest::Url::parse(proxy)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
            if !ok {
                return Err(EngineError::InvalidInput(format!(
                    "proxy `{}`: give it as http://host:port (or https://)",
                    proxy_shown(proxy)
                )));
            }
        }
        Ok(self)
    }
}

/// Where a stored sink's alerts go and the proxy they go through (its credentials included):
/// for delivery only, never shown.
#[derive(Clone)]
pub struct Destination {
    /// Where to.
    pub config: SinkConfig,
    /// The HTTP proxy to send through, as given.
    pub proxy: Option<String>,
}

/// A proxy as it may be shown: scheme, host and port, never its credentials.
pub fn proxy_shown(proxy: &str) -> String {
    match reqwest::Url::parse(proxy) {
        Ok(u) => match (u.host_str(), u.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{}://{host}:{port}", u.scheme()),
            _ => "(invalid URL)".into(),
        },
        Err(_) => "(invalid URL)".into(),
    }
}

/// A sink as the UI and `clawtower sink list` show it: no secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SinkView {
    /// Stable id.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `webhook`, `slack`, `discord`, `telegram`, `ntfy` or `email`; `unreadable` for one this
    /// build cannot read (`last_error` says why).
    pub kind: String,
    /// Where it goes, secrets left out.
    pub target: String,
    /// Cooldown in seconds.
    pub cooldown_secs: u32,
    /// When it last delivered (Unix ms).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_sent_ms: Option<i64>,
    /// Why the last delivery failed, if it did.
    pub last_error: Option<String>,
    /// The proxy it sends through, without credentials (`http://proxy.corp:3128`).
    pub proxy: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_never_contain_secrets() {
        let slack = SinkConfig::Slack {
            webhook_url: "https://hooks.slack.com/services/T000/B000/SECRET".into(),
        };
        let hook = SinkConfig::Webhook {
            url: "https://example.com/hooks/SECRET?token=SECRET".into(),
            allow_private: false,
        };
        let tg = SinkConfig::Telegram {
            bot_token: "123:SECRET".into(),
            chat_id: "42".into(),
        };
        let mail = SinkConfig::Email {
            host: "smtp.example.com".into(),
            port: 587,
            security: "starttls".into(),
            username: Some("me".into()),
            password: Some("SECRET".into()),
            from: "a@x".into(),
            to: "b@x".into(),
            allow_private: false,
        };
        for sink in [&slack, &hook, &tg, &mail] {
            assert!(!sink.describe().contains("SECRET"), "{}", sink.describe());
            assert!(!format!("{sink:?}").contains("SECRET"));
            sink.validate().unwrap();
        }
        assert_eq!(slack.describe(), "hooks.slack.com");
        assert_eq!(hook.describe(), "example.com/hooks/…");
    }

    #[test]
    fn invalid_sinks_are_explained() {
        let bad = [
            SinkConfig::Webhook {
                url: "ftp://x".into(),
                allow_private: false,
            },
            SinkConfig::Slack {
                webhook_url: "http://hooks.slack.com/x".into(),
            },
            SinkConfig::Telegram {
                bot_token: "".into(),
                chat_id: "1".into(),
            },
            SinkConfig::Ntfy {
                server: "https://ntfy.sh".into(),
                topic: "a/b".into(),
                token: None,
                allow_private: false,
            },
            SinkConfig::Email {
                host: "h".into(),
                port: 25,
                security: "ssl".into(),
                username: None,
                password: None,
                from: "a@x".into(),
                to: "b@x".into(),
                allow_private: false,
            },
        ];
        for sink in bad {
            assert_eq!(
                sink.validate().unwrap_err().code(),
                clawtower_core::ErrorCode::InvalidInput,
                "{sink:?}"
            );
        }
    }
}
