//! AWS Signature Version 4 for the object store client: the canonical request, the string to
//! sign, the derived key and the `Authorization` header. Checked against AWS's published test
//! vectors (the SigV4 test suite and the S3 documentation's examples) below.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The SHA-256 of an empty payload, which every bodiless request signs.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Percent-encodes everything but the unreserved characters (and `/` unless `slash`), as
/// SigV4's canonical URI and query require.
pub fn uri_encode(s: &str, slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if !slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `20150830T123600Z` for a moment.
pub fn amz_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Who signs and where: the key pair and the credential scope's region and service.
pub struct Signer<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// One request as SigV4 sees it. `path` is already URI-encoded; `query` pairs are raw and
/// sorted here; `headers` are the signed ones (any case; values are trimmed).
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    pub payload_sha256: &'a str,
    pub amz_date: &'a str,
}

impl Signer<'_> {
    /// The derived signing key for a day (`YYYYMMDD`).
    pub fn key(&self, day: &str) -> Vec<u8> {
        let k = hmac(
            format!("AWS4{}", self.secret_access_key).as_bytes(),
            day.as_bytes(),
        );
        let k = hmac(&k, self.region.as_bytes());
        let k = hmac(&k, self.service.as_bytes());
        hmac(&k, b"aws4_request")
    }

    /// The value of the `Authorization` header for `req`.
    pub fn authorization(&self, req: &Request) -> String {
        let day = req.amz_date.get(..8).unwrap_or_default();
        let scope = format!("{day}/{}/{}/aws4_request", self.region, self.service);
        let mut headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|(k, v)| {
                let value = v.split_whitespace().collect::<Vec<_>>().join(" ");
                (k.to_ascii_lowercase(), value)
            })
            .collect();
        headers.sort();
        let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        let signed = signed.join(";");
        let mut query: Vec<(String, String)> = req
            .query
            .iter()
            .map(|(k, v)| (uri_encode(k, true), uri_encode(v, true)))
            .collect();
        query.sort();
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let canonical = format!(
            "{}\n{}\n{}\n{canonical_headers}\n{signed}\n{}",
            req.method,
            req.path,
            query.join("&"),
            req.payload_sha256
        );
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
            req.amz_date,
            sha256_hex(canonical.as_bytes())
        );
        let signature = hex::encode(hmac(&self.key(day), to_sign.as_bytes()));
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
            self.access_key_id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: Signer = Signer {
        access_key_id: "AKIDEXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service",
    };
    const S3_DOC: Signer = Signer {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "s3",
    };

    fn signature(auth: &str) -> &str {
        auth.rsplit("Signature=").next().unwrap()
    }

    /// aws-sig-v4-test-suite: get-vanilla, get-vanilla-query-order-key-case, get-utf8,
    /// post-vanilla (all at 20150830T123600Z on example.amazonaws.com).
    #[test]
    fn matches_the_sigv4_test_suite() {
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        // (method, path, query pairs, expected signature)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case; 4] = [
            (
                "GET",
                "/",
                &[],
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            (
                "GET",
                "/",
                &[("Param2", "value2"), ("Param1", "value1")],
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
            (
                "GET",
                &uri_encode("/\u{1234}", false),
                &[],
                "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
            ),
            (
                "POST",
                "/",
                &[],
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            ),
        ];
        for (method, path, query, expected) in cases {
            let auth = SUITE.authorization(&Request {
                method,
                path,
                query,
                headers: &headers,
                payload_sha256: EMPTY_SHA256,
                amz_date: "20150830T123600Z",
            });
            assert_eq!(signature(&auth), expected, "{method} {path} {query:?}");
        }
        let auth = SUITE.authorization(&Request {
            method: "GET",
            path: "/",
            query: &[],
            headers: &headers,
            payload_sha256: EMPTY_SHA256,
            amz_date: "20150830T123600Z",
        });
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    /// The S3 documentation's signed GET with a range and PUT of "Welcome to Amazon S3."
    /// under a key whose `$` must be escaped.
    #[test]
    fn matches_the_s3_documentation_examples() {
        let get = S3_DOC.authorization(&Request {
            method: "GET",
            path: "/test.txt",
            query: &[],
            headers: &[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("range", "bytes=0-9"),
                ("x-amz-content-sha256", EMPTY_SHA256),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payload_sha256: EMPTY_SHA256,
            amz_date: "20130524T000000Z",
        });
        assert_eq!(
            signature(&get),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        assert!(get.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"));

        let body = sha256_hex(b"Welcome to Amazon S3.");
        assert_eq!(
            body,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
        );
        let put = S3_DOC.authorization(&Request {
            method: "PUT",
            path: &uri_encode("/test$file.text", false),
            query: &[],
            headers: &[
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-content-sha256", &body),
                ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payload_sha256: &body,
            amz_date: "20130524T000000Z",
        });
        assert_eq!(
            signature(&put),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        );
    }

    #[test]
    fn encodes_like_the_spec() {
        assert_eq!(uri_encode("a b/c~d*", false), "a%20b/c~d%2A");
        assert_eq!(uri_encode("a/b", true), "a%2Fb");
        assert_eq!(uri_encode("덱", false), "%EB%8D%B1");
    }
}
