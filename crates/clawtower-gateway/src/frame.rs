//! Gateway protocol v4 frames: requests, responses and events (JSON text frames).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The size limit before the handshake (the gateway's own pre-auth cap).
pub const PRE_AUTH_MAX_BYTES: usize = 64 * 1024;

/// A frame from the gateway.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Incoming {
    /// The answer to a request.
    Res(Response),
    /// A pushed event.
    Event(Event),
}

/// A response frame.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Response {
    /// The request id it answers.
    pub id: String,
    /// Success.
    pub ok: bool,
    /// The result, when ok.
    #[serde(default)]
    pub payload: Value,
    /// The error, when not ok.
    pub error: Option<RpcError>,
}

/// An error the gateway returned.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RpcError {
    /// `INVALID_REQUEST`, `UNAVAILABLE`, `FORBIDDEN`…
    pub code: String,
    /// Human message.
    #[serde(default)]
    pub message: String,
    /// Machine details (`details.code` such as `AUTH_TOKEN_MISMATCH`).
    #[serde(default)]
    pub details: Value,
    /// Whether retrying may help.
    #[serde(default)]
    pub retryable: bool,
    /// When to retry.
    pub retry_after_ms: Option<u64>,
}

impl RpcError {
    /// `details.code`, if any.
    pub fn detail_code(&self) -> Option<&str> {
        self.details.get("code").and_then(Value::as_str)
    }
}

/// An event frame.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    /// Event name (`tick`, `session.message`, `shutdown`…).
    pub event: String,
    /// Its payload.
    #[serde(default)]
    pub payload: Value,
    /// Per-connection sequence number.
    pub seq: Option<u64>,
}

/// A request frame.
#[derive(Debug, Clone, Serialize)]
pub struct Request<'a> {
    /// Always `req`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Correlation id.
    pub id: &'a str,
    /// Method name.
    pub method: &'a str,
    /// Parameters.
    pub params: &'a Value,
}

/// Why a frame was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Bigger than allowed.
    #[error("frame of {size} bytes exceeds the {limit}-byte limit")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a frame we understand.
    #[error("malformed frame: {0}")]
    Malformed(String),
}

/// Decodes one text frame, refusing frames over `limit` bytes before parsing them.
pub fn decode(text: &str, limit: usize) -> Result<Incoming, FrameError> {
    if text.len() > limit {
        return Err(FrameError::TooLarge {
            size: text.len(),
            limit,
        });
    }
    serde_json::from_str(text).map_err(|e| FrameError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_real_frames() {
        let challenge = r#"{"type":"event","event":"connect.challenge","payload":{"nonce":"43423d65-01f3","ts":1795230449912,"capabilities":["model-catalog-snapshot"]}}"#;
        let Incoming::Event(event) = decode(challenge, PRE_AUTH_MAX_BYTES).unwrap() else {
            panic!()
        };
        assert_eq!(event.event, "connect.challenge");
        assert_eq!(event.payload["ts"], 1795230449912i64);
        let mismatch = r#"{"type":"res","id":"1","ok":false,"error":{"code":"INVALID_REQUEST","message":"unauthorized: gateway token mismatch","details":{"code":"AUTH_TOKEN_MISMATCH","canRetryWithDeviceToken":true}}}"#;
        let Incoming::Res(res) = decode(mismatch, PRE_AUTH_MAX_BYTES).unwrap() else {
            panic!()
        };
        assert!(!res.ok);
        assert_eq!(
            res.error.unwrap().detail_code(),
            Some("AUTH_TOKEN_MISMATCH")
        );
    }

    #[test]
    fn refuses_oversized_and_malformed_frames() {
        let big = format!(
            "{{\"type\":\"event\",\"event\":\"x\",\"payload\":\"{}\"}}",
            "a".repeat(100)
        );
        assert!(matches!(
            decode(&big, 50),
            Err(FrameError::TooLarge { limit: 50, .. })
        ));
        assert!(matches!(decode("{", 50), Err(FrameError::Malformed(_))));
        assert!(matches!(
            decode(r#"{"type":"req","id":"1"}"#, 50),
            Err(FrameError::Malformed(_))
        ));
        assert!(matches!(decode("[]", 50), Err(FrameError::Malformed(_))));
    }
}
