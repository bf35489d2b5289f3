//! Everything that can go wrong talking to a gateway, as states a user can act on.

use serde::Serialize;

/// A gateway failure. `code()` is stable for the UI and scripts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GatewayError {
    /// There is no gateway to talk to.
    #[error("no OpenClaw gateway is configured: none was found in openclaw.json and none was added by URL")]
    NotConfigured,
    /// Nothing accepted the connection.
    #[error("no gateway answers at {url} ({reason}); start it with `openclaw gateway run`")]
    Unreachable {
        /// Where we tried.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// The token is wrong.
    #[error("the gateway refused the token (token mismatch); check gateway.auth.token or OPENCLAW_GATEWAY_TOKEN")]
    TokenMismatch,
    /// The gateway wants a token and none was given.
    #[error("the gateway requires a token; set gateway.auth.token or OPENCLAW_GATEWAY_TOKEN, or pass --token")]
    TokenMissing,
    /// This device must be approved on the gateway host.
    #[error("this device needs approval on the gateway host: run `openclaw devices approve {request_id}`")]
    PairingRequired {
        /// The pairing request to approve.
        request_id: String,
    },
    /// Password auth: a password must be entered.
    #[error(
        "the gateway uses password auth; enter its password (or set OPENCLAW_GATEWAY_PASSWORD)"
    )]
    PasswordRequired,
    /// Password auth: the password is wrong.
    #[error("the gateway refused the password (password mismatch); enter the one in gateway.auth.password")]
    PasswordMismatch,
    /// Starting up (or suspended); try again.
    #[error("the gateway is starting; retrying shortly")]
    Starting {
        /// Suggested delay.
        retry_after_ms: Option<u64>,
    },
    /// A call needs a scope this connection does not have.
    #[error("{method} needs the {scope} scope, which this connection lacks (read-only)")]
    MissingScope {
        /// The method.
        method: String,
        /// The scope.
        scope: String,
    },
    /// Any other error answer.
    #[error("{method} failed: {code}: {message}")]
    Rpc {
        /// The method.
        method: String,
        /// The gateway's error code.
        code: String,
        /// Its message.
        message: String,
    },
    /// The gateway said something we cannot understand.
    #[error("gateway protocol error: {0}")]
    Protocol(String),
    /// No answer in time.
    #[error("{method} got no answer within {after_ms} ms")]
    Timeout {
        /// The method.
        method: String,
        /// The timeout.
        after_ms: u64,
    },
    /// The connection closed.
    #[error("the gateway connection closed ({reason})")]
    Closed {
        /// Why.
        reason: String,
    },
}

/// Stable codes of [`GatewayError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GatewayErrorCode {
    /// See [`GatewayError::NotConfigured`].
    NotConfigured,
    /// See [`GatewayError::Unreachable`].
    Unreachable,
    /// See [`GatewayError::TokenMismatch`].
    TokenMismatch,
    /// See [`GatewayError::TokenMissing`].
    TokenMissing,
    /// See [`GatewayError::PairingRequired`].
    PairingRequired,
    /// See [`GatewayError::PasswordRequired`].
    PasswordRequired,
    /// See [`GatewayError::PasswordMismatch`].
    PasswordMismatch,
    /// See [`GatewayError::Starting`].
    Starting,
    /// See [`GatewayError::MissingScope`].
    MissingScope,
    /// See [`GatewayError::Rpc`].
    Rpc,
    /// See [`GatewayError::Protocol`].
    Protocol,
    /// See [`GatewayError::Timeout`].
    Timeout,
    /// See [`GatewayError::Closed`].
    Closed,
}

impl From<GatewayError> for clawtower_core::EngineError {
    /// A gateway failure met by a caller that speaks the engine's error (a control action): the
    /// engine's `GATEWAY` code with the gateway's message.
    fn from(err: GatewayError) -> Self {
        clawtower_core::EngineError::Gateway(err.to_string())
    }
}

