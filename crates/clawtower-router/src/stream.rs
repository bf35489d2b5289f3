//! A streamed answer passed through to the client while its usage is read. The call is metered
//! exactly once: when the stream ends, when the upstream breaks off (the client then gets the
//! protocol's error event), or when the client goes away (the upstream request is dropped with
//! it, and the usage received so far is kept).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream};

use crate::errors::{stream_error_event, Shape};
use crate::usage::StreamMeter;

/// Called once with what the stream used, and the error that cut it (if one did).
pub type OnEnd = Box<dyn FnOnce(&StreamMeter, Option<String>) + Send>;

/// The client-facing body of a streamed answer.
pub struct MeteredStream {
    first: Option<Bytes>,
    upstream: Option<BoxStream<'static, reqwest::Result<Bytes>>>,
    meter: StreamMeter,
    shape: Shape,
    on_end: Option<OnEnd>,
}

impl MeteredStream {
    /// Wraps an upstream stream whose first chunk was already read (to commit to this target).
    pub fn new(
        first: Bytes,
        upstream: BoxStream<'static, reqwest::Result<Bytes>>,
        meter: StreamMeter,
        shape: Shape,
        on_end: OnEnd,
    ) -> Self {
        MeteredStream {
            first: Some(first),
            upstream: Some(upstream),
            meter,
            shape,
            on_end: Some(on_end),
        }
    }

    fn end(&mut self, error: Option<String>) {
        self.upstream = None;
        if let Some(on_end) = self.on_end.take() {
            self.meter.end();
            on_end(&self.meter, error);
        }
    }
}

impl Stream for MeteredStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(first) = this.first.take() {
            this.meter.feed(&first);
            return Poll::Ready(Some(Ok(first)));
        }
        let Some(upstream) = this.upstream.as_mut() else {
            return Poll::Ready(None);
        };
        match upstream.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                this.meter.feed(&chunk);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                let message = format!("the provider's stream broke off: {e}");
                let event = stream_error_event(this.shape, &message);
                this.end(Some(message));
                Poll::Ready(Some(Ok(Bytes::from(event))))
            }
            Poll::Ready(None) => {
                this.end(None);
                Poll::Ready(None)
            }
        }
    }
}

impl Drop for MeteredStream {
    /// The client went away mid-stream: the upstream request is dropped, what arrived is kept
    /// (and the call marked incomplete). After a normal end there is nothing left to do.
    fn drop(&mut self) {
        self.end(Some(
            "the client went away before the end of the stream".into(),
        ));
    }
}
