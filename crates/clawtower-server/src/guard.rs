//! The security layers every request passes: the `Host` header (DNS rebinding), the token or
//! session cookie (every API call, loopback included), and same-origin for state-changing
//! calls a browser makes (CSRF). No CORS headers are ever sent, so other origins cannot read.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::ServerState;
use clawtower_api::RefusalCode;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "clawtower_session";

/// Refuses a request whose `Host` is not the bound address or a configured name: a page on
/// another site that rebinds its name to 127.0.0.1 cannot reach the API or the UI.
pub(crate) async fn check_host(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.hosts.allows(&host_of(&request)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            RefusalCode::Host,
            "this server does not answer to that host name",
        );
    }
    next.run(request).await
}

/// The host a request names: its one `Host` header (with two, a proxy and this server could each
/// read a different one: none is accepted), or, over HTTP/2, its `:authority`.
fn host_of(request: &Request) -> String {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or("").to_string(),
        (None, _) => request
            .uri()
            .authority()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// How a request proved it may use the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authenticated {
    /// `Authorization: Bearer <token>` (a script, or the page before it signs in).
    Bearer,
    /// The session cookie a browser got at sign-in.
    Cookie,
}

/// Refuses an API call without the token or a session cookie (401); a state-changing call a
/// browser makes with its cookie must come from this origin (403).
pub(crate) async fn require_auth(
    State(state): State<ServerState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let how = if bearer(headers).is_some_and(|t| state.token.accepts(t)) {
        Authenticated::Bearer
    } else if cookie(headers, SESSION_COOKIE).is_some_and(|v| state.token.accepts_session(v)) {
        Authenticated::Cookie
    } else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            RefusalCode::Unauthorized,
            "the access token is missing or wrong",
        );
    };
    if changes_state(request.method()) && !same_origin(headers, &host_of(&request), how, state.tls)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            RefusalCode::CrossOrigin,
            "a call from another site is refused",
        );
    }
    request.extensions_mut().insert(how);
    next.run(request).await
}

/// Whether a call may change something (everything but reads without side effects).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// An `Origin`, when sent, must be this server's own; a cookie-authenticated call must prove
/// it comes from this origin (`Origin`, or `Sec-Fetch-Site: same-origin`). A bearer token
/// cannot be attached by a foreign page, so a script without `Origin` is fine.
fn same_origin(headers: &HeaderMap, host: &str, how: Authenticated, tls: bool) -> bool {
    let scheme = if tls { "https" } else { "http" };
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => origin == format!("{scheme}://{host}"),
        None => {
            how == Authenticated::Bearer
                || headers
                    .get("sec-fetch-site")
                    .is_some_and(|s| s.as_bytes() == b"same-origin")
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A refusal in the API's error shape.
pub(crate) fn refuse(status: StatusCode, code: RefusalCode, message: &str) -> Response {
    let body = serde_json::json!({"status": "error", "error": {"code": code, "message": message}});
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn reads_bearer_and_cookie() {
        let h = headers(&[
            ("authorization", "Bearer abc"),
            ("cookie", "a=1; clawtower_session=xyz"),
        ]);
        assert_eq!(bearer(&h), Some("abc"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(bearer(&headers(&[("authorization", "Basic abc")])), None);
    }

    #[test]
    fn origin_rules() {
        const HOST: &str = "127.0.0.1:8900";
        let own = headers(&[
            ("host", "127.0.0.1:8900"),
            ("origin", "http://127.0.0.1:8900"),
        ]);
        assert!(same_origin(&own, HOST, Authenticated::Cookie, false));
        assert!(!same_origin(&own, HOST, Authenticated::Cookie, true));
        let foreign = headers(&[
            ("host", "127.0.0.1:8900"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin(&foreign, HOST, Authenticated::Bearer, false));
        let none = headers(&[("host", "127.0.0.1:8900")]);
        assert!(same_origin(&none, HOST, Authenticated::Bearer, false));
        assert!(!same_origin(&none, HOST, Authenticated::Cookie, false));
        let fetched = headers(&[
            ("host", "127.0.0.1:8900"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(same_origin(&fetched, HOST, Authenticated::Cookie, false));
    }
}
