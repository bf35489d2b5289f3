//! make bench, router part: a fast upstream for the load test — an OpenAI-shaped provider that
//! answers every chat completion with the same canned body (JSON, or an SSE stream with usage when
//! the request asks for one), as fast as axum can. Prints `port N` once it listens on loopback.
//!
//!   cargo run --release -p clawtower-router --example canned_upstream

use axum::routing::post;

const ANSWER: &str = r#"{"id":"chatcmpl-c","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"#;
const STREAM: &str = concat!(
    "data: {\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n",
    "data: {\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
    "data: {\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}}\n\n",
    "data: [DONE]\n\n"
);

#[tokio::main]
async fn main() {
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(|body: String| async move {
            if body.contains("\"stream\":true") {
                ([("content-type", "text/event-stream")], STREAM)
            } else {
                ([("content-type", "application/json")], ANSWER)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("port {}", listener.local_addr().unwrap().port());
    axum::serve(listener, app).await.unwrap();
}
