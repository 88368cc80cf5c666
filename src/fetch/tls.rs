//! TLS for the HTTP clients: rustls (the ring provider installed at start), TLS 1.2 and 1.3,
//! ALPN `h2` then `http/1.1`, and certificates checked against the platform's roots exactly as
//! reqwest's own default does (rustls-platform-verifier) — except that the roots are loaded on
//! the first certificate to check, not when a client is built. Loading them reads and parses
//! every file in the system's certificate store (a few hundred on Debian), a visible share of
//! a run whose sources are all plain http (every run of a local mirror, the benchmark's warm
//! run); a run with one https source pays it once, as before.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error as TlsError, SignatureScheme};
use std::sync::{Arc, OnceLock};

/// The platform verifier, built (roots loaded) on first use.
#[derive(Debug)]
pub struct LazyVerifier {
    provider: Arc<CryptoProvider>,
    inner: OnceLock<Result<rustls_platform_verifier::Verifier, TlsError>>,
}

impl LazyVerifier {
    pub fn new(provider: Arc<CryptoProvider>) -> LazyVerifier {
        LazyVerifier {
            provider,
            inner: OnceLock::new(),
        }
    }

    /// Whether the roots have been loaded (a certificate was checked).
    pub fn is_loaded(&self) -> bool {
        self.inner.get().is_some()
    }

    fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, TlsError> {
        self.inner
            .get_or_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
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
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// The provider's schemes, which is what the platform verifier answers (its WebPKI
    /// verifier is built from the same provider), known without loading any root.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The rustls configuration of one client, with its own [`LazyVerifier`] (so a daemon's next
/// client sees certificates added to the system meanwhile, as reqwest's default would).
pub fn client_config() -> Result<(rustls::ClientConfig, Arc<LazyVerifier>), TlsError> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let verifier = Arc::new(LazyVerifier::new(provider.clone()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((config, verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_loaded_on_the_first_certificate_and_a_bad_one_is_refused() {
        super::super::install_tls_provider();
        let (config, verifier) = client_config().unwrap();
        assert!(!verifier.is_loaded(), "building a config loads no root");
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        assert!(!verifier.supported_verify_schemes().is_empty());
        assert!(!verifier.is_loaded());
        let name = ServerName::try_from("example.org").unwrap();
        let junk = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        let answer = verifier.verify_server_cert(&junk, &[], &name, &[], UnixTime::now());
        assert!(answer.is_err(), "{answer:?}");
        assert!(verifier.is_loaded());
    }
}
