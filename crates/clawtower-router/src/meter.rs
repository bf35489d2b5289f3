//! Every routed call into the ledger, off the request's path: the handler hands a finished call
//! to the meter and answers; one thread prices the calls and stores them in batches.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{billed_call, count_skipped, unbilled_call};
use clawtower_ledger::transcript::{ReportedCost, SessionContext, SkipReason, Usage};
use clawtower_store::model_calls::{write, write_unbilled, ModelCall, OnExisting, Unbilled};
use clawtower_store::rollups::RollupDeltas;
use clawtower_store::routed::{self, RouterRequest};
use clawtower_store::router_refusals::{self, RefusedCall};
use clawtower_store::Store;

use crate::usage::Metered;
use clawtower_core::gate::Ticket;

/// The source the router's left-out calls are counted under (`doctor`'s skipped lines).
pub const ROUTER_SOURCE: &str = "router";

/// One routed call, as it ended.
#[derive(Debug)]
pub struct RoutedCall {
    /// Unique id of the call (`router:…`).
    pub call_id: String,
    /// The key's agent.
    pub agent_id: String,
    /// The key's id.
    pub key_id: i64,
    /// When it ended, Unix ms.
    pub ts_ms: i64,
    /// The provider that answered.
    pub provider: String,
    /// The model as sent to it.
    pub model: String,
    /// What it used.
    pub usage: Metered,
    /// The upstream's error, when the call failed (no usage).
    pub error: Option<String>,
    /// Its budget reservation, released once the call is stored.
    pub ticket: Option<Ticket>,
    /// It came from OpenClaw routed through the router: its transcript will hold it too, and
    /// the router's copy folds into that one once it is stored.
    pub from_openclaw: bool,
    /// The OpenClaw session it came from, when OpenClaw named it (its agent is `agent_id`).
    pub session: Option<SessionContext>,
    /// How the router handled it (status, route, times), for the request log.
    pub request: RouterRequest,
}

impl RoutedCall {
    /// The call, keeping `ticket` until it is stored.
    pub fn holding(mut self, ticket: Ticket) -> Self {
        self.ticket = Some(ticket);
        self
    }
}

enum Message {
    Call(Box<RoutedCall>),
    Refused(Box<RefusedCall>),
    Flush(Sender<()>),
}

/// Hands calls to the ledger writer. Dropping it stores what is pending, then stops the thread.
pub struct Meter {
    tx: Option<Sender<Message>>,
    thread: Option<JoinHandle<()>>,
    stored: tokio::sync::watch::Receiver<u64>,
}

impl Meter {
    /// Starts the writer over `store`, pricing with `book`.
    pub fn start(store: Arc<Store>, book: PriceBook) -> Meter {
        let (tx, rx) = channel();
        let (stored_tx, stored) = tokio::sync::watch::channel(0);
        let thread = std::thread::Builder::new()
            .name("router-meter".into())
            .spawn(move || write_calls(&store, &book, rx, &stored_tx))
            .expect("a thread starts");
        Meter {
            tx: Some(tx),
            thread: Some(thread),
            stored,
        }
    }

    /// How many batches of calls (and refusals) it has stored: changes after each (what the
    /// request log follows).
    pub fn stored(&self) -> tokio::sync::watch::Receiver<u64> {
        self.stored.clone()
    }

    /// Hands `message` to the writer thread; false when it has stopped.
    fn send(&self, message: Message) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send(message).is_ok())
    }

    /// Records a call (never blocks on the store).
    pub fn record(&self, call: RoutedCall) {
        self.send(Message::Call(Box::new(call)));
    }

    /// Records a call refused before it was sent, for the request log (never blocks).
    pub fn refused(&self, refusal: RefusedCall) {
        self.send(Message::Refused(Box::new(refusal)));
    }

    /// Waits until every call recorded before is stored.
    pub fn flush(&self) {
        let (done, wait) = channel();
        if self.send(Message::Flush(done)) {
            let _ = wait.recv();
        }
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The session key router calls are grouped under in reports (one per key).
pub fn session_key(key_id: i64) -> String {
    format!("router:key-{key_id}")
}

fn write_calls(
    store: &Store,
    book: &PriceBook,
    rx: Receiver<Message>,
    stored_batches: &tokio::sync::watch::Sender<u64>,
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter().take(1023));
        let mut calls: Vec<&RoutedCall> = Vec::new();
        let mut refusals: Vec<&RefusedCall> = Vec::new();
        for message in &batch {
            match message {
                Message::Call(call) => calls.push(call),
                Message::Refused(refusal) => refusals.push(refusal),
                Message::Flush(_) => {}
            }
        }
        if !calls.is_empty() || !refusals.is_empty() {
            let stored = store.with_conn(|conn| {
                let tx = conn.transaction()?;
                let now = clawtower_core::period::now_ms();
                let mut rollups = RollupDeltas::default();
                for call in &calls {
                    store_call(&tx, book, call, &mut rollups)?;
                }
                router_refusals::record(&tx, &refusals, now)?;
                if !calls.is_empty() {
                    routed::fold(&tx, now, &mut rollups)?;
                    rollups.apply(&tx)?;
                }
                Ok(tx.commit()?)
            });
            match stored {
                Ok(()) => stored_batches.send_modify(|n| *n += 1),
                Err(e) => {
                    tracing::error!(error = %e, calls = calls.len(), "router calls could not be stored")
                }
            }
        }
        // Stored: the calls' reservations go (dropping them releases their tickets), then
        // whoever waits for a flush is told.
        let flushes: Vec<Sender<()>> = batch
            .into_iter()
            .filter_map(|m| match m {
                Message::Flush(done) => Some(done),
                Message::Call(_) | Message::Refused(_) => None,
            })
            .collect();
        for done in flushes {
            let _ = done.send(());
        }
    }
}

