//! `POST /api/v1/rpc/<command>`: every command of the API's list, by name, with its JSON
//! arguments; answers `{"status":"ok","data":…}` or `{"status":"error","error":{code,message}}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use clawtower_api::ApiError;
use clawtower_core::ErrorCode;
use serde_json::Value;

use crate::state::ServerState;

/// Runs one command.
pub(crate) async fn call(
    State(state): State<ServerState>,
    Path(command): Path<String>,
    body: Bytes,
) -> Response {
    // An empty body is no arguments; any other must be JSON (whatever its Content-Type says).
    let args = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Null)
    } else {
        serde_json::from_slice(&body).map_err(|err| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("the body is not JSON: {err}"),
            )
        })
    };
    let answer = match args {
        Ok(args) => clawtower_api::dispatch(&state.runtime, &command, args).await,
        Err(err) => Err(err),
    };
    match answer {
        Ok(data) => Json(serde_json::json!({"status": "ok", "data": data})).into_response(),
        Err(err) => {
            let status = match err.code {
                ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
                ErrorCode::NotFound => StatusCode::NOT_FOUND,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (
                status,
                Json(serde_json::json!({"status": "error", "error": err})),
            )
                .into_response()
        }
    }
}
