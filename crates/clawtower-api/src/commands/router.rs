//! The model router's page: where it runs, its providers' health, and its keys.

use clawtower_core::period::now_ms;
use clawtower_router::keyring;
use clawtower_router::keys::{self, CreatedKey, KeyDraft, KeyView};
use clawtower_router::status::RouterStatus;

use clawtower_core::ErrorCode;
use clawtower_router::activity::{activity, RouterActivity};
use clawtower_runtime::attach::{self, RouteThrough};

use super::blocking;
use super::budgets::local_gateway;
use crate::{ApiError, Runtime};

/// Whether the router runs, where, and each provider's health.
pub async fn router_status(runtime: &Runtime) -> Result<RouterStatus, ApiError> {
    Ok(runtime.router().status())
}

/// Stores the API key of `provider` — one whose key the router's configuration keeps in the OS
/// keyring (`api_key_keyring`) — there, and the running router uses it from the next call.
/// The key is never returned or logged.
pub async fn store_provider_key(
    runtime: &Runtime,
    provider: String,
    key: String,
) -> Result<RouterStatus, ApiError> {
    let status = runtime.router().status();
    let Some(found) = status.providers.iter().find(|p| p.id == provider) else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("the router has no provider \"{provider}\""),
        ));
    };
    let Some(name) = found.keyring.clone() else {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "provider \"{provider}\" does not keep its key in the OS keyring (router.toml gives \
                 it another way); add api_key_keyring = \"{provider}\" to its section to store one here"
            ),
        ));
    };
    let key = key.trim().to_string();
    if key.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidInput, "the key is empty"));
    }
    blocking(runtime, "store_provider_key", move |rt| {
        let failed = |why: String| {
            clawtower_core::EngineError::io("the OS keyring", std::io::Error::other(why))
        };
        keyring::store(&name, &key).map_err(failed)?;
        rt.router().reload().map_err(failed)
    })
    .await?;
    Ok(runtime.router().status())
}

/// Every router key, newest first (never the keys themselves).
pub async fn router_keys(runtime: &Runtime) -> Result<Vec<KeyView>, ApiError> {
    blocking(runtime, "router_keys", |rt| {
        rt.store().read(|c| keys::list(c))
    })
    .await
}

/// Makes a key for an agent; the answer holds the key itself, which is never shown again.
pub async fn create_router_key(runtime: &Runtime, draft: KeyDraft) -> Result<CreatedKey, ApiError> {
    blocking(runtime, "create_router_key", move |rt| {
        rt.store().with_conn(|c| {
            if let Some(id) = draft.limits.budget_id {
                clawtower_control::budget::store::get(c, id)?;
            }
            let (view, key) = keys::create(c, &draft, now_ms())?;
            Ok(CreatedKey { key, view })
        })
    })
    .await
}

/// Revokes a key: calls with it are refused from now on.
pub async fn revoke_router_key(runtime: &Runtime, id: i32) -> Result<KeyView, ApiError> {
    blocking(runtime, "revoke_router_key", move |rt| {
        rt.store()
            .with_conn(|c| keys::revoke(c, i64::from(id), now_ms()))
    })
    .await
}

/// The OpenClaw providers routed through the router now.
pub async fn router_attachments(runtime: &Runtime) -> Result<RouteThrough, ApiError> {
    let attached = blocking(runtime, "router_attachments", |rt| attach::list(rt.store())).await?;
    Ok(RouteThrough {
        attached,
        skipped: Vec::new(),
        notes: Vec::new(),
    })
}

/// Routes the local gateway's providers through the running router (all or nothing).
pub async fn attach_router(runtime: &Runtime) -> Result<RouteThrough, ApiError> {
    let router = runtime.router().base_url().ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidInput,
            "the router is not running: OpenClaw's calls cannot go through it (see its status)",
        )
    })?;
    let (client, url) = local_gateway(runtime).await?;
    let state_dir = runtime.state_dir();
    Ok(attach::attach(&client, runtime.store(), &url, state_dir, &router).await?)
}

/// Puts the local gateway's providers back as they were before attach.
pub async fn detach_router(runtime: &Runtime) -> Result<RouteThrough, ApiError> {
    let (client, _) = local_gateway(runtime).await?;
    Ok(attach::detach(&client, runtime.store()).await?)
}

/// The latest calls through the router, and spend per provider and key today and this month.
pub async fn router_activity(runtime: &Runtime) -> Result<RouterActivity, ApiError> {
    blocking(runtime, "router_activity", |rt| {
        rt.store()
            .read(|c| activity(c, &clawtower_core::period::now_local()))
    })
    .await
}
