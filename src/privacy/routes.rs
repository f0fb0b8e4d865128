//! The privacy routes and handlers: extract the request, call one use case, map the answer.

use super::{account, erase, export};
use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::applications::api::Application;
use crate::auth::{Admin, AuthUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/export", web::get().to(export_me))
        .route("/me", web::delete().to(delete_me))
        .route(
            "/admin/applications/{id}/erase",
            web::post().to(erase_application),
        );
}

/// Download everything stored about the signed-in user: a ZIP with `data.json` (account,
/// applications with their status history, document metadata, emails, published results,
/// audit entries) and `files/` (their uploaded documents).
#[utoipa::path(get, path = "/api/v1/me/export", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, content_type = "application/zip", body = crate::web::files::BinaryFile, description = "The archive"),
        (status = 401, body = ErrorBody)))]
pub async fn export_me(
    state: web::Data<AppState>,
    user: AuthUser,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    let file = export::build(&state, &user).await?;
    let named = actix_files::NamedFile::from_file(file, "jury-personal-data.zip")
        .map_err(AppError::internal)?
        .set_content_type(
            "application/zip"
                .parse::<mime_guess::mime::Mime>()
                .map_err(AppError::internal)?,
        )
        .set_content_disposition(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![header::DispositionParam::Filename(
                "jury-personal-data.zip".into(),
            )],
        })
        .use_last_modified(false)
        .use_etag(false);
    let mut res = named.into_response(&req);
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    /// The current password, to confirm.
    pub password: String,
}

/// Delete the signed-in applicant's account: drafts and their files, sessions, links, mail and
/// notifications; the user row is anonymised. Only while nothing was ever submitted.
#[utoipa::path(delete, path = "/api/v1/me", tag = "privacy", security(("bearer" = [])), request_body = DeleteAccount,
    responses((status = 204, description = "Deleted; the refresh cookie is cleared"),
        (status = 403, body = ErrorBody, description = "account_deletion_not_allowed (judges and administrators)"),
        (status = 409, body = ErrorBody, description = "application_submitted: an application was submitted, withdrawn or disqualified"),
        (status = 422, body = ErrorBody, description = "password incorrect")))]
pub async fn delete_me(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DeleteAccount>,
) -> Result<HttpResponse, AppError> {
    account::delete(&state, &user, body.into_inner().password).await?;
    let mut res = HttpResponse::NoContent().finish();
    let removal = Cookie::build(crate::auth::REFRESH_COOKIE, "")
        .path("/api/v1/auth")
        .finish();
    let _ = res.add_removal_cookie(&removal);
    Ok(res)
}

/// Erase a withdrawn or disqualified application's personal fields and documents once the
/// contest is over (its deadline has passed and every round is closed or published). Reviews
/// and scores stay, attached to the anonymous application, so results remain reproducible.
#[utoipa::path(post, path = "/api/v1/admin/applications/{id}/erase", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Application),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "contest_not_over, not_erasable (not withdrawn or disqualified), already_erased")))]
pub async fn erase_application(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Application>, AppError> {
    Ok(web::Json(
        erase::erase(&state, &admin, id.into_inner()).await?,
    ))
}
