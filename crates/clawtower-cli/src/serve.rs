//! `clawtower serve`: the runtime headless with the UI in a browser; `clawtower token`: the
//! API token it requires.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use clawtower_runtime::{GatewaySource, Runtime, RuntimeOptions};
use clawtower_server::{ApiToken, ServeHost, ServeOptions, Server, TlsFiles};

use crate::ledger;

/// Options of `clawtower serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Anything but loopback needs --allow-remote.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8900")]
    bind: SocketAddr,
    /// OpenClaw's state dir (or a home containing `.openclaw`); default: where OpenClaw looks.
    #[arg(long, value_name = "DIR")]
    openclaw_home: Option<PathBuf>,
    /// Serve on a non-loopback address (then use --tls-cert/--tls-key, or be warned on each start).
    #[arg(long)]
    allow_remote: bool,
    /// Certificate chain (PEM) to serve HTTPS with.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Another host name browsers reach this server by (e.g. `pi.local`); repeatable. Requests
    /// naming any other host are refused (DNS rebinding).
    #[arg(long = "name", value_name = "HOST")]
    names: Vec<String>,
}

/// Options of `clawtower token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Make a new token: the old one, and every browser signed in with it, stop working.
    #[arg(long)]
    rotate: bool,
}

/// Runs `clawtower serve` until interrupted.
pub fn serve(args: &ServeArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish(serve_until_interrupted(args, data_dir))
}

/// Prints the API token (`--rotate`: a new one).
pub fn token(args: &TokenArgs, data_dir: Option<&Path>) -> ExitCode {
    crate::finish((|| {
        let dir = ledger::data_dir(data_dir)?;
        dir.ensure().map_err(|e| e.to_string())?;
        let token = if args.rotate {
            ApiToken::rotate(dir.root())
        } else {
            ApiToken::load_or_create(dir.root())
        }
        .map_err(|e| format!("the API token in {}: {e}", dir.root().display()))?;
        println!("{}", token.reveal());
        Ok(())
    })())
}

fn serve_until_interrupted(args: &ServeArgs, data_dir: Option<&Path>) -> Result<(), String> {
    crate::init_logging();
    let data_dir = ledger::data_dir(data_dir)?;
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // Refused before the runtime starts (it takes the data dir, imports and connects).
    let options = ServeOptions {
        bind: args.bind,
        allow_remote: args.allow_remote,
        tls: args
            .tls_cert
            .clone()
            .zip(args.tls_key.clone())
            .map(|(cert, key)| TlsFiles { cert, key }),
        names: args.names.clone(),
    }
    .checked()
    .map_err(|e| e.to_string())?;
    let host = Arc::new(ServeHost::new());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: data_dir.clone(),
            openclaw_home: args.openclaw_home.clone(),
            gateways: GatewaySource::Followed,
            transcripts: true,
            tokio: tokio.handle().clone(),
        },
        host.clone(),
    )
    .map_err(|e| e.to_string())?;
    let token = ApiToken::load_or_create(data_dir.root())
        .map_err(|e| format!("the API token in {}: {e}", data_dir.root().display()))?;
    let scheme = if options.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let server = Server::new(runtime, &host, token.clone(), options).map_err(|e| e.to_string())?;
    if server.plaintext_remote() {
        eprintln!("clawtower: WARNING: serving on {} without TLS: the token and every answer cross the network in clear; pass --tls-cert and --tls-key", args.bind);
    }
    tokio.block_on(async move {
        let listening = server.bind().await.map_err(|e| e.to_string())?;
        let addr = listening.addr();
        let shown = if addr.ip().is_unspecified() {
            format!("<this machine>:{}", addr.port())
        } else {
            addr.to_string()
        };
        eprintln!("Clawtower is serving on {scheme}://{shown}/");
        eprintln!(
            "Open in a browser (signs it in; keep the link private): {scheme}://{shown}/#token={}",
            token.reveal()
        );
        listening
            .run(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}
