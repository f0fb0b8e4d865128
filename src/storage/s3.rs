//! A small S3 client for the upload store: PUT (streamed from the finished temp file, its
//! SHA-256 signed), GET (streamed, ranges passed through), HEAD and DELETE, signed with SigV4
//! (`sigv4.rs`), path-style. HTTP through awc, one client per worker thread (awc's client is
//! not `Send`); https through the vendored OpenSSL when built with the `s3-tls` feature.

use std::path::Path;
use std::time::Duration;

use actix_web::body::SizedStream;
use actix_web::http::Method;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::config::S3Config;
use super::sigv4::{self, EMPTY_SHA256, Signer};
use super::{StorageError, Streamed};

/// Connect and answer-headers limits: a store that is down answers 503 in seconds.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// A PUT sends the whole deck before the store answers.
const PUT_TIMEOUT: Duration = Duration::from_secs(120);

thread_local! {
    static CLIENT: awc::Client = client();
}

fn client() -> awc::Client {
    let connector = awc::Connector::new().timeout(CONNECT_TIMEOUT);
    #[cfg(feature = "s3-tls")]
    let connector = match tls_connector() {
        Ok(tls) => connector.openssl(tls),
        Err(e) => {
            tracing::error!(error = %e, "object store TLS setup failed");
            connector
        }
    };
    awc::Client::builder()
        .connector(connector)
        .timeout(REQUEST_TIMEOUT)
        .disable_redirects()
        .finish()
}

/// The vendored OpenSSL looks for CA certificates under its own build prefix; point it at the
/// system bundle unless `SSL_CERT_FILE`/`SSL_CERT_DIR` say where.
#[cfg(feature = "s3-tls")]
fn tls_connector() -> Result<openssl::ssl::SslConnector, openssl::error::ErrorStack> {
    let mut b = openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls())?;
    if std::env::var_os("SSL_CERT_FILE").is_none() && std::env::var_os("SSL_CERT_DIR").is_none() {
        let bundles = [
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/cert.pem",
            "/etc/ssl/ca-bundle.pem",
        ];
        if let Some(file) = bundles.iter().find(|p| Path::new(p).exists()) {
            b.set_ca_file(file)?;
        }
    }
    Ok(b.build())
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> StorageError {
    StorageError::Unavailable(format!("{what}: {e}"))
}

pub struct S3Storage {
    cfg: S3Config,
}

impl S3Storage {
    pub fn new(cfg: S3Config) -> S3Storage {
        S3Storage { cfg }
    }

