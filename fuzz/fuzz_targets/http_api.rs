//! `clawtower serve`'s whole HTTP entry on arbitrary requests: any command of the list (or a
//! made-up name) with any body, with or without the token, a session cookie, a foreign Origin or
//! Host. Never a panic; every answer is one of the documented statuses in the API's error shape,
//! and nothing without the token or cookie gets past 401.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use clawtower_core::DataDir;
use clawtower_runtime::{GatewaySource, Runtime, RuntimeOptions};
use clawtower_server::{ApiToken, ServeHost, ServeOptions, Server};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Api {
    tokio: tokio::runtime::Runtime,
    app: Router,
    token: String,
    _runtime: Runtime,
    _dir: std::path::PathBuf,
}

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("clawtower-fuzz-http-{}", std::process::id()));
        let tokio = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let host = Arc::new(ServeHost::new());
        let runtime = Runtime::start(
            RuntimeOptions {
                data_dir: DataDir::at(dir.join("data")),
                openclaw_home: Some(dir.join("openclaw")),
                gateways: GatewaySource::Only(vec![]),
                transcripts: true,
                tokio: tokio.handle().clone(),
            },
            host.clone(),
        )
        .unwrap();
        let token = ApiToken::load_or_create(&dir.join("data")).unwrap();
        let options = ServeOptions {
            bind: "127.0.0.1:8900".parse().unwrap(),
            allow_remote: false,
            tls: None,
            names: vec![],
        };
        let app = Server::new(runtime.clone(), &host, token.clone(), options)
            .unwrap()
            .router();
        Api {
            tokio,
            app,
            token: token.reveal().to_string(),
            _runtime: runtime,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&[pick, flags], body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let api = api();
    let commands = clawtower_api::COMMANDS;
    let command = commands
        .get(pick as usize)
        .copied()
        .unwrap_or("no_such_command");
    let mut request = Request::post(format!("/api/v1/rpc/{command}"));
    request = request.header(
        header::HOST,
        if flags & 1 == 0 { "127.0.0.1:8900" } else { "evil.example" },
    );
    let authorized = flags & 2 == 0;
    if authorized {
        request = request.header(header::AUTHORIZATION, format!("Bearer {}", api.token));
    } else if flags & 4 != 0 {
        request = request.header(header::AUTHORIZATION, "Bearer not-the-token");
    }
    if flags & 8 != 0 {
        request = request.header(header::ORIGIN, "http://evil.example");
    }
    if flags & 16 != 0 {
        request = request.header(header::COOKIE, "clawtower_session=forged");
    }
    let request = request.body(Body::from(body.to_vec())).unwrap();
    let response = api
        .tokio
        .block_on(api.app.clone().oneshot(request))
        .unwrap();
    let status = response.status();
    let allowed = [
        StatusCode::OK,
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::FORBIDDEN,
        StatusCode::NOT_FOUND,
        StatusCode::MISDIRECTED_REQUEST,
        StatusCode::INTERNAL_SERVER_ERROR,
    ];
    assert!(allowed.contains(&status), "unexpected status {status}");
    if flags & 1 != 0 {
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "a foreign Host got through");
    } else if !authorized {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "no token, yet {status}");
    }
});
