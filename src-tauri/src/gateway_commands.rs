//! Typed IPC commands of the gateway list: add by URL, remove (with undo), enter a token or
//! password. Secrets go in and are never sent back. The changing ones are async: they run off the
//! main thread (store writes, restarting connections).

use clawtower_engine::gateway::feed::GatewayStatus;
use clawtower_engine::gateways::{store, GatewayCredential, GatewayDraft};
use clawtower_engine::period::now_local;
use clawtower_engine::store::Store;
use tauri::State;

use crate::error::AppError;
use crate::gateway::Gateways;

/// Every followed gateway and its connection state, local first.
#[tauri::command]
#[specta::specta]
pub fn gateways(gateways: State<'_, Gateways>) -> Vec<GatewayStatus> {
    gateways.statuses()
}

/// Follows another gateway; returns every gateway (the new one connecting).
#[tauri::command]
#[specta::specta]
pub async fn add_gateway(
    gateways: State<'_, Gateways>,
    draft: GatewayDraft,
) -> Result<Vec<GatewayStatus>, AppError> {
    let local_url = gateways
        .statuses()
        .into_iter()
        .find(|g| g.gateway.local)
        .map(|g| g.gateway.url);
    change(&gateways, |s, now| {
        s.with_conn(|c| store::add(c, &draft, local_url.as_deref(), now))
            .map(drop)
    })
}

/// Stops following an added gateway (restorable for an hour); refused while a pause made on it
/// holds (resuming needs the connection).
#[tauri::command]
#[specta::specta]
pub async fn remove_gateway(
    gateways: State<'_, Gateways>,
    id: i32,
) -> Result<Vec<GatewayStatus>, AppError> {
    change(&gateways, |s, now| {
        s.with_conn(|c| store::remove(c, i64::from(id), now))
    })
}

/// Undoes a removal.
#[tauri::command]
#[specta::specta]
pub async fn restore_gateway(
    gateways: State<'_, Gateways>,
    id: i32,
) -> Result<Vec<GatewayStatus>, AppError> {
    change(&gateways, |s, now| {
        s.with_conn(|c| store::restore(c, i64::from(id), now))
    })
}

/// Sets the token or password Clawtower sends to a gateway (`null` forgets the entered one; the
/// local gateway then uses openclaw.json's again); its connection restarts with it.
#[tauri::command]
#[specta::specta]
pub async fn set_gateway_credential(
    gateways: State<'_, Gateways>,
    id: i32,
    credential: Option<GatewayCredential>,
) -> Result<Vec<GatewayStatus>, AppError> {
    change(&gateways, |s, now| {
        s.with_conn(|c| store::set_credential(c, i64::from(id), credential.as_ref(), now))
    })
}

/// Applies one change to the gateway list (given the store and the time in ms), follows the list
/// as it now is, and returns every gateway.
fn change(
    gateways: &Gateways,
    apply: impl FnOnce(&Store, i64) -> clawtower_engine::Result<()>,
) -> Result<Vec<GatewayStatus>, AppError> {
    let now_ms = now_local().timestamp().as_millisecond();
    apply(gateways.store()?, now_ms)?;
    gateways.sync()?;
    Ok(gateways.statuses())
}
