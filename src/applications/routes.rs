//! The applications routes and handlers: extract the request, call one use case, map the answer.

use super::{api, documents, lifecycle, service};
use actix_multipart::Multipart;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{
    Application, ApplicationInput, ApplicationSummary, Document, DocumentRules, ListQuery, Page,
    ReasonInput,
};
use crate::auth::{Applicant, AuthUser, Staff};
use crate::error::{AppError, ErrorBody};
use crate::scope::{Scope, allow};
use crate::state::AppState;
use crate::storage::{Object, Streamed};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/applications", web::post().to(create))
        .route("/contests/{id}/applications", web::get().to(list))
        .route("/contests/{id}/applications.csv", web::get().to(export))
        .route("/me/applications", web::get().to(mine))
        .route("/applications/{id}", web::get().to(get))
        .route("/applications/{id}", web::patch().to(update))
        .route("/applications/{id}/submit", web::post().to(submit))
        .route("/applications/{id}/withdraw", web::post().to(withdraw))
        .route("/applications/{id}/disqualify", web::post().to(disqualify))
        .route("/documents/rules", web::get().to(rules))
        .route("/applications/{id}/documents", web::post().to(upload))
        .route(
            "/applications/{id}/documents/{doc}",
            web::get().to(download),
        );
}

/// Start an application (a draft) for a contest whose window is open. One per applicant.
#[utoipa::path(post, path = "/api/v1/contests/{id}/applications", tag = "applications", security(("bearer" = [])),
    request_body = ApplicationInput,
    responses((status = 201, body = Application), (status = 409, body = ErrorBody, description = "application_exists or window_closed")))]
pub async fn create(
    state: web::Data<AppState>,
    user: Applicant,
    id: web::Path<i64>,
    body: Option<web::Json<ApplicationInput>>,
) -> Result<HttpResponse, AppError> {
    let input = body.map(|b| b.into_inner()).unwrap_or_default();
    let app = service::create(&state, &user, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(app))
}

/// The signed-in applicant's applications.
#[utoipa::path(get, path = "/api/v1/me/applications", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = [Application])))]
pub async fn mine(
    state: web::Data<AppState>,
    user: Applicant,
) -> Result<web::Json<Vec<Application>>, AppError> {
    Ok(web::Json(service::mine(&state, &user).await?))
}

/// One application (its applicant or an administrator).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Application>, AppError> {
    Ok(web::Json(
        service::get(&state, &user, id.into_inner()).await?,
    ))
}

/// Save fields of the application (autosave). Send `version` to refuse overwriting a newer edit.
#[utoipa::path(patch, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    request_body = ApplicationInput,
    responses((status = 200, body = Application), (status = 409, body = ErrorBody, description = "edit_conflict, window_closed, not_editable"),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    user: Applicant,
    id: web::Path<i64>,
    body: web::Json<ApplicationInput>,
) -> Result<web::Json<Application>, AppError> {
    Ok(web::Json(
        service::update(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Submit: only when complete and eligible (422 lists what is missing) and before the deadline.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    state: web::Data<AppState>,
    user: Applicant,
    id: web::Path<i64>,
) -> Result<web::Json<Application>, AppError> {
    Ok(web::Json(
        lifecycle::submit(&state, &user, id.into_inner()).await?,
    ))
}

/// Withdraw the application: only while the application window is open and no results of
/// the contest are published (`actions.withdraw` on the application says whether it would be
/// accepted now).
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", security(("bearer" = [])),
    request_body = ReasonInput, responses((status = 200, body = Application),
        (status = 409, body = ErrorBody, description = "not_editable (withdrawn or disqualified), window_closed (after the deadline), results_published")))]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: Applicant,
    id: web::Path<i64>,
    body: Option<web::Json<ReasonInput>>,
) -> Result<web::Json<Application>, AppError> {
    let reason = body.map(|b| b.into_inner().reason).unwrap_or_default();
    Ok(web::Json(
        lifecycle::withdraw(&state, &user, id.into_inner(), reason).await?,
    ))
}

/// Disqualify with a reason (admin; audited; the applicant is told by email).
#[utoipa::path(post, path = "/api/v1/applications/{id}/disqualify", tag = "applications", security(("bearer" = [])),
    request_body = ReasonInput, responses((status = 200, body = Application), (status = 422, body = ErrorBody)))]
