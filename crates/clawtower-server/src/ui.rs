//! The built UI, embedded in the binary and served at `/` with a strict Content Security
//! Policy; the session endpoints a browser signs in and out with.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::guard::SESSION_COOKIE;
use crate::state::ServerState;

#[derive(RustEmbed)]
#[folder = "$CLAWTOWER_UI_DIST"]
struct Assets;

/// What the served UI may load: only itself (scripts, styles, fonts, its own API).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
frame-ancestors 'none'";

/// A file of the UI, or `index.html` for any other path (the UI routes in the fragment).
pub(crate) async fn asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (file, path) = match Assets::get(path) {
        Some(file) if !path.is_empty() => (file, path),
        _ => match Assets::get("index.html") {
            Some(file) => (file, "index.html"),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let mime = file.metadata.mimetype().to_string();
    // Hashed asset names never change content; the page itself is always revalidated.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::CONTENT_SECURITY_POLICY, CSP.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::REFERRER_POLICY, "no-referrer".to_string()),
        ],
        file.data.into_owned(),
    )
        .into_response()
}

/// `POST /api/v1/session` (with the bearer token): the browser gets its session cookie —
/// HttpOnly (no script can read it), SameSite=Strict (no other site can send it), Secure over
/// TLS — and needs the token no more.
pub(crate) async fn sign_in(State(state): State<ServerState>) -> Response {
    let secure = if state.tls { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{secure}",
        state.token.session_value()
    );
    set_cookie(cookie)
}

/// `DELETE /api/v1/session`: signs this browser out.
pub(crate) async fn sign_out() -> Response {
    set_cookie(format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    ))
}

fn set_cookie(cookie: String) -> Response {
    match HeaderValue::from_str(&cookie) {
        Ok(value) => (StatusCode::NO_CONTENT, [(header::SET_COOKIE, value)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
