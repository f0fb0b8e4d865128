//! Security headers on every response. The app's CSP allows no inline script or style; the
//! vendored API docs page needs inline styles, so only `/api/docs` gets a looser style rule.
//! JSON answers get the short set an API needs: `default-src 'none'`, no framing, no sniffing.
//! An answer to a request that carries credentials is someone's own data: unless its handler
//! chose a cache rule, no browser or proxy may keep it (`Cache-Control: no-store`).
//! The body is then gzipped where it is worth it and the client takes it (`gzip::respond`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; frame-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; \
    base-uri 'none'; form-action 'self'";
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";

/// A JSON answer loads nothing and is never framed (OWASP's REST Security Cheat Sheet): if a
/// browser ever opened one as a page, it could run nothing. The page headers (the full CSP,
/// referrer, permissions and opener policies) were 398 of the 577 bytes a `/healthz` answer
/// sent, on every API answer, for a client to read past (issue 20).
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path().starts_with("/api/docs");
    let personal = req.headers().contains_key(header::AUTHORIZATION);
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    if personal && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let json = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let csp = if json {
        API_CSP
    } else if docs {
        DOCS_CSP
    } else {
        CSP
    };
    let pairs: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    // The last three govern what a page may do; a JSON answer is never a page.
    let count = if json { 3 } else { pairs.len() };
    for (name, value) in pairs.into_iter().take(count) {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    Ok(super::gzip::respond(res).await)
}
