//! The OpenAPI document (`/api/openapi.json`) and the vendored Swagger UI (`/api/docs/`).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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

#[derive(OpenApi)]
#[openapi(
    info(title = "Jury API", description = "Judging platform of the Gyeonggi–Hangzhou Global Start-up Contest. \
        Errors are JSON `{error, message, fields?}` with a stable snake_case `error` code."),
    paths(
        super::healthz, super::readyz,
        auth::login, auth::refresh, auth::logout, auth::get_me, auth::patch_me, auth::setup_status, auth::setup,
        auth::register, auth::verify_email, auth::resend_verification, auth::forgot_password, auth::reset_password,
        auth::sessions::end_all,
        auth::two_factor::login_second_step, auth::two_factor::status, auth::two_factor::setup, auth::two_factor::enable,
        auth::two_factor::disable, auth::two_factor::regenerate,
        contests::list, contests::get, contests::create, contests::update,
        applications::create, applications::mine, applications::get, applications::update, applications::submit,
        applications::withdraw, applications::disqualify, applications::list, applications::export,
        applications::upload, applications::download,
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
    modifiers(&BearerAuth),
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
