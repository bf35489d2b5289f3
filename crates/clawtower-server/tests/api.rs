//! The HTTP API's security, as a table over the command list (a new command cannot skip auth),
//! and its answers, on a real runtime over a temporary data dir.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use clawtower_core::DataDir;
use clawtower_runtime::{GatewaySource, Runtime, RuntimeOptions};
use clawtower_server::{ApiToken, ServeError, ServeHost, ServeOptions, Server};
use http_body_util::BodyExt;
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:8900";

struct Fixture {
    app: Router,
    token: ApiToken,
    _runtime: Runtime,
    _tmp: tempfile::TempDir,
}

fn options() -> ServeOptions {
    ServeOptions {
        bind: HOST.parse().unwrap(),
        allow_remote: false,
        tls: None,
        names: vec![],
    }
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let host = Arc::new(ServeHost::new());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(tmp.path().join("data")),
            openclaw_home: Some(tmp.path().join("openclaw")),
            gateways: GatewaySource::Only(vec![]),
            transcripts: true,
            tokio: tokio::runtime::Handle::current(),
        },
        host.clone(),
    )
    .unwrap();
    let token = ApiToken::load_or_create(&tmp.path().join("data")).unwrap();
    let server = Server::new(runtime.clone(), &host, token.clone(), options()).unwrap();
    Fixture {
        app: server.router(),
        token,
        _runtime: runtime,
        _tmp: tmp,
    }
}

fn rpc(command: &str) -> axum::http::request::Builder {
    Request::post(format!("/api/v1/rpc/{command}"))
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_refuses_a_missing_or_wrong_token() {
    let f = fixture();
    for command in clawtower_api::COMMANDS {
        let none = rpc(command).body(Body::from("{}")).unwrap();
        assert_eq!(
            send(&f.app, none).await.0,
            StatusCode::UNAUTHORIZED,
            "{command} without a token"
        );
        let wrong = rpc(command)
            .header(header::AUTHORIZATION, "Bearer wrong")
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(
            send(&f.app, wrong).await.0,
            StatusCode::UNAUTHORIZED,
            "{command} with a wrong token"
        );
        let forged = rpc(command)
            .header(header::COOKIE, "clawtower_session=forged")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(
            send(&f.app, forged).await.0,
            StatusCode::UNAUTHORIZED,
            "{command} with a forged cookie"
        );
    }
    let events = Request::get("/api/v1/events")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&f.app, events).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_runs_commands_and_bad_arguments_say_why() {
    let f = fixture();
    let bearer = format!("Bearer {}", f.token.reveal());
    let request = rpc("spend_summary")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["data"]["trayLabel"], "$0.00 today");

    let request = rpc("top_spend")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::from(r#"{"period":"fortnight"}"#))
        .unwrap();
    let (status, _, body) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("INVALID_INPUT") && body.contains("top_spend"),
        "{body}"
    );

    let request = rpc("no_such_command")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::from("{}"))
        .unwrap();
    let (status, _, body) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let request = rpc("remove_budget")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::from(r#"{"id":42}"#))
        .unwrap();
    let (status, _, body) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(r#""code":"NOT_FOUND""#), "{body}");

    // A budget the engine would not enforce is refused here as in the app (issue 11, item 2).
    for (window, limit, ok) in [
        (r#"{"kind":"rolling","hours":9000}"#, "5", false),
        (r#"{"kind":"day"}"#, "-1", false),
        (r#"{"kind":"day"}"#, "1e308", false),
        (r#"{"kind":"rolling","hours":24}"#, "5", true),
    ] {
        let draft = format!(
            r#"{{"id":null,"draft":{{"name":"Cap","scope":{{"kind":"all"}},"window":{window},"limitUsd":{limit},"thresholds":[80],"action":"alert","autoResume":false}}}}"#
        );
        let request = rpc("save_budget")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::from(draft))
            .unwrap();
        let (status, _, body) = send(&f.app, request).await;
        if ok {
            assert_eq!(status, StatusCode::OK, "{window} {limit}: {body}");
            continue;
        }
        assert_eq!(status, StatusCode::BAD_REQUEST, "{window} {limit}: {body}");
        assert!(body.contains(r#""code":"INVALID_INPUT""#), "{body}");
        assert!(
            !body.contains("save_budget: "),
            "refused by the engine, not the parser: {body}"
        );
    }
    let request = rpc("budget_board")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = send(&f.app, request).await;
    let board: serde_json::Value = serde_json::from_str(&body).unwrap();
    let stored = board["data"]["budgets"].as_array().unwrap();
    assert_eq!(stored.len(), 1, "only the valid budget was stored: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_signs_in_for_a_strict_cookie_and_cross_origin_calls_are_refused() {
    let f = fixture();
    let sign_in = Request::post("/api/v1/session")
        .header(header::HOST, HOST)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", f.token.reveal()),
        )
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&f.app, sign_in).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let cookie = headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(
        !cookie.contains(f.token.reveal()),
        "the cookie must not carry the token"
    );
    let session = cookie.split(';').next().unwrap().to_string();

    let own = rpc("budget_board")
        .header(header::COOKIE, &session)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&f.app, own).await.0, StatusCode::OK);
    let foreign = rpc("pause_all")
        .header(header::COOKIE, &session)
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&f.app, foreign).await.0, StatusCode::FORBIDDEN);
    let no_origin = rpc("pause_all")
        .header(header::COOKIE, &session)
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        send(&f.app, no_origin).await.0,
        StatusCode::FORBIDDEN,
        "a cookie call must prove its origin"
    );
    let bearer_foreign = rpc("spend_summary")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", f.token.reveal()),
        )
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&f.app, bearer_foreign).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_host_is_refused_and_healthz_needs_nothing() {
    let f = fixture();
    // A token-bearing API call naming a foreign host, after what `request` set.
    let foreign = |request: axum::http::request::Builder| {
        request
            .header(header::HOST, "evil.example:8900")
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", f.token.reveal()),
            )
            .body(Body::empty())
            .unwrap()
    };
    // `rpc` set the right Host first; a second Host header must not slip through either.
    let (status, _, _) = send(&f.app, foreign(rpc("spend_summary"))).await;
    assert_ne!(status, StatusCode::OK);
    let alone = foreign(Request::post("/api/v1/rpc/spend_summary"));
    let (status, _, body) = send(&f.app, alone).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{body}");
    let mut page = Request::get("/").body(Body::empty()).unwrap();
    page.headers_mut()
        .insert(header::HOST, "evil.example:8900".parse().unwrap());
    assert_eq!(send(&f.app, page).await.0, StatusCode::MISDIRECTED_REQUEST);

    let health = Request::get("/healthz").body(Body::empty()).unwrap();
    let (status, _, body) = send(&f.app, health).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));

    let page = Request::get("/")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&f.app, page).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(body.contains("<title>Clawtower</title>"), "{body}");
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_address_needs_allow_remote() {
    let f = fixture();
    let host = ServeHost::new();
    let remote = ServeOptions {
        bind: "0.0.0.0:8900".parse().unwrap(),
        ..options()
    };
    let refused = Server::new(f._runtime.clone(), &host, f.token.clone(), remote.clone());
    assert!(matches!(refused, Err(ServeError::RemoteNotAllowed(_))));
    let allowed = Server::new(
        f._runtime.clone(),
        &host,
        f.token.clone(),
        ServeOptions {
            allow_remote: true,
            ..remote
        },
    )
    .unwrap();
    assert!(allowed.plaintext_remote(), "served in clear: the CLI warns");
}
