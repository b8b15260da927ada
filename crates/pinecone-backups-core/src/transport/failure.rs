//! What went wrong on the way, read from reqwest's layered errors: a connection that went stale,
//! a body cut short, a refused certificate, and the messages of the causes.

/// Whether `err` says the (reused) connection was unusable: the response could not be parsed,
/// or the connection closed before a response began.
pub(crate) fn stale_connection(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            return hyper.is_parse() || hyper.is_incomplete_message();
        }
        source = cause.source();
    }
    false
}

/// Whether an error of type `T` is among `err`'s sources.
pub(crate) fn caused_by<T: std::error::Error + 'static>(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if cause.is::<T>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The messages of an error's sources, outermost first, without repeats: the useful part of
/// reqwest's layered errors ("tcp connect error: Connection refused (os error 111)").
pub(crate) fn cause_chain(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        // hyper's "client error (Connect)" layer says nothing its sources do not say better.
        let is_label = text.starts_with("client error (") && text.ends_with(')');
        if !is_label && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    parts.join(": ")
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
