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

use crate::{
    announcements, applications, assignments, audience, auth, contests, judges, results, reviews,
    rounds,
};

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

/// Every stable error code the API can answer with, and its status: built from
/// [`crate::error::ErrorCode`], so a new code is a new variant there.
pub use crate::error::ERROR_CODES;

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
        super::ops::healthz, super::ops::readyz, super::ops::metrics_endpoint,
        auth::login, auth::refresh, auth::logout, auth::get_me, auth::patch_me, auth::setup_status, auth::setup,
        auth::register, auth::verify_email, auth::resend_verification, auth::forgot_password, auth::reset_password,
        auth::sessions::end_all,
        auth::two_factor::login_second_step, auth::two_factor::status, auth::two_factor::setup, auth::two_factor::enable,
        auth::two_factor::disable, auth::two_factor::regenerate,
        contests::list, contests::get, contests::create, contests::update, contests::archive, contests::restore, contests::copy,
        applications::create, applications::mine, applications::get, applications::update, applications::submit,
        applications::withdraw, applications::disqualify, applications::list, applications::export,
        applications::rules, applications::upload, applications::download,
        rounds::create, rounds::list, rounds::get, rounds::update, rounds::transition, rounds::get_rubric,
        rounds::put_rubric, rounds::progress, rounds::remind,
        judges::invite, judges::import, judges::list, judges::accept, judges::my_profile, judges::patch_my_profile,
        judges::patch_profile, judges::deactivate, judges::reactivate, judges::declare_conflict,
        judges::list_conflicts, judges::add_conflict, judges::detect_conflicts, judges::lift_conflict,
        judges::withdraw_conflict, judges::contest_entries, judges::my_entries,
        assignments::list, assignments::add, assignments::remove, assignments::move_to, assignments::queue,
        assignments::scoring_view, assignments::auto_assign, assignments::solver_instance,
        results::results, results::results_csv, results::reviews_csv, results::sensitivity, results::advance,
        results::publish, results::publish_preview, results::override_award, results::clear_award, results::public, results::mine,
        crate::mail::routes::list, crate::mail::routes::retry, crate::mail::routes::retry_failed, crate::mail::routes::template_names, crate::mail::routes::preview,
        crate::mail::routes::notifications, crate::mail::routes::unread, crate::mail::routes::seen, crate::audit::routes::list, crate::audit::routes::verify, reviews::get, reviews::put, reviews::submit,
        crate::privacy::export_me, crate::privacy::delete_me, crate::privacy::erase_application,
        announcements::preview, announcements::send, announcements::list,
        auth::day_links::issue, auth::day_links::list, auth::day_links::revoke, auth::day_links::sign_in,
        audience::get, audience::setup, audience::add_tickets, audience::transition, audience::result, audience::publish,
        audience::page, audience::cast, audience::request_email, audience::public_result,
        crate::live::board, crate::live::configure, crate::live::control, crate::live::unlock, crate::live::make_link, crate::live::revoke_link,
        crate::live::board_events, crate::live::judge_screen, crate::live::judge_events, crate::live::score, crate::live::display, crate::live::display_events,
        crate::organisations::create, crate::organisations::list, crate::organisations::summary,
        crate::organisations::get, crate::organisations::update, crate::organisations::staff,
        crate::organisations::invite, crate::organisations::one_dashboard,
        crate::organisations::routed, crate::organisations::set_route,
    ),
    components(schemas(crate::error::ErrorBody, auth::two_factor::api::TwoFactorChallenge)),
    modifiers(&BearerAuth, &ErrorResponses),
    tags((name = "auth", description = "Accounts and sessions"), (name = "contests", description = "Contest editions"),
        (name = "applications", description = "Applications and pitch decks"),
        (name = "rounds", description = "Rounds, rubrics, progress"), (name = "judges", description = "Judges and conflicts"),
        (name = "assignments", description = "Assignments and the judge queue"), (name = "reviews", description = "Reviews"), (name = "results", description = "Results and publishing"), (name = "ops", description = "Health and readiness"),
        (name = "privacy", description = "Personal data: export, account deletion, erasure"),
        (name = "announcements", description = "Messages to a contest's applicants and judges"),
        (name = "audience", description = "The audience vote of a live final (People's Choice)"),
        (name = "live", description = "The live final: run sheet, server push, display"),
        (name = "organisations", description = "Joint organisers: organisations, staff, dashboards, routing to preliminaries")),
)]
pub struct ApiDoc;

pub fn swagger() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}")
        .url("/api/openapi.json", ApiDoc::openapi())
}
