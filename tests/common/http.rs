//! Requests as the tests write them (`app.post(path).by(&user).json(&body).await`) and the
//! responses they read; every JSON response is checked against the published OpenAPI document.

use actix_web::http::StatusCode;
use serde_json::Value;

use super::{User, spec_check};

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
    pub headers: actix_web::http::header::HeaderMap,
}

impl Resp {
    /// The refresh cookie's value if this response set one (empty when it cleared it).
    pub fn refresh_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("jury_refresh="))
            .map(|c| {
                c["jury_refresh=".len()..]
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
    }
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A multipart/form-data body with one file part.
pub fn multipart(
    field: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----jury-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub struct Req {
    pub(super) inner: awc::ClientRequest,
}

impl Req {
    pub fn bearer(mut self, token: &str) -> Req {
        self.inner = self.inner.bearer_auth(token);
        self
    }
    pub fn by(self, user: &User) -> Req {
        self.bearer(&user.token)
    }
    pub fn header(mut self, name: &str, value: &str) -> Req {
        self.inner = self.inner.insert_header((name, value));
        self
    }
    pub fn cookie(self, refresh: &str) -> Req {
        self.header("cookie", &format!("jury_refresh={refresh}"))
    }
    /// What the response will be checked against the OpenAPI document as.
    fn target(&self) -> Target {
        let uri = self.inner.get_uri();
        Target {
            method: self.inner.get_method().to_string(),
            base: format!(
                "{}://{}",
                uri.scheme_str().unwrap_or("http"),
                uri.authority().map(|a| a.as_str()).unwrap_or_default()
            ),
            path: uri.path().to_string(),
        }
    }
    pub fn json(self, body: &Value) -> impl std::future::Future<Output = Resp> + use<> {
        let body = body.clone();
        let target = self.target();
        async move { finish(target, self.inner.send_json(&body).await).await }
    }
    pub async fn body(self, content_type: &str, body: impl Into<bytes::Bytes>) -> Resp {
        let b: bytes::Bytes = body.into();
        let target = self.target();
        finish(
            target,
            self.inner
                .insert_header(("content-type", content_type))
                .send_body(b)
                .await,
        )
        .await
    }
    pub async fn send(self) -> Resp {
        let target = self.target();
        finish(target, self.inner.send().await).await
    }
}

impl std::future::IntoFuture for Req {
    type Output = Resp;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Resp>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

struct Target {
    method: String,
    base: String,
    path: String,
}

async fn finish<S>(
    target: Target,
    res: Result<awc::ClientResponse<S>, awc::error::SendRequestError>,
) -> Resp
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    let mut res = res.expect("request failed");
    let bytes = res.body().limit(64 << 20).await.expect("body");
    let text = String::from_utf8_lossy(&bytes).to_string();
    let resp = Resp {
        status: res.status(),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
        headers: res.headers().clone(),
    };
    let json = resp
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json"));
    if json {
        let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{} {}: JSON content type but not JSON ({e}): {}",
                target.method, target.path, resp.text
            )
        });
        let spec = spec_check::published(&target.base).await;
        if let Err(e) = spec_check::check(
            spec,
            &target.method,
            &target.path,
            resp.status.as_u16(),
            &body,
        ) {
            panic!("response does not match the OpenAPI document: {e}");
        }
    }
    resp
}
