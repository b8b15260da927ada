//! What the transport learns about its connections: how many it has opened (to tell a request
//! that went out on a pooled connection from one that opened its own), and why a TLS handshake
//! refused the server's certificate.

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

/// Why the server's certificate was refused, when `err` is a TLS certificate failure: what a
/// person can act on (an unknown issuer, an expired certificate, a wrong host name).
pub(crate) fn certificate_problem(err: &reqwest::Error, origin: &str) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if let Some(tls) = tls_error(cause) {
            return describe(tls, origin);
        }
        source = cause.source();
    }
    None
}

/// The rustls error `cause` is, or wraps in `io::Error`s (whose `source` skips what they wrap:
/// reqwest's connector wraps the TLS stream's `io::Error`, which wraps the rustls error).
fn tls_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cause: &(dyn std::error::Error + 'static) = cause;
    loop {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let inner = cause.downcast_ref::<std::io::Error>()?.get_ref()?;
        cause = inner;
    }
}

fn describe(err: &rustls::Error, origin: &str) -> Option<String> {
    use rustls::CertificateError as E;
    let rustls::Error::InvalidCertificate(problem) = err else {
        return None;
    };
    let host = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or(origin);
    Some(match problem {
        E::UnknownIssuer => "the certificate's issuer is unknown (unknown issuer: not a trusted \
                             certificate authority; a self-signed or private CA's certificate \
                             can be trusted with ca_certs= or SSL_CERT_FILE)"
            .to_owned(),
        E::Expired | E::ExpiredContext { .. } => "the certificate has expired".to_owned(),
        E::NotValidYet | E::NotValidYetContext { .. } => {
            "the certificate is not valid yet (check this machine's clock)".to_owned()
        }
        E::NotValidForName | E::NotValidForNameContext { .. } => {
            format!("the certificate is not valid for the host name {host}")
        }
        // A trusted authority of the same name exists, but did not sign it (a self-signed
        // certificate named like one): as good as unknown.
        E::BadSignature
        | E::UnsupportedSignatureAlgorithmContext { .. }
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "the certificate's issuer is unknown (unknown issuer: its signature does not verify \
             against any trusted certificate authority; a self-signed or private CA's \
             certificate can be trusted with ca_certs= or SSL_CERT_FILE)"
                .to_owned()
        }
        E::Revoked => "the certificate has been revoked".to_owned(),
        E::InvalidPurpose | E::InvalidPurposeContext { .. } => {
            "the certificate may not be used by a server".to_owned()
        }
        other => format!("the certificate was refused ({other:?})"),
    })
}
