//! Error answers in the shape each client library reads: OpenAI's `{"error": {...}}` or
//! Anthropic's `{"type": "error", "error": {...}}`, with a message that says why.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Which client family an endpoint serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// OpenAI-compatible endpoints.
    OpenAi,
    /// Anthropic endpoints.
    Anthropic,
}

/// An error answer.
pub fn answer(shape: Shape, status: StatusCode, message: &str) -> Response {
    let body = match shape {
        Shape::OpenAi => json!({"error": {
            "message": message,
            "type": error_type(shape, status),
            "code": status.as_u16(),
        }}),
        Shape::Anthropic => json!({"type": "error", "error": {
            "type": error_type(shape, status),
            "message": message,
        }}),
    };
    (status, axum::Json(body)).into_response()
}

/// A 429 that says when to come back.
pub fn too_many(shape: Shape, retry_after_s: u64, message: &str) -> Response {
    let mut response = answer(shape, StatusCode::TOO_MANY_REQUESTS, message);
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(retry_after_s.max(1)));
    response
}

/// The error `type` each family's clients switch on.
fn error_type(shape: Shape, status: StatusCode) -> &'static str {
    match (status.as_u16(), shape) {
        (401, _) => "authentication_error",
        (403, _) => "permission_error",
        (404, _) => "not_found_error",
        (413, _) => "request_too_large",
        (429, _) => "rate_limit_error",
        (400..=499, _) => "invalid_request_error",
        (529, Shape::Anthropic) => "overloaded_error",
        (_, Shape::Anthropic) => "api_error",
        (_, Shape::OpenAi) => "upstream_error",
    }
}

/// The event that ends a stream the upstream broke off mid-way, in the protocol's own form.
pub fn stream_error_event(shape: Shape, message: &str) -> Vec<u8> {
    match shape {
        Shape::OpenAi => format!(
            "data: {}\n\n",
            json!({"error": {"message": message, "type": "upstream_error"}})
        ),
        Shape::Anthropic => format!(
            "event: error\ndata: {}\n\n",
            json!({"type": "error", "error": {"type": "api_error", "message": message}})
        ),
    }
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_gets_its_own_shape() {
        let openai = answer(Shape::OpenAi, StatusCode::UNAUTHORIZED, "unknown API key");
        assert_eq!(openai.status(), 401);
        let anthropic = stream_error_event(Shape::Anthropic, "lost");
        assert!(String::from_utf8(anthropic)
            .unwrap()
            .starts_with("event: error\ndata: {"));
        let limited = too_many(Shape::OpenAi, 0, "slow down");
        assert_eq!(limited.headers()["retry-after"], "1");
    }
}
