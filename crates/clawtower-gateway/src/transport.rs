//! How bytes reach a gateway: TCP, TLS for `wss://` (rustls, the system's trusted roots), and a
//! cap on what an unauthenticated peer may send — a few KiB are a challenge, anything past
//! [`PRE_AUTH_MAX_BYTES`] is refused before it is buffered, whatever tungstenite's own message
//! limit (the gateway's `maxPayload`, which applies once Clawtower has answered the challenge).

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::frame::PRE_AUTH_MAX_BYTES;

/// A socket to a gateway.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<Capped<TcpStream>>>;

/// Opens the WebSocket at `url` (`ws://` or `wss://`) with `limits`; returns it and the handle
/// that lifts the pre-authentication read cap ([`ReadCap::lift`]).
pub(crate) async fn open(url: &str, limits: WebSocketConfig) -> Result<(Socket, ReadCap), String> {
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    let port = parsed
        .port_or_known_default()
        .ok_or("the URL names no port")?;
    let tcp = match parsed.host() {
        Some(url::Host::Domain(name)) => TcpStream::connect((name, port)).await,
        Some(url::Host::Ipv4(ip)) => TcpStream::connect((ip, port)).await,
        Some(url::Host::Ipv6(ip)) => TcpStream::connect((ip, port)).await,
        None => return Err("the URL names no host".into()),
    }
    .map_err(|e| e.to_string())?;
    let cap = ReadCap(Arc::new(AtomicU64::new(PRE_AUTH_MAX_BYTES as u64)));
    let stream = Capped {
        inner: tcp,
        left: cap.0.clone(),
    };
    let connector = Connector::Rustls(tls_config()?);
    let (socket, _) =
        tokio_tungstenite::client_async_tls_with_config(url, stream, Some(limits), Some(connector))
            .await
            .map_err(|e| e.to_string())?;
    Ok((socket, cap))
}

/// TLS for `wss://` gateways: the system's trusted roots (a self-hosted gateway's own CA is
/// trusted once the system trusts it, or through `SSL_CERT_FILE`), built once.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                // One unusable certificate in the system store must not refuse the rest.
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(format!(
                    "no trusted root certificates found for wss:// ({:?})",
                    found.errors
                ));
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?
                .with_root_certificates(roots)
                .with_no_client_auth();
            Ok(Arc::new(config))
        })
        .clone()
}

/// Lifts the read cap of one connection once its peer may send more (the challenge answered).
#[derive(Clone)]
pub(crate) struct ReadCap(Arc<AtomicU64>);

impl ReadCap {
    /// No cap from now on (tungstenite's message and frame limits still apply).
    pub(crate) fn lift(&self) {
        self.0.store(u64::MAX, Ordering::Relaxed);
    }
}

/// A stream that refuses to read past what is `left` (`u64::MAX`: no cap).
pub(crate) struct Capped<S> {
    inner: S,
    left: Arc<AtomicU64>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Capped<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let left = self.left.load(Ordering::Relaxed);
        if left == 0 {
            return Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the gateway sent more than {} KiB before Clawtower authenticated",
                    PRE_AUTH_MAX_BYTES / 1024
                ),
            )));
        }
        if left == u64::MAX {
            return Pin::new(&mut self.inner).poll_read(cx, buf);
        }
        // Read no more than is left (a capped read is the handshake's: a few small ones).
        let before = buf.filled().len();
        let poll = if (buf.remaining() as u64) <= left {
            Pin::new(&mut self.inner).poll_read(cx, buf)
        } else {
            let mut room = vec![0u8; left as usize];
            let mut limited = ReadBuf::new(&mut room);
            let poll = Pin::new(&mut self.inner).poll_read(cx, &mut limited);
            buf.put_slice(limited.filled());
            poll
        };
        let read = (buf.filled().len() - before) as u64;
        // Lifted meanwhile (u64::MAX) stays lifted.
        let _ = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                (l != u64::MAX).then(|| l.saturating_sub(read))
            });
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Capped<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
