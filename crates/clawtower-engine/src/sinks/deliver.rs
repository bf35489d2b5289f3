//! Sending one alert to one sink: HTTP for webhooks, Slack, Discord, Telegram and ntfy (to
//! addresses checked by the SSRF guard, connections pinned to them), SMTP for email. Errors never
//! carry the URL, which may hold a token.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use serde_json::json;

use super::address::check_url;
use super::config::SinkConfig;
use crate::alerts::Alert;

/// How long one delivery may take.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a delivery failed (safe to show and log: no secrets).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

/// Sends `alert` to the sink.
pub fn deliver(config: &SinkConfig, alert: &Alert) -> Result<(), DeliveryError> {
    let text = format!("{}\n{}", alert.title, alert.body);
    match config {
        SinkConfig::Webhook { url, allow_private } => {
            let body = json!({"source": "clawtower", "alert": alert});
            post_json(url, *allow_private, &body)
        }
        SinkConfig::Slack { webhook_url } => post_json(
            webhook_url,
            false,
            &json!({"text": format!("*{}*\n{}", alert.title, alert.body)}),
        ),
        SinkConfig::Discord { webhook_url } => post_json(
            webhook_url,
            false,
            &json!({"content": format!("**{}**\n{}", alert.title, alert.body)}),
        ),
        SinkConfig::Telegram { bot_token, chat_id } => post_json(
            &format!("https://api.telegram.org/bot{bot_token}/sendMessage"),
            false,
            &json!({"chat_id": chat_id, "text": text}),
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
            send(&url, *allow_private, request)
        }
        SinkConfig::Email {
            host,
            port,
            security,
            username,
            password,
            from,
            to,
        } => email(
            host,
            *port,
            security,
            username.as_deref(),
            password.as_deref(),
            from,
            to,
            alert,
        ),
    }
}

fn post_json(
    url: &str,
    allow_private: bool,
    body: &serde_json::Value,
) -> Result<(), DeliveryError> {
    send(url, allow_private, |client| client.post(url).json(body))
}

fn send(
    url: &str,
    allow_private: bool,
    build: impl FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
) -> Result<(), DeliveryError> {
    let (host, addrs) = check_url(url, allow_private).map_err(|e| DeliveryError(e.to_string()))?;
    let client = reqwest::blocking::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(&host, &addrs)
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

#[allow(clippy::too_many_arguments)]
fn email(
    host: &str,
    port: u16,
    security: &str,
    username: Option<&str>,
    password: Option<&str>,
    from: &str,
    to: &str,
    alert: &Alert,
) -> Result<(), DeliveryError> {
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
    // Plain SMTP (a password in clear text) only to a server on a private or loopback address.
    let addrs =
        super::address::check_host(host, port, true).map_err(|e| fail("SMTP server", &e))?;
    if security == "none" && !addrs.iter().all(|a| super::address::is_private(a.ip())) {
        return Err(DeliveryError(format!(
            "{host} is a public address: use starttls or tls (plain SMTP only to a private or loopback server)"
        )));
    }
    let tls = |host: &str| TlsParameters::new(host.into()).map_err(|e| fail("TLS", &e));
    let mut transport = SmtpTransport::builder_dangerous(host)
        .port(port)
        .timeout(Some(DELIVERY_TIMEOUT));
    transport = match security {
        "tls" => transport.tls(Tls::Wrapper(tls(host)?)),
        "starttls" => transport.tls(Tls::Required(tls(host)?)),
        _ => transport.tls(Tls::None),
    };
    if let (Some(user), Some(pass)) = (username, password) {
        transport = transport.credentials(Credentials::new(user.into(), pass.into()));
    }
    transport
        .build()
        .send(&message)
        .map(|_| ())
        .map_err(|e| fail(&format!("SMTP {host}:{port}"), &e))
}
