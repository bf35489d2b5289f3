//! Sending one alert to one sink: HTTP for webhooks, Slack, Discord, Telegram and ntfy (to
//! addresses checked by the SSRF guard, connections pinned to them), SMTP for email. Errors never
//! carry the URL, which may hold a token.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use serde_json::json;

use super::config::{proxy_shown, Destination, SinkConfig};
use crate::alerts::Alert;
use clawtower_core::net::check_url;

/// How long one delivery may take.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a delivery failed (safe to show and log: no secrets).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

/// How an HTTP sink's request leaves: the SSRF guard's setting and the sink's own proxy.
#[derive(Clone, Copy)]
struct Route<'a> {
    allow_private: bool,
    proxy: Option<&'a str>,
}

/// Sends `alert` to the sink, through its proxy when it has one (HTTP sinks only).
pub fn deliver(destination: &Destination, alert: &Alert) -> Result<(), DeliveryError> {
    let (config, proxy) = (&destination.config, destination.proxy.as_deref());
    let route = |allow_private: bool| Route {
        allow_private,
        proxy,
    };
    match config {
        SinkConfig::Webhook { url, allow_private } => {
            post_json(url, route(*allow_private), &json_body(config, alert))
        }
        SinkConfig::Slack { webhook_url } | SinkConfig::Discord { webhook_url } => {
            post_json(webhook_url, route(false), &json_body(config, alert))
        }
        SinkConfig::Telegram { bot_token, .. } => post_json(
            &format!("https://api.telegram.org/bot{bot_token}/sendMessage"),
            route(false),
            &json_body(config, alert),
        ),
        SinkConfig::Ntfy {
            server,
            topic,
            token,
            allow_private,
        } => {
            let url = format!("{}/{topic}", server.trim_end_matches('/'));
            let request = |client: &reqwest::blocking::Client| {
                let mut request = client
                    .post(url.as_str())
                    .header("Title", ascii_header(&alert.title))
                    .header("Tags", "money_with_wings")
                    .body(alert.body.clone());
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                request
            };
            send(&url, route(*allow_private), request)
        }
        SinkConfig::Email {
            host,
            port,
            security,
            username,
            password,
            from,
            to,
            allow_private,
        } => email(
            &Smtp {
                host,
                port: *port,
                security,
                username: username.as_deref(),
                password: password.as_deref(),
                allow_private: *allow_private,
            },
            from,
            to,
            alert,
        ),
    }
}

/// The JSON body for the sinks that take one (ntfy and email send text).
fn json_body(config: &SinkConfig, alert: &Alert) -> serde_json::Value {
    let text = format!("{}\n{}", alert.title, alert.body);
    match config {
        // Titles and bodies can carry names a model chose (a tool, a session): Slack's control
        // sequences (`<!channel>`, `<@U123>`) are escaped as Slack asks, and Discord is told to
        // resolve no mention at all (`@everyone` stays text).
        SinkConfig::Slack { .. } => json!({
            "text": format!("*{}*\n{}", slack_escape(&alert.title), slack_escape(&alert.body))
        }),
        SinkConfig::Discord { .. } => json!({
            "content": format!("**{}**\n{}", alert.title, alert.body),
            "allowed_mentions": {"parse": []},
        }),
        SinkConfig::Telegram { chat_id, .. } => json!({"chat_id": chat_id, "text": text}),
        _ => json!({"source": "clawtower", "alert": alert}),
    }
}

/// Slack's escaping for message text: `&`, `<` and `>` only.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn post_json(url: &str, route: Route<'_>, body: &serde_json::Value) -> Result<(), DeliveryError> {
    send(url, route, |client| client.post(url).json(body))
}

fn send(
    url: &str,
    route: Route<'_>,
    build: impl FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
) -> Result<(), DeliveryError> {
    clawtower_core::tls::install_provider();
    let builder = reqwest::blocking::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    let (host, builder) = match route.proxy {
        // Never the environment's proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`): it would
        // resolve and connect on its own, around the checked, pinned addresses.
        None => {
            let (host, addrs) =
                check_url(url, route.allow_private).map_err(|e| DeliveryError(e.to_string()))?;
            let builder = builder.no_proxy().resolve_to_addrs(&host, &addrs);
            (host, builder)
        }
        // The sink's own proxy, which the user chose: it resolves the name (a network behind a
        // proxy often cannot), so only an address written into the URL is checked here.
        Some(proxy) => {
            let host = literal_host_checked(url, route.allow_private)?;
            let proxy = reqwest::Proxy::all(proxy).map_err(|_| {
                DeliveryError(format!("proxy {}: not a usable URL", proxy_shown(proxy)))
            })?;
            (host, builder.proxy(proxy))
        }
    };
    let client = builder
        .build()
        .map_err(|e| DeliveryError(format!("HTTP client: {}", e.without_url())))?;
    let response = build(&client)
        .send()
        .map_err(|e| DeliveryError(format!("{host}: {}", e.without_url())))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(DeliveryError(format!(
            "{host} answered HTTP {}",
            response.status().as_u16()
        )))
    }
}

