//! How many connections a client has opened: to tell a request that went out on a pooled
//! connection from one that opened its own.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

/// Counts the connections a client opened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Connections {
    opened: Arc<AtomicU64>,
}

impl Connections {
    /// How many connections have been opened so far.
    pub(crate) fn opened(&self) -> u64 {
        self.opened.load(Ordering::SeqCst)
    }

    /// A layer over the HTTP client's connector that counts the connections it opens.
    pub(crate) fn layer(&self) -> CountingLayer {
        CountingLayer {
            opened: self.opened.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CountingLayer {
    opened: Arc<AtomicU64>,
}

impl<S> tower_layer::Layer<S> for CountingLayer {
    type Service = Counting<S>;
    fn layer(&self, inner: S) -> Counting<S> {
        Counting {
            inner,
            opened: self.opened.clone(),
        }
    }
}

/// The connector, counting the connections it makes.
#[derive(Debug, Clone)]
pub(crate) struct Counting<S> {
    inner: S,
    opened: Arc<AtomicU64>,
}

impl<S, R> tower_service::Service<R> for Counting<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        let opened = self.opened.clone();
        Box::pin(async move {
            let connection = connecting.await?;
            opened.fetch_add(1, Ordering::SeqCst);
            Ok(connection)
        })
    }
}
