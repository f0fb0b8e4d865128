//! The frontend, embedded in release builds (debug builds read `frontend/` from disk, so
//! editing a screen needs no rebuild). Unknown paths without a file extension get `index.html`
//! so History-API deep links survive a reload.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::Embed;

use crate::error::AppError;

#[derive(Embed)]
#[folder = "frontend/"]
#[exclude = "*.md"]
struct Assets;

pub async fn serve(req: HttpRequest) -> Result<HttpResponse, AppError> {
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
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    // Files keep their names across releases, so browsers revalidate with the ETag (a cheap
    // 304) rather than risk running an old module beside a new one.
    let cache = "no-cache";
    if not_modified {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let content_type =
        if mime.type_() == "text" || mime.subtype() == "javascript" || mime.subtype() == "json" {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_string()
        };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(file.data.into_owned()))
}

fn looks_like_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
}
