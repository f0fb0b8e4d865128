//! "Download my data": one ZIP with `data.json` and `files/`. The archive is written to an
//! unlinked temp file next to the uploads (never held in memory; files are copied through in
//! chunks) and streamed from there; the disk space is returned when the response ends.

use std::io::{Seek, Write};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use zip::write::SimpleFileOptions;

use crate::applications::api::Application;
use crate::applications::model::{self as applications, DocumentRow};
use crate::audit::{AuditRow, Entry};
use crate::auth::AuthUser;
use crate::auth::model as users;
use crate::contests::model as contests;
use crate::db::schema::{audit_log, documents, outbox};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::results::api::MyResult;
use crate::state::AppState;
use crate::unit;

#[derive(Serialize)]
struct Account {
    id: i64,
    email: String,
    name: String,
    locale: String,
    role: String,
    verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct DocumentEntry {
    id: i64,
    kind: String,
    original_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    flags: Vec<String>,
    page_count: Option<i32>,
    created_at: DateTime<Utc>,
    /// Where the file is in this archive.
    archive_path: String,
}

#[derive(Serialize)]
struct ApplicationEntry {
    application: Application,
    /// Every audit entry about the application, oldest first: creation, edits of the deck,
    /// submission, withdrawal, disqualification, erasure.
    status_history: Vec<AuditRow>,
    documents: Vec<DocumentEntry>,
    /// Results of published rounds.
    results: Vec<MyResult>,
}

#[derive(Serialize, Queryable)]
struct Email {
    id: i64,
    to_address: String,
    template: String,
    subject: String,
    body_text: String,
    status: String,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

#[derive(Serialize)]
struct Export {
    format: &'static str,
    exported_at: DateTime<Utc>,
    account: Account,
    applications: Vec<ApplicationEntry>,
    /// Every email (and so every notification) addressed to the account.
    emails: Vec<Email>,
    /// Audit entries about the account or made by it, oldest first.
    audit: Vec<AuditRow>,
}

struct Gathered {
    export: Export,
    files: Vec<(String, String)>,
}

fn document_entry(d: &DocumentRow) -> DocumentEntry {
    let api = d.to_api();
    DocumentEntry {
        id: d.id,
        kind: d.kind.clone(),
        original_name: d.original_name.clone(),
        content_type: d.content_type.clone(),
        size_bytes: d.size_bytes,
        sha256: d.sha256.clone(),
        flags: api.flags,
        page_count: d.page_count,
        created_at: d.created_at.and_utc(),
        archive_path: format!(
            "files/application-{}/document-{}.pdf",
            d.application_id, d.id
        ),
    }
}

fn gather(c: &mut DbConn, user: &AuthUser) -> Result<Gathered, AppError> {
    let uid = user.id;
    let row = users::find_by_id(c, uid)?.ok_or(AppError::NotFound)?;
    let account = Account {
        id: row.id,
        email: row.email.clone(),
        name: row.name,
        locale: row.locale,
        role: row.role.as_str().to_string(),
        verified_at: row.verified_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    };
    let mut apps = Vec::new();
    let mut files = Vec::new();
    for app in applications::mine(c, uid)? {
        let contest = contests::find(c, app.contest_id)?;
        let deck = applications::deck(c, app.id)?;
        let docs: Vec<DocumentRow> = documents::table
            .filter(documents::application_id.eq(app.id))
            .order(documents::id.asc())
            .select(DocumentRow::as_select())
            .load(c)?;
        let history = audit_log::table
            .filter(audit_log::entity.eq("application"))
            .filter(audit_log::entity_id.eq(app.id.to_string()))
            .order(audit_log::id.asc())
            .select(AuditRow::as_select())
            .load(c)?;
        let documents: Vec<DocumentEntry> = docs.iter().map(document_entry).collect();
        files.extend(
            docs.iter()
                .zip(&documents)
                .map(|(d, e)| (d.storage_key.clone(), e.archive_path.clone())),
        );
        apps.push(ApplicationEntry {
            application: app.to_api(
                &contest,
                deck.as_ref(),
                applications::results_published(c, app.contest_id)?,
            ),
            status_history: history,
            documents,
            results: Vec::new(),
        });
    }
    let emails = outbox::table
        .filter(
            outbox::user_id
                .eq(uid)
                .or(outbox::to_address.eq(&row.email)),
        )
        .order(outbox::id.asc())
        .select((
            outbox::id,
            outbox::to_address,
            outbox::template,
            outbox::subject,
            outbox::body_text,
            outbox::status,
            outbox::created_at,
            outbox::sent_at,
        ))
        .load::<Email>(c)?;
    let audit = audit_log::table
        .filter(
            audit_log::actor_id.eq(uid).or(audit_log::entity
                .eq("user")
                .and(audit_log::entity_id.eq(uid.to_string()))),
        )
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(c)?;
    Ok(Gathered {
        export: Export {
            format: "jury-personal-data/1",
            exported_at: Utc::now(),
            account,
            applications: apps,
            emails,
            audit,
        },
        files,
    })
}

/// Builds the archive and returns it as an open, already unlinked file at offset 0.
pub async fn build(state: &AppState, user: &AuthUser) -> Result<std::fs::File, AppError> {
    let who = user.clone();
    // The export is recorded first so that it is part of what the user receives; committed
    // before the gathering reads the log, as PostgreSQL chains an entry only at commit.
    let id = who.id;
    unit::write(state, move |c| {
        c.audit(Entry {
            actor_id: Some(id),
            action: "account.exported",
            entity: "user",
            entity_id: Some(id.to_string()),
            details: json!({}),
        })
    })
    .await?;
    let mut gathered = db::run(&state.db, move |c| gather(c, &who)).await?;
    for entry in &mut gathered.export.applications {
        entry.results = crate::results::publish::mine(state, user, entry.application.id).await?;
    }

    // The decks as open files (from an object store: copied to unlinked temp files), so the
    // archive is written on a blocking thread without touching the network.
    let mut files = Vec::new();
    for (key, name) in std::mem::take(&mut gathered.files) {
        match state.storage.fetch(&key).await {
            Ok(file) => files.push((file, name)),
            Err(crate::storage::StorageError::NotFound | crate::storage::StorageError::BadKey) => {
                tracing::warn!(%key, "document missing from storage during export");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let dir = state.storage.temp_dir();
    actix_web::web::block(move || -> Result<std::fs::File, AppError> {
        std::fs::create_dir_all(&dir).map_err(AppError::internal)?;
        let path = dir.join(format!(
            "export-{}.zip",
            crate::auth::tokens::random_token()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(AppError::internal)?;
        // Unlinked at once: the open handle keeps the data until the response is sent, and
        // nothing is left behind whatever happens next.
        let _ = std::fs::remove_file(&path);
        write_zip(file, &gathered, files).map_err(AppError::internal)
    })
    .await?
}

fn write_zip(
    file: std::fs::File,
    g: &Gathered,
    files: Vec<(std::fs::File, String)>,
) -> Result<std::fs::File, Box<dyn std::error::Error>> {
    let mut zip = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("data.json", opts)?;
    serde_json::to_writer_pretty(&mut zip, &g.export)?;
    zip.write_all(b"\n")?;
    // PDFs are compressed already.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (mut src, name) in files {
        let big = src.metadata()?.len() >= u64::from(u32::MAX);
        zip.start_file(name.as_str(), stored.large_file(big))?;
        std::io::copy(&mut src, &mut zip)?;
    }
    let mut file = zip.finish()?;
    file.flush()?;
    file.rewind()?;
    Ok(file)
}