impl GatewayError {
    /// The stable code.
    pub fn code(&self) -> GatewayErrorCode {
        match self {
            GatewayError::NotConfigured => GatewayErrorCode::NotConfigured,
            GatewayError::Unreachable { .. } => GatewayErrorCode::Unreachable,
            GatewayError::TokenMismatch => GatewayErrorCode::TokenMismatch,
            GatewayError::TokenMissing => GatewayErrorCode::TokenMissing,
            GatewayError::PairingRequired { .. } => GatewayErrorCode::PairingRequired,
            GatewayError::PasswordRequired => GatewayErrorCode::PasswordRequired,
            GatewayError::PasswordMismatch => GatewayErrorCode::PasswordMismatch,
            GatewayError::Starting { .. } => GatewayErrorCode::Starting,
            GatewayError::MissingScope { .. } => GatewayErrorCode::MissingScope,
            GatewayError::Rpc { .. } => GatewayErrorCode::Rpc,
            GatewayError::Protocol(_) => GatewayErrorCode::Protocol,
            GatewayError::Timeout { .. } => GatewayErrorCode::Timeout,
            GatewayError::Closed { .. } => GatewayErrorCode::Closed,
        }
    }

    /// Maps an error answer to the state the user must see.
    pub fn from_rpc(method: &str, error: &super::frame::RpcError) -> Self {
        let detail = error.detail_code().unwrap_or_default().to_ascii_uppercase();
        let text = |key: &str| {
            error
                .details
                .get(key)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        if detail == "AUTH_TOKEN_MISMATCH" {
            GatewayError::TokenMismatch
        } else if detail.contains("PAIRING") {
            GatewayError::PairingRequired {
                request_id: text("requestId")
                    .unwrap_or_else(|| "<request id from `openclaw devices list`>".into()),
            }
        } else if detail == "AUTH_PASSWORD_MISMATCH" {
            GatewayError::PasswordMismatch
        } else if detail == "AUTH_PASSWORD_MISSING" {
            GatewayError::PasswordRequired
        } else if detail.contains("TOKEN_MISSING") || detail == "AUTH_REQUIRED" {
            GatewayError::TokenMissing
        } else if detail == "MISSING_SCOPE" {
            GatewayError::MissingScope {
                method: method.to_string(),
                scope: text("scope")
                    .or_else(|| text("requiredScope"))
                    .unwrap_or_else(|| "required".into()),
            }
        } else if error.code == "UNAVAILABLE" && method == "connect" {
            GatewayError::Starting {
                retry_after_ms: error.retry_after_ms,
            }
        } else {
            GatewayError::Rpc {
                method: method.to_string(),
                code: error.code.clone(),
                message: error.message.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::RpcError;
    use serde_json::json;

    fn rpc(code: &str, details: serde_json::Value) -> RpcError {
        RpcError {
            code: code.into(),
            message: "m".into(),
            details,
            retryable: false,
            retry_after_ms: Some(500),
        }
    }

    #[test]
    fn connect_errors_become_actionable_states() {
        let mismatch = GatewayError::from_rpc(
            "connect",
            &rpc("INVALID_REQUEST", json!({"code": "AUTH_TOKEN_MISMATCH"})),
        );
        assert_eq!(mismatch, GatewayError::TokenMismatch);
        let pairing = GatewayError::from_rpc(
            "connect",
            &rpc(
                "FORBIDDEN",
                json!({"code": "PAIRING_REQUIRED", "requestId": "r-42"}),
            ),
        );
        assert_eq!(
            pairing.to_string(),
            "this device needs approval on the gateway host: run `openclaw devices approve r-42`"
        );
        assert_eq!(
            GatewayError::from_rpc(
                "connect",
                &rpc("UNAVAILABLE", json!({"reason": "startup-sidecars"}))
            ),
            GatewayError::Starting {
                retry_after_ms: Some(500)
            }
        );
        let scope = GatewayError::from_rpc(
            "config.patch",
            &rpc(
                "FORBIDDEN",
                json!({"code": "MISSING_SCOPE", "scope": "operator.admin"}),
            ),
        );
        assert_eq!(scope.code(), GatewayErrorCode::MissingScope);
        assert!(scope.to_string().contains("operator.admin"));
        let password = |detail: &str| {
            GatewayError::from_rpc("connect", &rpc("INVALID_REQUEST", json!({"code": detail})))
        };
        assert_eq!(
            password("AUTH_PASSWORD_MISSING"),
            GatewayError::PasswordRequired
        );
        assert_eq!(
            password("AUTH_PASSWORD_MISMATCH"),
            GatewayError::PasswordMismatch
        );
        assert_eq!(
            password("AUTH_PASSWORD_NOT_CONFIGURED").code(),
            GatewayErrorCode::Rpc
        );
        assert_eq!(
            GatewayError::from_rpc("health", &rpc("INVALID_REQUEST", json!({}))).code(),
            GatewayErrorCode::Rpc
        );
    }
}