/// The host `url` names; refused when it is an address (not a name) that is private, unless
/// allowed.
fn literal_host_checked(url: &str, allow_private: bool) -> Result<String, DeliveryError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| DeliveryError("not a usable URL".into()))?;
    let literal = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(DeliveryError("the URL names no host".into())),
    };
    if let Some(ip) = literal.filter(|ip| !allow_private && clawtower_core::net::is_private(*ip)) {
        return Err(DeliveryError(format!(
            "{ip} is a private address; allow private addresses for this sink if that is intended"
        )));
    }
    Ok(parsed.host_str().unwrap_or_default().to_string())
}

/// HTTP header values must be visible ASCII: replace anything else.
fn ascii_header(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Where and how an email goes out.
struct Smtp<'a> {
    host: &'a str,
    port: u16,
    security: &'a str,
    username: Option<&'a str>,
    password: Option<&'a str>,
    allow_private: bool,
}

fn email(smtp: &Smtp<'_>, from: &str, to: &str, alert: &Alert) -> Result<(), DeliveryError> {
    let Smtp { host, port, .. } = *smtp;
    let fail = |what: &str, e: &dyn std::fmt::Display| DeliveryError(format!("{what}: {e}"));
    let parse = |a: &str| {
        a.parse::<Mailbox>()
            .map_err(|e| fail(&format!("address {a}"), &e))
    };
    let message = Message::builder()
        .from(parse(from)?)
        .to(parse(to)?)
        .subject(&alert.title)
        .body(alert.body.clone())
        .map_err(|e| fail("message", &e))?;
    // The SSRF guard as for the other sinks; the connection then goes to exactly the checked
    // addresses (the host name is kept for TLS: SNI and the certificate check).
    let addrs = clawtower_core::net::check_host(host, port, smtp.allow_private)
        .map_err(|e| fail("SMTP server", &e))?;
    // Plain SMTP (a password in clear text) only to a server on a private or loopback address.
    if smtp.security == "none"
        && !addrs
            .iter()
            .all(|a| clawtower_core::net::is_private(a.ip()))
    {
        return Err(DeliveryError(format!(
            "{host} is a public address: use starttls or tls (plain SMTP only to a private or loopback server)"
        )));
    }
    let tls_name = host.trim_start_matches('[').trim_end_matches(']');
    let tls = || TlsParameters::new(tls_name.into()).map_err(|e| fail("TLS", &e));
    let mut last = DeliveryError(format!("{host} has no address"));
    for addr in addrs {
        let mut transport = SmtpTransport::builder_dangerous(addr.ip().to_string())
            .port(addr.port())
            .timeout(Some(DELIVERY_TIMEOUT));
        transport = match smtp.security {
            "tls" => transport.tls(Tls::Wrapper(tls()?)),
            "starttls" => transport.tls(Tls::Required(tls()?)),
            _ => transport.tls(Tls::None),
        };
        if let (Some(user), Some(pass)) = (smtp.username, smtp.password) {
            transport = transport.credentials(Credentials::new(user.into(), pass.into()));
        }
        match transport.build().send(&message) {
            Ok(_) => return Ok(()),
            // Only a failed connection moves on to the next address (never a refused message:
            // it might be delivered twice).
            Err(e) => {
                let answered = e.is_transient() || e.is_permanent() || e.is_response();
                last = fail(&format!("SMTP {host}:{port}"), &e);
                if answered {
                    return Err(last);
                }
            }
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::AlertKind;

    fn alert(title: &str) -> Alert {
        Alert {
            id: 1,
            ts_ms: 1,
            kind: AlertKind::Anomaly,
            budget_id: None,
            title: title.into(),
            body: "tool <!channel> & @everyone".into(),
            delivered: false,
            acknowledged: false,
        }
    }

    #[test]
    fn model_chosen_text_cannot_ping_anyone() {
        let alert = alert("Loop in @everyone <@123> <!here|x>");
        let discord = json_body(
            &SinkConfig::Discord {
                webhook_url: "https://discord.com/api/webhooks/1/x".into(),
            },
            &alert,
        );
        assert_eq!(discord["allowed_mentions"], json!({"parse": []}));
        assert!(discord["content"].as_str().unwrap().contains("@everyone"));
        let slack = json_body(
            &SinkConfig::Slack {
                webhook_url: "https://hooks.slack.com/services/T/B/x".into(),
            },
            &alert,
        );
        assert_eq!(
            slack["text"],
            "*Loop in @everyone &lt;@123&gt; &lt;!here|x&gt;*\ntool &lt;!channel&gt; &amp; @everyone"
        );
    }
}
