//! HTTPS for the review server: the office's certificate (`--tls-cert`, `--tls-key`, PEM), or a
//! self-signed one made on first start and kept in the user's config folder (so its fingerprint,
//! printed for the reviewers to compare, stays the same across restarts); rustls with `ring`,
//! HTTP/1.1 only. Handshakes run concurrently, each bounded in time, so one slow client cannot
//! hold up the others.

use super::ServeError;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A loaded certificate.
pub struct Tls {
    /// The rustls configuration.
    pub config: Arc<rustls::ServerConfig>,
    /// SHA-256 fingerprint of the certificate (`AB:CD:…`), as browsers show it.
    pub fingerprint: String,
    /// Where a self-signed certificate was kept (`None` for the office's own).
    pub generated: Option<PathBuf>,
}

fn err(what: &str, e: impl std::fmt::Display) -> ServeError {
    ServeError(format!("{what}：{e}"))
}

/// Fingerprint of a DER certificate.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The folder self-signed certificates are kept in: `GONGKAI_CONFIG_DIR`, else the user's
/// config folder, `gongkai/tls`.
fn tls_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("GONGKAI_CONFIG_DIR")
        .or_else(|| {
            env("APPDATA")
                .or_else(|| env("XDG_CONFIG_HOME"))
                .or_else(|| env("HOME").map(|h| h.join(".config")))
                .map(|d| d.join("gongkai"))
        })
        .map(|d| d.join("tls"))
}

/// The certificate given, or the self-signed one for `names` (made now if there is none yet).
pub fn load(cert: Option<&Path>, key: Option<&Path>, names: &[String]) -> Result<Tls, ServeError> {
    let (cert_pem, key_pem, generated) = match (cert, key) {
        (Some(c), Some(k)) => (
            std::fs::read(c).map_err(|e| err(&format!("无法读取证书 {}", c.display()), e))?,
            std::fs::read(k).map_err(|e| err(&format!("无法读取私钥 {}", k.display()), e))?,
            None,
        ),
        (None, None) => {
            let dir = tls_dir().ok_or_else(|| {
                ServeError("找不到用户配置文件夹；请用 --tls-cert 和 --tls-key 指定证书".into())
            })?;
            let mut sorted = names.to_vec();
            sorted.sort();
            let tag: String = Sha256::digest(sorted.join(",").as_bytes())[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let c = dir.join(format!("review-{tag}.crt"));
            let k = dir.join(format!("review-{tag}.key"));
            if !(c.is_file() && k.is_file()) {
                let made = rcgen::generate_simple_self_signed(sorted)
                    .map_err(|e| err("无法生成自签名证书", e))?;
                std::fs::create_dir_all(&dir)
                    .map_err(|e| err(&format!("无法创建 {}", dir.display()), e))?;
                write_private(&k, made.signing_key.serialize_pem().as_bytes())
                    .map_err(|e| err(&format!("无法写入 {}", k.display()), e))?;
                std::fs::write(&c, made.cert.pem())
                    .map_err(|e| err(&format!("无法写入 {}", c.display()), e))?;
            }
            (
                std::fs::read(&c).map_err(|e| err("无法读取证书", e))?,
                std::fs::read(&k).map_err(|e| err("无法读取私钥", e))?,
                Some(c),
            )
        }
        _ => {
            return Err(ServeError(
                "--tls-cert 和 --tls-key 须同时给出（或都不给，使用自签名证书）".into(),
            ));
        }
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| err("证书文件不是有效的 PEM", e))?;
    let Some(first) = certs.first() else {
        return Err(ServeError("证书文件中没有证书".into()));
    };
    let fingerprint = fingerprint(first.as_ref());
    let key =
        PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| err("私钥文件不是有效的 PEM", e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| err("TLS 设置失败", e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| err("证书与私钥不匹配或无效", e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        fingerprint,
        generated,
    })
}

/// Write a private key readable by its owner only (on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(bytes)
}

/// A TLS listener for axum: TCP connections are accepted in a task that hands each to its own
/// handshake (at most 10 seconds), and finished handshakes are served in arrival order.
pub struct Listener {
    rx: tokio::sync::mpsc::Receiver<(
        tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
        std::net::SocketAddr,
    )>,
    local: std::net::SocketAddr,
}

impl Listener {
    /// Serve TLS with `config` on `tcp`.
    pub fn new(tcp: tokio::net::TcpListener, config: Arc<rustls::ServerConfig>) -> Self {
        let local = tcp
            .local_addr()
            .unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        tokio::spawn(async move {
            loop {
                let Ok((stream, addr)) = tcp.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await
                    {
                        let _ = tx.send((tls, addr)).await;
                    }
                });
            }
        });
        Listener { rx, local }
    }
}

impl axum::serve::Listener for Listener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            // The accepting task never ends while the listener lives.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
