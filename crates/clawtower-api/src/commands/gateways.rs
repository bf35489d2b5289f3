//! The gateway list: add by URL, remove (with undo), enter a token or password. Secrets go in
//! and are never sent back.

use clawtower_feeds::feed::GatewayStatus;
use clawtower_feeds::roster::{store, GatewayCredential, GatewayDraft};
use clawtower_store::Store;

use super::blocking;
use crate::{ApiError, Runtime};

/// Every followed gateway and its connection state, local first.
pub async fn gateways(runtime: &Runtime) -> Result<Vec<GatewayStatus>, ApiError> {
    Ok(runtime.gateways().statuses())
}

/// Follows another gateway; returns every gateway (the new one connecting).
pub async fn add_gateway(
    runtime: &Runtime,
    draft: GatewayDraft,
) -> Result<Vec<GatewayStatus>, ApiError> {
    let local_url = runtime
        .gateways()
        .statuses()
        .into_iter()
        .find(|g| g.gateway.local)
        .map(|g| g.gateway.url);
    change(runtime, move |s, now| {
        s.with_conn(|c| store::add(c, &draft, local_url.as_deref(), now))
            .map(drop)
    })
    .await
}

/// Stops following an added gateway (restorable for an hour).
pub async fn remove_gateway(runtime: &Runtime, id: i32) -> Result<Vec<GatewayStatus>, ApiError> {
    change(runtime, move |s, now| {
        s.with_conn(|c| store::remove(c, i64::from(id), now))
    })
    .await
}

/// Undoes a removal.
pub async fn restore_gateway(runtime: &Runtime, id: i32) -> Result<Vec<GatewayStatus>, ApiError> {
    change(runtime, move |s, now| {
        s.with_conn(|c| store::restore(c, i64::from(id), now))
    })
    .await
}

/// Sets (or forgets, with `None`) the token or password Clawtower sends to a gateway.
pub async fn set_gateway_credential(
    runtime: &Runtime,
    id: i32,
    credential: Option<GatewayCredential>,
) -> Result<Vec<GatewayStatus>, ApiError> {
    change(runtime, move |s, now| {
        s.with_conn(|c| store::set_credential(c, i64::from(id), credential.as_ref(), now))
    })
    .await
}

/// Applies one change to the gateway list and follows the list as it now is.
async fn change(
    runtime: &Runtime,
    apply: impl FnOnce(&Store, i64) -> clawtower_core::Result<()> + Send + 'static,
) -> Result<Vec<GatewayStatus>, ApiError> {
    blocking(runtime, "the gateway change", |rt| {
        rt.gateways().change(apply)
    })
    .await
}