fn store_call(
    conn: &rusqlite::Connection,
    book: &PriceBook,
    call: &RoutedCall,
    rollups: &mut RollupDeltas,
) -> clawtower_core::Result<()> {
    let m = &call.usage;
    let usage = Usage {
        input: m.input,
        output: m.output,
        cache_read: m.cache_read,
        cache_write: m.cache_write,
        reasoning_tokens: m.reasoning,
        total_tokens: m.total(),
        cost: m.billed_usd.map(|total| ReportedCost {
            total,
            provider_billed: true,
        }),
    };
    let context = call.session.clone().unwrap_or_else(|| SessionContext {
        agent_id: call.agent_id.clone(),
        session_key: session_key(call.key_id),
        session_id: String::new(),
    });
    let ids = (call.call_id.clone(), call.ts_ms);
    let names = (call.provider.as_str(), call.model.as_str());
    if !usage.is_plausible() {
        // Left out like an implausible transcript line, and counted where `doctor` shows those.
        tracing::warn!(call = %call.call_id, "a router call reported implausible usage; not stored");
        return count_skipped(conn, ROUTER_SOURCE, SkipReason::ImplausibleUsage);
    }
    if usage.is_billed() {
        let billed = ModelCall {
            response_id: m.response_id.clone(),
            ..billed_call(&context, ids.0, ids.1, names, &usage, book)
        };
        write(conn, &billed, OnExisting::Keep, rollups)?;
        if let Some(cut) = &call.error {
            // A stream cut part-way: what arrived counts, and the call says it is incomplete.
            conn.prepare_cached("UPDATE model_calls SET incomplete = ?1 WHERE call_id = ?2")?
                .execute(rusqlite::params![cut, billed.call_id])?;
        }
        if let (true, Some(response_id)) = (call.from_openclaw, &m.response_id) {
            let (id, model) = (&billed.call_id, &billed.model);
            routed::expect_transcript_copy(
                conn,
                id,
                response_id,
                model,
                billed.ts_ms,
                call.key_id,
            )?;
        }
    } else if !call.from_openclaw {
        // (OpenClaw books its own failed and aborted calls in the transcript.)
        let outcome = if call.error.is_some() {
            Unbilled::Failed
        } else {
            Unbilled::Aborted
        };
        let unbilled = unbilled_call(&context, ids.0, ids.1, names, outcome, call.error.clone());
        write_unbilled(conn, &unbilled, OnExisting::Keep, rollups)?;
    } else {
        return Ok(());
    }
    routed::record_request(conn, &call.call_id, &call.request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_implausible_routed_call_is_left_out_and_counted_for_doctor() {
        let store = Store::open_in_memory().unwrap();
        let call = |id: &str, input: u64| RoutedCall {
            call_id: id.into(),
            agent_id: "main".into(),
            key_id: 1,
            ts_ms: 1_795_000_000_000,
            provider: "stub".into(),
            model: "stub-model".into(),
            usage: Metered {
                input,
                output: 1,
                seen: true,
                ..Metered::default()
            },
            error: None,
            ticket: None,
            from_openclaw: false,
            session: None,
            request: RouterRequest::default(),
        };
        let book = PriceBook::bundled();
        store
            .with_conn(|c| {
                let mut rollups = RollupDeltas::default();
                store_call(
                    c,
                    &book,
                    &call("router:a", 10_000_000_000_000_000),
                    &mut rollups,
                )?;
                store_call(c, &book, &call("router:b", 10), &mut rollups)?;
                let stored: Vec<String> = c
                    .prepare("SELECT call_id FROM model_calls")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                assert_eq!(stored, ["router:b"]);
                assert_eq!(
                    clawtower_ledger::record::skipped_totals(c)?,
                    [("implausible-usage".to_string(), 1)]
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn each_stored_batch_is_told_and_a_flush_alone_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("l.sqlite")).unwrap());
        let meter = Meter::start(store.clone(), PriceBook::bundled());
        let mut stored = meter.stored();
        meter.flush();
        assert!(
            !stored.has_changed().unwrap(),
            "nothing stored, nothing told"
        );
        meter.refused(RefusedCall {
            ts_ms: clawtower_core::period::now_ms(),
            key_id: 1,
            agent_id: "main".into(),
            model: "m".into(),
            status: 429,
            reason: "too many".into(),
        });
        meter.flush();
        assert!(stored.has_changed().unwrap());
        assert_eq!(*stored.borrow_and_update(), 1);
        let kept = store.read(|c| router_refusals::recent(c, 0, 10)).unwrap();
        assert_eq!(kept.len(), 1);
    }
}
