//! make bench, router part: what the router adds to a call, with metering on (every call stored in
//! a ledger on disk) and the budget gate asked before each call. The same canned completion is
//! fetched straight from a stub upstream (the baseline) and through the router over kept-alive
//! connections: first one call at a time (alternating), then under load — CLIENTS concurrent
//! clients calling as fast as they can for a few seconds each way — as requests per second and
//! latency percentiles, and whether every call made under load was metered. Client, router and
//! stub share this machine's cores, so the load figures are of the whole set beside the same set
//! without the router. Figures only, never pass/fail.
//!
//!   cargo run --release -p clawtower-router --example router_overhead [CALLS] [SECONDS]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::post;
use clawtower_control::BudgetGate;
use clawtower_core::period::now_local;
use clawtower_ledger::pricing::PriceBook;
use clawtower_router::keys::{create, KeyDraft};
use clawtower_router::meter::Meter;
use clawtower_router::{app, Config, RouterState};
use clawtower_store::Store;

const ANSWER: &str = r#"{"id":"chatcmpl-b","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"#;
const REQUEST: &str = r#"{"model":"stub/m","messages":[{"role":"user","content":"hi"}]}"#;

async fn listen(router: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// What `clients` concurrent clients got from `url` in `seconds`: requests per second and the
/// latencies, sorted.
async fn load(
    client: &reqwest::Client,
    key: &str,
    url: String,
    clients: usize,
    seconds: f64,
) -> (f64, Vec<Duration>) {
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, key, url) = (client.clone(), key.to_string(), url.clone());
            tokio::spawn(async move {
                let mut took = Vec::new();
                while Instant::now() < until {
                    let t0 = Instant::now();
                    let answer = client
                        .post(&url)
                        .bearer_auth(&key)
                        .header("content-type", "application/json")
                        .body(REQUEST)
                        .send()
                        .await
                        .unwrap();
                    assert!(answer.status().is_success(), "{}", answer.status());
                    assert!(answer.bytes().await.unwrap().len() > 10);
                    took.push(t0.elapsed());
                }
                took
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    (all.len() as f64 / elapsed, all)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let arg = |i: usize| std::env::args().nth(i).and_then(|n| n.parse::<f64>().ok());
    let calls = arg(1).unwrap_or(5_000.0) as usize;
    let seconds = arg(2).unwrap_or(5.0);
    let stub = listen(axum::Router::new().route(
        "/v1/chat/completions",
        post(|| async { ([("content-type", "application/json")], ANSWER) }),
    ))
    .await;
    let config = Config::parse(
        &format!("[[providers]]\nid = \"stub\"\nkind = \"openai\"\nbase_url = \"http://{stub}/v1\"\nmodels = [\"m\"]\n"),
        &|_| None,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("bench.sqlite")).unwrap());
    let key = store
        .with_conn(|c| {
            Ok(create(
                c,
                &KeyDraft {
                    agent_id: "bench".into(),
                    ..KeyDraft::default()
                },
                1,
            )?
            .1)
        })
        .unwrap();
    // The budget gate on, as the CLI and the app run it (no budget set: it reads the pauses and
    // budgets, finds none, and lets the call go).
    let gate = Arc::new(BudgetGate::new(store.clone(), now_local));
    let meter = Meter::start(store.clone(), PriceBook::bundled());
    let state = Arc::new(
        RouterState::new(config, store.clone(), meter, PriceBook::bundled()).with_gate(gate),
    );
    let router = listen(app(state.clone())).await;
    clawtower_core::tls::install_provider();
    let client = reqwest::Client::new();
    let call = |url: String| {
        let request = client
            .post(url)
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(REQUEST);
        async move {
            let t0 = Instant::now();
            let body = request.send().await.unwrap().bytes().await.unwrap();
            assert!(body.len() > 10);
            t0.elapsed()
        }
    };
    let (mut direct, mut routed) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
    for i in 0..calls + 200 {
        let d = call(format!("http://{stub}/v1/chat/completions")).await;
        let r = call(format!("http://{router}/v1/chat/completions")).await;
        if i >= 200 {
            direct.push(d);
            routed.push(r);
        }
    }
    state.meter().flush();
    let count_stored = || -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM model_calls", [], |r| r.get(0))?))
            .unwrap()
    };
    let stored = count_stored();
    direct.sort();
    routed.sort();
    let (d50, d99) = (percentile(&direct, 0.5), percentile(&direct, 0.99));
    let (r50, r99) = (percentile(&routed, 0.5), percentile(&routed, 0.99));
    println!("one call at a time, {calls} calls each, metering on ({stored} calls stored):");
    println!("  stub directly (baseline): p50 {d50:.3} ms, p99 {d99:.3} ms");
    println!("  through the router:       p50 {r50:.3} ms, p99 {r99:.3} ms");
    println!(
        "  added by the router:      p50 {:.3} ms, p99 {:.3} ms (router / direct p50: {:.2})",
        r50 - d50,
        r99 - d99,
        r50 / d50
    );
    println!("under load, {seconds} s each way, metering on:");
    for clients in [16, 64] {
        let (direct_rps, direct) = load(
            &client,
            &key,
            format!("http://{stub}/v1/chat/completions"),
            clients,
            seconds,
        )
        .await;
        let before = count_stored();
        let (routed_rps, routed) = load(
            &client,
            &key,
            format!("http://{router}/v1/chat/completions"),
            clients,
            seconds,
        )
        .await;
        state.meter().flush();
        let metered = count_stored() - before;
        println!(
            "  {clients} clients: stub directly {direct_rps:.0} req/s (p50 {:.2} ms, p99 {:.2} ms); \
             through the router {routed_rps:.0} req/s (p50 {:.2} ms, p99 {:.2} ms); \
             router / direct: {:.2}; metered {metered} of {} calls",
            percentile(&direct, 0.5),
            percentile(&direct, 0.99),
            percentile(&routed, 0.5),
            percentile(&routed, 0.99),
            routed_rps / direct_rps,
            routed.len()
        );
    }
}
