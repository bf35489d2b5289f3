//! `GET /api/v1/events`: the runtime's events as Server-Sent Events (`event: <name>`,
//! `data: <json>`), exactly what the desktop window receives.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use crate::state::ServerState;

/// The event stream of one browser tab. A tab too slow to keep up skips what it missed (each
/// event carries the whole new state, so the next one makes it current again).
pub(crate) async fn stream(
    State(state): State<ServerState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let events = BroadcastStream::new(state.events.subscribe()).filter_map(|item| async move {
        let (name, data) = item.ok()?;
        Some(Ok(Event::default().event(name).data(data.as_str())))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
