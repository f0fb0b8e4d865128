//! The OpenAPI document (`/api/openapi.json`) and the vendored Swagger UI (`/api/docs/`).
//!
//! Every route is listed here (a test scans the route registrations in `src/` and compares),
//! every operation carries the error responses it can give (added by [`ErrorResponses`] from
//! what the operation takes: a session, path ids, a query, a body), and every stable error code
//! is listed in [`ERROR_CODES`], published as the `ErrorCode` schema of `ErrorBody.error`.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{Object, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::{applications, assignments, auth, contests, judges, results, reviews, rounds};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every stable error code the API can answer with, and its status. A test checks this list
/// against `AppError` and every code given at a call site in `src/`; add new codes here.
pub const ERROR_CODES: &[(&str, u16)] = &[
    ("account_deletion_not_allowed", 403),
    ("account_disabled", 403),
    ("already_assigned", 409),
    ("already_disqualified", 409),
    ("already_erased", 409),
    ("application_exists", 409),
    ("application_submitted", 409),
    ("bad_request", 400),
    ("conflict", 409),
    ("conflict_of_interest", 409),
    ("contest_not_over", 409),
    ("csrf_header_missing", 400),
    ("demo_exists", 409),
    ("edit_conflict", 409),
    ("email_not_verified", 403),
    ("forbidden", 403),
    ("internal_error", 500),
    ("invalid_body", 400),
    ("invalid_credentials", 401),
    ("invalid_csv", 400),
    ("invalid_invitation_token", 400),
    ("invalid_path", 400),
    ("invalid_query", 400),
    ("invalid_reset_token", 400),
    ("invalid_setup_token", 400),
    ("invalid_token", 401),
    ("invalid_transition", 409),
    ("invalid_two_factor_challenge", 401),
    ("invalid_two_factor_code", 401),
    ("invalid_verification_token", 400),
    ("judge_at_capacity", 409),
    ("malformed_json", 400),
    ("no_entries", 409),
    ("no_rubric", 409),
    ("not_editable", 409),
    ("not_erasable", 409),
    ("not_failed", 409),
    ("not_found", 404),
    ("panel_full", 409),
    ("payload_too_large", 413),
    ("previous_round_open", 409),
    ("rate_limited", 429),
    ("request_timeout", 408),
    ("review_submitted", 409),
    ("round_closed", 409),
    ("round_not_closed", 409),
    ("round_not_judging", 409),
    ("round_not_open", 409),
    ("results_published", 409),
    ("round_published", 409),
    ("rubric_frozen", 409),
    ("service_unavailable", 503),
    ("setup_complete", 409),
    ("storage_full", 507),
    ("token_expired", 401),
    ("track_in_use", 409),
    ("two_factor_already_enabled", 409),
    ("two_factor_challenge_expired", 401),
    ("two_factor_not_available", 403),
    ("two_factor_not_enabled", 409),
    ("two_factor_not_set_up", 409),
    ("two_factor_setup_required", 403),
    ("unauthorized", 401),
    ("unfinished_reviews", 409),
    ("unsupported_media_type", 415),
    ("upload_interrupted", 400),
    ("validation_failed", 422),
    ("window_closed", 409),
];

/// Publishes [`ERROR_CODES`] as the `ErrorCode` schema and documents, on every operation, the
/// errors its inputs can cause. Statuses an operation already lists are left as written.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let listing: Vec<String> = ERROR_CODES
            .iter()
            .map(|(code, status)| format!("`{code}` ({status})"))
            .collect();
        let mut codes = Object::with_type(SchemaType::Type(Type::String));
        codes.description = Some(format!(
            "Stable machine-readable error code: {}.",
            listing.join(", ")
        ));
        codes.enum_values = Some(ERROR_CODES.iter().map(|(c, _)| (*c).into()).collect());
        components
            .schemas
            .insert("ErrorCode".into(), Schema::Object(codes).into());
        if let Some(RefOr::T(Schema::Object(body))) = components.schemas.get_mut("ErrorBody") {
            body.properties
                .insert("error".into(), Ref::from_schema_name("ErrorCode").into());
        }
        unique_operation_ids(openapi);
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with("/api/");
            if path == "/api/v1/auth/refresh"
                && let Some(op) = item.post.as_mut()
            {
                // It reads a cookie, not a body, and demands the CSRF header.
                add_error(
                    op,
                    "400",
                    "`csrf_header_missing`: send the `X-Jury-CSRF` header",
                );
            }
            for (method, op) in [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("patch", &mut item.patch),
                ("delete", &mut item.delete),
            ] {
                if let Some(op) = op.as_mut() {
                    document_errors(op, api, method);
                }
            }
        }
    }
}

/// Operation ids default to the handler's name, and several domains have a `list` or `get`:
/// OpenAPI requires them unique, so a shared name gets the method and path appended.
fn unique_operation_ids(openapi: &mut utoipa::openapi::OpenApi) {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for item in openapi.paths.paths.values() {
        for op in [&item.get, &item.put, &item.post, &item.patch, &item.delete]
            .into_iter()
            .flatten()
        {
            *seen
                .entry(op.operation_id.clone().unwrap_or_default())
                .or_default() += 1;
        }
    }
    for (path, item) in openapi.paths.paths.iter_mut() {
        for (method, op) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            let Some(op) = op.as_mut() else { continue };
            let id = op.operation_id.clone().unwrap_or_default();
            if seen.get(&id).copied().unwrap_or(0) > 1 || id.is_empty() {
                let words: Vec<&str> = path
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty() && *w != "api" && *w != "v1")
                    .collect();
                op.operation_id = Some(format!("{method}_{}", words.join("_")));
            }
        }
    }
}