pub async fn disqualify(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<ReasonInput>,
) -> Result<web::Json<Application>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Application(*id)).await?;
    Ok(web::Json(
        lifecycle::disqualify(&state, &staff, id.into_inner(), body.into_inner().reason).await?,
    ))
}

/// A contest's applications with filters and paging (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/applications", tag = "applications", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, body = Page<ApplicationSummary>)))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<ApplicationSummary>>, AppError> {
    allow(&state, &staff, crate::scope::Object::Contest(*id)).await?;
    Ok(web::Json(
        service::list(
            &state,
            Scope::of(&staff),
            id.into_inner(),
            query.into_inner(),
        )
        .await?,
    ))
}

/// The same list as CSV (UTF-8 with BOM), all pages (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/applications.csv", tag = "applications", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, content_type = "text/csv", body = crate::web::files::CsvText)))]
pub async fn export(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, crate::scope::Object::Contest(id)).await?;
    let bytes = service::export_csv(&state, Scope::of(&staff), id, query.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"applications-{id}.csv\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// What a pitch deck upload must meet, so a screen can refuse a file before sending it.
#[utoipa::path(get, path = "/api/v1/documents/rules", tag = "applications",
    responses((status = 200, body = DocumentRules)))]
pub async fn rules(state: web::Data<AppState>) -> web::Json<DocumentRules> {
    web::Json(DocumentRules {
        max_bytes: state.config.upload_max_bytes,
        max_pages: state.config.upload_max_pages,
        content_types: vec!["application/pdf".to_string()],
    })
}

/// Upload the pitch deck (multipart, part `file`, a real PDF up to `JURY_UPLOAD_MAX_BYTES`).
#[utoipa::path(post, path = "/api/v1/applications/{id}/documents", tag = "applications", security(("bearer" = [])),
    request_body(content = api::DeckUpload, content_type = "multipart/form-data", description = "part `file`: the PDF"),
    responses((status = 201, body = Document), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody, description = "not a PDF"),
        (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After"),
        (status = 503, body = ErrorBody, description = "storage_unavailable: the object store holding uploads cannot be reached or refuses the server's credentials"),
        (status = 507, body = ErrorBody, description = "storage_full: the upload volume is full")))]
pub async fn upload(
    state: web::Data<AppState>,
    user: Applicant,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    state.limits.check_upload(&req, user.id)?;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let doc = documents::upload(&state, &user, id.into_inner(), declared, payload).await?;
    Ok(HttpResponse::Created().json(doc))
}

/// Download a document (its applicant, administrators, assigned judges). Supports ranges.
#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{doc}", tag = "applications", security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = crate::web::files::BinaryFile), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "storage_unavailable: the object store holding uploads cannot be reached or refuses the server's credentials")))]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (id, doc) = path.into_inner();
    let range = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("bytes="));
    let (object, row) = documents::download(&state, &user, id, doc, range).await?;
    let ascii: String = row
        .original_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Inline,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: row.original_name.clone().into_bytes(),
            }),
        ],
    };
    let mut res = match object {
        Object::File(file_path) => actix_files::NamedFile::open_async(&file_path)
            .await
            .map_err(|_| AppError::NotFound)?
            .set_content_type(mime_guess::mime::APPLICATION_PDF)
            .set_content_disposition(disposition)
            .use_last_modified(false)
            .into_response(&req),
        Object::Stream(s) => streamed(s, disposition),
    };
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// An object-store download: its length and range as the store gave them, streamed through.
fn streamed(s: Streamed, disposition: ContentDisposition) -> HttpResponse {
    let mut res = if s.partial {
        HttpResponse::PartialContent()
    } else {
        HttpResponse::Ok()
    };
    res.content_type(mime_guess::mime::APPLICATION_PDF)
        .insert_header(disposition)
        .insert_header((header::ACCEPT_RANGES, "bytes"));
    if let Some(range) = s.content_range {
        res.insert_header((header::CONTENT_RANGE, range));
    }
    match s.length {
        Some(len) => res.body(actix_web::body::SizedStream::new(len, s.body)),
        None => res.streaming(s.body),
    }
}
