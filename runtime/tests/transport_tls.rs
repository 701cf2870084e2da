//! Custom root certificates and mutual TLS against a local HTTPS server that requires a
//! client certificate. The certificates in tests/data are test-only (see its README).

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::*;
use sforce::{Connection, Error};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA_CERT: &str = include_str!("data/test-only-tls-ca-cert.pem");
const SERVER_CERT: &str = include_str!("data/test-only-tls-server-cert.pem");
const SERVER_KEY: &str = include_str!("data/test-only-tls-server-key.pem");
const CLIENT_CERT: &str = include_str!("data/test-only-tls-client-cert.pem");
const CLIENT_KEY: &str = include_str!("data/test-only-tls-client-key.pem");

/// Accepts TCP connections and completes a TLS handshake; failed handshakes are dropped.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// An HTTPS fake org on 127.0.0.1 that requires a client certificate issued by the test CA.
async fn serve_tls(org: &Arc<Org>) -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA_CERT.as_bytes()).unwrap())
        .unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
        .build()
        .unwrap();
    let config = rustls::ServerConfig::builder()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(SERVER_CERT.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap(),
        )
        .unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = tcp.local_addr().unwrap().port();
    let listener = TlsListener {
        tcp,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    };
    let router = org.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let url = format!("https://localhost:{port}");
    *org.instance_url.lock().unwrap() = url.clone();
    url
}

fn builder(url: &str) -> sforce::ConnectionBuilder {
    Connection::builder()
        .login_url(url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
}

#[tokio::test]
async fn custom_root_and_client_identity() {
    let org = Org::new();
    let url = serve_tls(&org).await;
    let connection = builder(&url)
        .root_certificate_pem(CA_CERT)
        .client_identity_pem(CLIENT_CERT, CLIENT_KEY)
        .connect()
        .await
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.requests("call").len(), 1);
    assert!(!format!("{connection:?}").contains("PRIVATE KEY"));
}

#[tokio::test]
async fn without_the_client_identity_the_handshake_fails() {
    let org = Org::new();
    let url = serve_tls(&org).await;
    let err = builder(&url)
        .root_certificate_pem(CA_CERT)
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(org.requests("login").is_empty());
}

#[tokio::test]
async fn without_the_root_certificate_the_server_is_not_trusted() {
    let org = Org::new();
    let url = serve_tls(&org).await;
    let err = builder(&url)
        .client_identity_pem(CLIENT_CERT, CLIENT_KEY)
        .connect()
        .await
        .unwrap_err();
    let Error::Transport { message, .. } = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert!(!message.contains("PRIVATE KEY"));
    assert!(org.requests("login").is_empty());
}
