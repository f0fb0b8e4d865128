//! Pitch-deck upload and download. An upload streams to a temp file (never into memory), is
//! cut off at the size limit, must really be a PDF, is stored under a server-made name (moved
//! into place durably, or sent to the object store), and only then recorded; the old file is
//! removed after the commit. Any failure on the way removes the temp or new file.

use std::path::PathBuf;

use actix_multipart::{Multipart, MultipartError};
use futures_util::TryStreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::api::Document;
use super::model::{self, DocumentRow, NewDocument};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::tokens::random_token;
use crate::contests::model as contests;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::storage::Object;
use crate::unit;

/// Removes the file when dropped: every return cleans up (after a local store's rename the
/// path is gone already).
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &std::path::Path {
        self.0.as_deref().unwrap_or(std::path::Path::new(""))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn multipart_error(e: MultipartError) -> AppError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => {
            AppError::UnsupportedMediaType("send multipart/form-data with a `file` part".into())
        }
        MultipartError::Payload(e) if crate::web::slow_body::is_timeout(&e) => {
            AppError::RequestTimeout
        }
        other => AppError::bad_request(
            ErrorCode::UploadInterrupted,
            format!("the upload did not complete: {other}"),
        ),
    }
}

/// Keeps a readable name for the download while making it harmless: no directories, no
/// control, bidi-override or quote characters, a bounded length, and a `.pdf` ending. The
/// name is display metadata only; the stored file's key is made by the server.
pub fn clean_filename(raw: Option<&str>) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let mut name: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_invisible_format(*c)
                && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|' | ';')
        })
        .take(120)
        .collect();
    name = name.trim().trim_start_matches('.').to_string();
    if name.is_empty() {
        name = "pitch-deck".into();
    }
    if !name.to_lowercase().ends_with(".pdf") {
        name.push_str(".pdf");
    }
    name
}

/// Bidi overrides and isolates (`evil\u{202E}fdp.exe` shows as `evilexe.pdf`), zero-width
/// characters and the byte-order mark: invisible, so never part of a shown name.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

async fn check_editable(state: &AppState, uid: i64, id: i64) -> Result<(), AppError> {
    db::run(&state.db, move |c| {
        let row = model::find_owned(c, id, uid)?;
        let contest = contests::find(c, row.contest_id)?;
        if !row.status.is_live() {
            return Err(AppError::conflict(
                ErrorCode::NotEditable,
                format!("the application is {}", row.status),
            ));
        }
        if !contest.is_open(now()) {
            return Err(AppError::conflict(
                ErrorCode::WindowClosed,
                "the application window has closed",
            ));
        }
        Ok(())
    })
    .await
}

pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    declared_len: Option<u64>,
    mut payload: Multipart,
) -> Result<Document, AppError> {
    let limit = state.config.upload_max_bytes;
    // A body announced as too large is refused before a byte of it is read.
    if declared_len.is_some_and(|n| n > limit + 64 * 1024) {
        return Err(AppError::PayloadTooLarge);
    }
    check_editable(state, user.id, id).await?;

    let tmp_dir = state.storage.temp_dir();
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(AppError::internal)?;
    let mut received: Option<(TempFile, String, u64, String)> = None;
    while let Some(mut field) = payload.try_next().await.map_err(multipart_error)? {
        if field.name() != Some("file") || received.is_some() {
            while field.try_next().await.map_err(multipart_error)?.is_some() {}
            continue;
        }
        let filename = clean_filename(field.content_disposition().and_then(|d| d.get_filename()));
        let temp = TempFile(Some(tmp_dir.join(format!("{}.part", random_token()))));
        let mut file = tokio::fs::File::create(temp.path())
            .await
            .map_err(AppError::internal)?;
        let (mut size, mut hasher) = (0u64, Sha256::new());
        while let Some(chunk) = field.try_next().await.map_err(multipart_error)? {
            size += chunk.len() as u64;
            if size > limit {
                return Err(AppError::PayloadTooLarge);
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(storage_error)?;
        }
        file.flush().await.map_err(storage_error)?;
        file.sync_all().await.map_err(storage_error)?;
        received = Some((temp, filename, size, hex::encode(hasher.finalize())));
    }
    let Some((temp, filename, size, sha256)) = received else {
        return Err(AppError::field("file", "required"));
    };

    let path = temp.path().to_path_buf();
    let (is_pdf, report) = actix_web::web::block(move || super::scan::check_upload(&path))
        .await?
        .map_err(AppError::internal)?;
    if !is_pdf {
        return Err(AppError::UnsupportedMediaType(
            "the file is not a PDF".into(),
        ));
    }
    super::scan::refuse(&report, state.config.upload_max_pages)?;
    let flags = serde_json::to_string(&report.flags).map_err(AppError::internal)?;
    let pages = i32::try_from(report.pages).unwrap_or(i32::MAX);

    // Stored before the row is written: a store outage (503 storage_unavailable) leaves no
    // row naming a missing file; a failed commit below removes the object again, and if even
    // that fails the orphan is harmless (no row names it).
    let key = format!("applications/{id}/{}.pdf", random_token());
    state.storage.put(temp.path(), &key, &sha256).await?;
    drop(temp);

    let uid = user.id;
    let k = key.clone();
    let committed = unit::write(state, move |c| {
        let row = model::find_owned(c, id, uid)?;
        let contest = contests::find(c, row.contest_id)?;
        if !row.is_editable(&contest, now()) {
            return Err(AppError::conflict(
                ErrorCode::WindowClosed,
                "the application can no longer be changed",
            ));
        }
        let (doc, old) = model::replace_deck(
            c,
            &NewDocument {
                application_id: id,
                storage_key: &k,
                original_name: &filename,
                size_bytes: size as i64,
                sha256: &sha256,
                flags: &flags,
                page_count: Some(pages),
            },
        )?;
        c.audit(Entry {
            actor_id: Some(uid),
            action: "application.deck_uploaded",
            entity: "application",
            entity_id: Some(id.to_string()),
            details: json!({"sha256": sha256, "size": size, "pages": pages, "flags": report.flags}),
        })?;
        Ok((doc, old))
    })
    .await;
    match committed {
        Ok((doc, old)) => {
            if let Some(old) = old
                && let Err(e) = state.storage.delete(&old).await
            {
                tracing::warn!(key = %old, error = %e, "old deck not removed");
            }
            Ok(doc.to_api())
        }
        Err(e) => {
            let _ = state.storage.delete(&key).await;
            Err(e)
        }
    }
}

fn storage_error(e: std::io::Error) -> AppError {
    // ENOSPC answers 507 storage_full: the operator has to act, the applicant can retry later.
    AppError::from(crate::storage::StorageError::from(e))
}

/// The deck file for a reader allowed to see the application; `range` is the client's
/// `Range` header, which an object store answers itself (a local file is served by
/// actix-files, which reads it).
pub async fn download(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    doc_id: i64,
    range: Option<&str>,
) -> Result<(Object, DocumentRow), AppError> {
    let user = user.clone();
    let doc = db::run(&state.db, move |c| {
        let view = crate::access::deck(c, &user, id)?;
        let mut doc = model::document(c, id, doc_id)?;
        if !view.file_name {
            doc.original_name = format!("pitch-deck-{id}.pdf");
        }
        Ok(doc)
    })
    .await?;
    let object = state.storage.open(&doc.storage_key, range).await?;
    Ok((object, doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_defanged() {
        assert_eq!(clean_filename(Some("../../etc/passwd")), "passwd.pdf");
        assert_eq!(
            clean_filename(Some("C:\\Users\\me\\덱 최종.pdf")),
            "덱 최종.pdf"
        );
        assert_eq!(clean_filename(Some("a\"b\r\n.pdf")), "ab.pdf");
        assert_eq!(clean_filename(Some("...hidden")), "hidden.pdf");
        assert_eq!(clean_filename(None), "pitch-deck.pdf");
        assert!(clean_filename(Some(&"x".repeat(500))).len() <= 124);
        assert_eq!(clean_filename(Some("inv\u{202E}fdp.exe")), "invfdp.exe.pdf");
        assert_eq!(clean_filename(Some("..\\..\\win.ini")), "win.ini.pdf");
    }
}