    /// `/bucket/prefix/key`, URI-encoded per segment (the canonical URI and the request path).
    fn path(&self, key: &str) -> Result<String, StorageError> {
        if key
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return Err(StorageError::BadKey);
        }
        let full = match self.cfg.prefix.as_str() {
            "" => format!("/{}/{key}", self.cfg.bucket),
            p => format!("/{}/{p}/{key}", self.cfg.bucket),
        };
        Ok(sigv4::uri_encode(&full, false))
    }

    /// A signed request for `key`; `extra` headers (e.g. `range`) are signed too.
    fn request(
        &self,
        method: Method,
        key: &str,
        extra: &[(&str, &str)],
        payload_sha256: &str,
    ) -> Result<awc::ClientRequest, StorageError> {
        let path = self.path(key)?;
        let date = sigv4::amz_date(chrono::Utc::now());
        let mut headers: Vec<(&str, &str)> = vec![
            ("host", &self.cfg.authority),
            ("x-amz-content-sha256", payload_sha256),
            ("x-amz-date", &date),
        ];
        if let Some(token) = &self.cfg.session_token {
            headers.push(("x-amz-security-token", token));
        }
        headers.extend_from_slice(extra);
        let signer = Signer {
            access_key_id: &self.cfg.access_key_id,
            secret_access_key: &self.cfg.secret_access_key,
            region: &self.cfg.region,
            service: "s3",
        };
        let auth = signer.authorization(&sigv4::Request {
            method: method.as_str(),
            path: &path,
            query: &[],
            headers: &headers,
            payload_sha256,
            amz_date: &date,
        });
        let url = format!("{}://{}{path}", self.cfg.scheme, self.cfg.authority);
        let mut req = CLIENT.with(|c| c.request(method, url));
        for (k, v) in headers {
            req = req.insert_header((k, v));
        }
        Ok(req.insert_header(("authorization", auth)))
    }

    /// Uploads the file at `file` as `key`; `sha256` is its digest, which the store checks.
    pub async fn put_file(&self, file: &Path, key: &str, sha256: &str) -> Result<(), StorageError> {
        let f = tokio::fs::File::open(file).await?;
        let len = f.metadata().await?.len();
        let chunks = futures_util::stream::unfold(Some(f), |f| async move {
            let mut f = f?;
            let mut buf = vec![0u8; 64 * 1024];
            match f.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), Some(f)))
                }
                Err(e) => Some((Err(e), None)),
            }
        });
        let res = self
            .request(
                Method::PUT,
                key,
                &[("content-type", "application/pdf")],
                sha256,
            )?
            .timeout(PUT_TIMEOUT)
            .send_body(SizedStream::new(len, chunks))
            .await
            .map_err(|e| unavailable("PUT", e))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(failure("PUT", key, res).await)
        }
    }

    /// Streams `key`; a `range` (`bytes=…`) is passed to the store, which answers 206.
    pub async fn get(&self, key: &str, range: Option<&str>) -> Result<Streamed, StorageError> {
        let extra: Vec<(&str, &str)> = range.map(|r| ("range", r)).into_iter().collect();
        let res = self
            .request(Method::GET, key, &extra, EMPTY_SHA256)?
            .send()
            .await
            .map_err(|e| unavailable("GET", e))?;
        let status = res.status().as_u16();
        if status == 416 && range.is_some() {
            // An unsatisfiable range: the whole object instead, as a server may answer.
            return Box::pin(self.get(key, None)).await;
        }
        if !matches!(status, 200 | 206) {
            return Err(failure("GET", key, res).await);
        }
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let length = header("content-length").and_then(|v| v.parse().ok());
        let content_range = header("content-range");
        let body = res.map(|chunk| chunk.map_err(|e| unavailable("GET body", e)));
        Ok(Streamed {
            partial: status == 206,
            length,
            content_range,
            body: Box::pin(body),
        })
    }

    /// Writes `key` into `out` (for the personal-data archive); `NotFound` when absent.
    pub async fn get_into(&self, key: &str, out: &mut tokio::fs::File) -> Result<(), StorageError> {
        let mut object = self.get(key, None).await?;
        while let Some(chunk) = object.body.next().await {
            out.write_all(&chunk?).await?;
        }
        out.flush().await?;
        Ok(())
    }

    /// The object's size, or `None` when there is no such object.
    pub async fn head(&self, key: &str) -> Result<Option<u64>, StorageError> {
        let res = self
            .request(Method::HEAD, key, &[], EMPTY_SHA256)?
            .send()
            .await
            .map_err(|e| unavailable("HEAD", e))?;
        match res.status().as_u16() {
            200 => Ok(res
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())),
            404 => Ok(None),
            _ => Err(failure("HEAD", key, res).await),
        }
    }

    /// Deletes `key`; deleting what is not there succeeds, as S3 itself answers.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let res = self
            .request(Method::DELETE, key, &[], EMPTY_SHA256)?
            .send()
            .await
            .map_err(|e| unavailable("DELETE", e))?;
        match res.status().as_u16() {
            200..=299 | 404 => Ok(()),
            _ => Err(failure("DELETE", key, res).await),
        }
    }
}

/// An error answer: 404 is `NotFound`, 5xx (and 429) an outage, anything else a refusal with
/// the store's own code (`SignatureDoesNotMatch`, `AccessDenied`, `NoSuchBucket`…).
async fn failure<S>(method: &str, key: &str, mut res: awc::ClientResponse<S>) -> StorageError
where
    S: futures_util::Stream<Item = Result<Bytes, awc::error::PayloadError>> + Unpin,
{
    let status = res.status();
    let body = res.body().limit(16 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map_or("", |(code, _)| code);
    let detail = format!("{method} {key}: {status} {code}");
    match status.as_u16() {
        404 if code != "NoSuchBucket" => StorageError::NotFound,
        429 | 500..=599 => StorageError::Unavailable(detail),
        _ => StorageError::Refused(detail),
    }
}

impl S3Storage {
    /// `http://host:9000/bucket/prefix`, without credentials.
    pub fn describe(&self) -> String {
        let c = &self.cfg;
        format!("{}://{}/{}/{}", c.scheme, c.authority, c.bucket, c.prefix)
            .trim_end_matches('/')
            .to_string()
    }
}
