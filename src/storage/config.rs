//! Which store holds the uploads: `JURY_STORAGE_URL` unset means the local disk under the data
//! dir; `s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1` means an S3-compatible
//! object store, addressed path-style (`endpoint/bucket/prefix/key`), so self-hosted stores
//! (MinIO, Garage, Ceph RGW, SeaweedFS) work without wildcard DNS.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum StorageConfig {
    #[default]
    Local,
    S3(S3Config),
}

#[derive(Clone, PartialEq)]
pub struct S3Config {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`, sent as the `Host` header and signed.
    pub authority: String,
    pub bucket: String,
    /// Key prefix without leading or trailing `/`; may be empty.
    pub prefix: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for S3Config {
    // The secret and the session token never reach a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &format!("{}://{}", self.scheme, self.authority))
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl StorageConfig {
    /// Parses `JURY_STORAGE_URL`. `env` supplies the credentials
    /// (`JURY_S3_ACCESS_KEY_ID`/`JURY_S3_SECRET_ACCESS_KEY`, else `AWS_ACCESS_KEY_ID`/
    /// `AWS_SECRET_ACCESS_KEY`; `JURY_S3_SESSION_TOKEN` or `AWS_SESSION_TOKEN`) and the region
    /// when the URL has none (`AWS_REGION`).
    pub fn parse(
        url: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<StorageConfig, String> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(StorageConfig::Local);
        };
        if url == "local" {
            return Ok(StorageConfig::Local);
        }
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(format!(
                "JURY_STORAGE_URL must be s3://bucket/prefix?endpoint=…&region=…, got {url:?}"
            ));
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = path.split_once('/').unwrap_or((path, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_bucket {
            return Err(format!(
                "JURY_STORAGE_URL: {bucket:?} is not a bucket name (3–63 of a-z 0-9 . -)"
            ));
        }
        let (mut endpoint, mut region) = (None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "endpoint" => endpoint = Some(percent_decode(v)),
                "region" => region = Some(percent_decode(v)),
                _ => return Err(format!("JURY_STORAGE_URL: unknown parameter {k:?}")),
            }
        }
        let region = region
            .or_else(|| env("AWS_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = endpoint.unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        let (scheme, authority) = endpoint
            .trim_end_matches('/')
            .split_once("://")
            .map(|(s, a)| (s.to_string(), a.to_string()))
            .unwrap_or_default();
        if !matches!(scheme.as_str(), "http" | "https")
            || authority.is_empty()
            || authority.contains('/')
        {
            return Err(format!(
                "JURY_STORAGE_URL: endpoint must be http(s)://host[:port], got {endpoint:?}"
            ));
        }
        if scheme == "https" && !cfg!(feature = "s3-tls") {
            return Err(
                "JURY_STORAGE_URL: this build has no TLS for the object store \
                        (cargo feature s3-tls); use an http:// endpoint or rebuild"
                    .into(),
            );
        }
        let pick = |a: &str, b: &str| env(a).or_else(|| env(b));
        let (Some(access_key_id), Some(secret_access_key)) = (
            pick("JURY_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
            pick("JURY_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
        ) else {
            return Err(
                "JURY_STORAGE_URL is an object store: set JURY_S3_ACCESS_KEY_ID and \
                        JURY_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
                    .into(),
            );
        };
        Ok(StorageConfig::S3(S3Config {
            scheme,
            authority,
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            region,
            access_key_id,
            secret_access_key,
            session_token: pick("JURY_S3_SESSION_TOKEN", "AWS_SESSION_TOKEN"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "AWS_ACCESS_KEY_ID" => Some("AKID".into()),
            "JURY_S3_SECRET_ACCESS_KEY" => Some("secret".into()),
            _ => None,
        }
    }

    #[test]
    fn parses_a_self_hosted_store() {
        let c = StorageConfig::parse(
            Some("s3://jury-decks/prod/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-1"),
            env,
        )
        .unwrap();
        let StorageConfig::S3(s3) = c else { panic!() };
        assert_eq!(
            (s3.scheme.as_str(), s3.authority.as_str()),
            ("http", "127.0.0.1:9000")
        );
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("jury-decks", "prod")
        );
        assert_eq!(s3.region, "eu-1");
        assert_eq!(s3.access_key_id, "AKID");
        assert!(!format!("{s3:?}").contains("secret"));
        let plain = StorageConfig::parse(Some("s3://b12?endpoint=http://h:1"), env).unwrap();
        assert!(
            matches!(plain, StorageConfig::S3(ref s) if s.prefix.is_empty() && s.region == "us-east-1")
        );
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        assert_eq!(StorageConfig::parse(None, env), Ok(StorageConfig::Local));
        for bad in [
            "file:///tmp",
            "s3://UPPER?endpoint=http://h:1",
            "s3://bucket?endpoint=ftp://h",
            "s3://bucket?endpoint=http://h:1/path",
            "s3://bucket?endpoint=http://h:1&style=virtual",
        ] {
            assert!(StorageConfig::parse(Some(bad), env).is_err(), "{bad}");
        }
        let no_keys = StorageConfig::parse(Some("s3://bucket?endpoint=http://h:1"), |_| None);
        assert!(no_keys.unwrap_err().contains("JURY_S3_ACCESS_KEY_ID"));
    }
}