/// Adds an `ErrorBody` response for `status` unless the operation already lists one.
fn add_error(op: &mut Operation, status: &str, text: &str) {
    let error = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(text)
                .content("application/json", error)
                .build()
                .into()
        });
}

fn document_errors(op: &mut Operation, api: bool, method: &str) {
    let has = |place: ParameterIn| {
        op.parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == place)
    };
    let (path_ids, query) = (has(ParameterIn::Path), has(ParameterIn::Query));
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let body = op.request_body.is_some();
    let mut add = |status: &str, text: &str| add_error(op, status, text);
    if !api {
        add("503", "`service_unavailable`: the database does not answer");
        return;
    }
    if path_ids || query || body {
        add(
            "400",
            "The path, query or body cannot be read (`invalid_path`, `invalid_query`, `invalid_body`, `malformed_json`, …)",
        );
    }
    if secured {
        add(
            "401",
            "`unauthorized`, `invalid_token`, `token_expired`: no valid session",
        );
        add("403", "`forbidden`: the role may not do this");
    }
    if path_ids || secured {
        add(
            "404",
            "`not_found`: no such object, or not yours (ids cannot be probed)",
        );
    }
    if method != "get" {
        add(
            "409",
            "The object's state forbids this now (see the error code)",
        );
    }
    if body {
        add("413", "`payload_too_large`");
        add("415", "`unsupported_media_type`");
    }
    if body || query {
        add("422", "`validation_failed`: `fields` names each bad field");
    }
    if method == "post" {
        add(
            "429",
            "`rate_limited`: try again after `Retry-After` seconds",
        );
    }
    add(
        "503",
        "`service_unavailable`: the database does not answer; retry later",
    );
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Jury API", description = "Judging platform of the Gyeonggi–Hangzhou Global Start-up Contest. \
        Errors are JSON `{error, message, fields?}` with a stable snake_case `error` code."),
    paths(
        super::healthz, super::readyz, super::metrics_endpoint,
        auth::login, auth::refresh, auth::logout, auth::get_me, auth::patch_me, auth::setup_status, auth::setup,
        auth::register, auth::verify_email, auth::resend_verification, auth::forgot_password, auth::reset_password,
        auth::sessions::end_all,
        auth::two_factor::login_second_step, auth::two_factor::status, auth::two_factor::setup, auth::two_factor::enable,
        auth::two_factor::disable, auth::two_factor::regenerate,
        contests::list, contests::get, contests::create, contests::update,
        applications::create, applications::mine, applications::get, applications::update, applications::submit,
        applications::withdraw, applications::disqualify, applications::list, applications::export,
        applications::rules, applications::upload, applications::download,
        rounds::create, rounds::list, rounds::get, rounds::update, rounds::transition, rounds::get_rubric,
        rounds::put_rubric, rounds::progress, rounds::remind,
        judges::invite, judges::import, judges::list, judges::accept, judges::my_profile, judges::patch_my_profile,
        judges::patch_profile, judges::deactivate, judges::reactivate, judges::declare_conflict,
        judges::list_conflicts, judges::add_conflict, judges::detect_conflicts, judges::lift_conflict,
        assignments::list, assignments::add, assignments::remove, assignments::move_to, assignments::queue,
        assignments::scoring_view, assignments::auto_assign,
        results::results, results::results_csv, results::reviews_csv, results::sensitivity, results::advance,
        results::publish, results::public, results::mine,
        crate::mail::routes::list, crate::mail::routes::retry, crate::mail::routes::retry_failed, crate::mail::routes::template_names, crate::mail::routes::preview,
        crate::mail::routes::notifications, crate::mail::routes::unread, crate::mail::routes::seen, crate::audit::routes::list, crate::audit::routes::verify, reviews::get, reviews::put, reviews::submit,
        crate::privacy::export_me, crate::privacy::delete_me, crate::privacy::erase_application,
    ),
    components(schemas(crate::error::ErrorBody, auth::two_factor::api::TwoFactorChallenge)),
    modifiers(&BearerAuth, &ErrorResponses),
    tags((name = "auth", description = "Accounts and sessions"), (name = "contests", description = "Contest editions"),
        (name = "applications", description = "Applications and pitch decks"),
        (name = "rounds", description = "Rounds, rubrics, progress"), (name = "judges", description = "Judges and conflicts"),
        (name = "assignments", description = "Assignments and the judge queue"), (name = "reviews", description = "Reviews"), (name = "results", description = "Results and publishing"), (name = "ops", description = "Health and readiness"),
        (name = "privacy", description = "Personal data: export, account deletion, erasure")),
)]
pub struct ApiDoc;

pub fn swagger() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}")
        .url("/api/openapi.json", ApiDoc::openapi())
}
