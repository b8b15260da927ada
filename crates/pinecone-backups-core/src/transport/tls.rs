//! TLS: rustls with the ring provider, verifying servers against the platform's roots, loaded
//! on the first handshake rather than when the client is built.
//!
//! Loading the system's CA bundle takes milliseconds (about 2 ms here, parsing every
//! certificate): a script that lists backups from the local emulator over plain HTTP should not
//! pay it, and one that talks to the real API pays it once, on its first connection.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::{ConfigError, Result};

/// The TLS configuration for the HTTP client: TLS 1.2 and 1.3, ALPN for HTTP/2 and HTTP/1.1,
/// servers verified against the system's roots plus `extra_roots` (DER certificates).
pub(crate) fn client_config(extra_roots: Option<&[Vec<u8>]>) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(LazyPlatformVerifier {
        provider: provider.clone(),
        extra_roots: extra_roots.map(<[Vec<u8>]>::to_vec).unwrap_or_default(),
        inner: OnceLock::new(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::error("ca_certs", format!("TLS setup failed: {e}")))?
        .dangerous() // the API for a custom verifier; this one verifies fully
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform verifier (system roots, `SSL_CERT_FILE`/`SSL_CERT_DIR` honoured), built on first
/// use. Handshake signatures are checked with the provider's algorithms, which needs no roots.
#[derive(Debug)]
struct LazyPlatformVerifier {
    provider: Arc<CryptoProvider>,
    extra_roots: Vec<Vec<u8>>,
    inner: OnceLock<std::result::Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl LazyPlatformVerifier {
    fn verifier(&self) -> std::result::Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        self.inner
            .get_or_init(|| {
                let extra = self
                    .extra_roots
                    .iter()
                    .map(|der| CertificateDer::from(der.clone()));
                rustls_platform_verifier::Verifier::new_with_extra_roots(
                    extra,
                    self.provider.clone(),
                )
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyPlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_loaded_on_first_use_only() {
        let config = client_config(None).unwrap();
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        let verifier = LazyPlatformVerifier {
            provider: Arc::new(rustls::crypto::ring::default_provider()),
            extra_roots: Vec::new(),
            inner: OnceLock::new(),
        };
        assert!(verifier.inner.get().is_none());
        assert!(!verifier.supported_verify_schemes().is_empty());
        assert!(
            verifier.inner.get().is_none(),
            "signature schemes need no roots"
        );
        verifier.verifier().expect("this machine has a CA bundle");
        assert!(verifier.inner.get().is_some());
    }
}
