//! A JSON response that many clients read unchanged (the public results page on publication
//! day): serialized and gzipped once, then handed out as shared bytes. Its strong ETag is the
//! digest of the JSON, so a browser revalidating the page gets a 304 without a body.

use std::io::Write;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::static_files::{accepts_gzip, client_holds};
use crate::error::AppError;

pub struct Prepared {
    tag: String,
    json: Bytes,
    gzip: Bytes,
}

impl Prepared {
    pub fn new<T: Serialize>(value: &T) -> Result<Prepared, AppError> {
        let json = serde_json::to_vec(value).map_err(AppError::internal)?;
        let tag = hex::encode(&Sha256::digest(&json)[..16]);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&json).map_err(AppError::internal)?;
        let gzip = enc.finish().map_err(AppError::internal)?;
        Ok(Prepared {
            tag,
            json: json.into(),
            gzip: gzip.into(),
        })
    }

    /// 304 when the client holds this version, else the gzipped or plain body.
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let gz = accepts_gzip(req);
        let etag = if gz {
            format!("\"{}.gz\"", self.tag)
        } else {
            format!("\"{}\"", self.tag)
        };
        let fresh = client_holds(req, &self.tag);
        let mut res = if fresh {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        // Results can be withdrawn with the contest, so clients revalidate every time.
        res.insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::VARY, "Accept-Encoding"));
        if fresh {
            return res.finish();
        }
        res.insert_header((header::CONTENT_TYPE, "application/json"));
        if gz {
            res.insert_header((header::CONTENT_ENCODING, "gzip"))
                .body(self.gzip.clone())
        } else {
            res.body(self.json.clone())
        }
    }
}
