//! The frontend, embedded in release builds (debug builds read `frontend/` from disk, so
//! editing a screen needs no rebuild). Unknown paths without a file extension get `index.html`
//! so History-API deep links survive a reload.
//!
//! Text assets are gzipped once, at the best level, the first time each is asked for, and then
//! served from memory to every client that accepts gzip (the per-response compression of the
//! middleware stays off for them, since the response already carries `Content-Encoding`). Each
//! representation has its own strong ETag derived from the content hash; a matching
//! `If-None-Match` answers 304.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::Embed;

use crate::error::AppError;

#[derive(Embed)]
#[folder = "frontend/"]
#[exclude = "*.md"]
struct Assets;

/// Below this size gzip saves less than the header it costs.
const MIN_GZIP: usize = 512;

/// Gzipped copies of the embedded files, keyed by content hash so a debug build that reads a
/// changed file from disk never serves a stale copy. Lives in `AppState`; `app()` hands it to
/// `serve` as its own app data.
#[derive(Default)]
pub struct GzipCache(Mutex<HashMap<[u8; 32], Bytes>>);

impl GzipCache {
    fn get(&self, hash: &[u8; 32], data: &[u8]) -> Option<Bytes> {
        if let Some(hit) = self.0.lock().ok()?.get(hash) {
            return Some(hit.clone());
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).ok()?;
        let gz = Bytes::from(enc.finish().ok()?);
        let mut map = self.0.lock().ok()?;
        // Debug builds re-read edited files; keep the cache bounded by dropping old versions.
        if map.len() > 256 {
            map.clear();
        }
        map.insert(*hash, gz.clone());
        Some(gz)
    }
}

pub(crate) fn accepts_gzip(req: &HttpRequest) -> bool {
    super::gzip::accepted(req.headers())
}

/// Whether `If-None-Match` names `tag` (`"tag"` or `"tag.gz"`): either representation's tag
/// proves the client holds the current version.
pub(crate) fn client_holds(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim().trim_start_matches("W/").trim_matches('"');
                t.trim_end_matches(".gz") == tag
            })
        })
}

fn compressible(mime: &mime_guess::Mime) -> bool {
    mime.type_() == "text" || matches!(mime.subtype().as_str(), "javascript" | "json" | "svg")
}

pub async fn serve(
    req: HttpRequest,
    gzip: actix_web::web::Data<GzipCache>,
) -> Result<HttpResponse, AppError> {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return Err(AppError::NotFound);
    }
    let path = req.path().trim_start_matches('/');
    let (name, file) = match Assets::get(path).filter(|_| !path.is_empty()) {
        Some(f) => (path, f),
        None if looks_like_page(path) => (
            "index.html",
            Assets::get("index.html").ok_or(AppError::NotFound)?,
        ),
        None => return Err(AppError::NotFound),
    };
    let hash = file.metadata.sha256_hash();
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let gz = (compressible(&mime) && file.data.len() >= MIN_GZIP && accepts_gzip(&req))
        .then(|| gzip.get(&hash, &file.data))
        .flatten();
    let tag = hex::encode(&hash[..16]);
    let etag = match gz {
        Some(_) => format!("\"{tag}.gz\""),
        None => format!("\"{tag}\""),
    };
    let not_modified = client_holds(&req, &tag);
    // Files keep their names across releases, so browsers revalidate with the ETag (a cheap
    // 304) rather than risk running an old module beside a new one.
    let cache = "no-cache";
    if not_modified {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .insert_header((header::VARY, "Accept-Encoding"))
            .finish());
    }
    let content_type =
        if mime.type_() == "text" || mime.subtype() == "javascript" || mime.subtype() == "json" {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_string()
        };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::VARY, "Accept-Encoding"));
    Ok(match gz {
        Some(body) => res
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(body),
        None => res.body(file.data.into_owned()),
    })
}

fn looks_like_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
}
