//! The top of the crate: every domain's routes under one scope, and the application with
//! its middleware. `main` and the tests both build the server from `app()`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, web as aw};

use crate::state::AppState;
use crate::{
    announcements, applications, assignments, audience, audit, auth, contests, judges, live, mail,
    organisations, privacy, results, reviews, rounds, web,
};

/// Routes of the whole product. API routes live under `/api/v1`, grouped by domain.
/// The router tries the patterns in order, and each pattern with a path parameter is a regex
/// (regex-lite: about 5,000 instructions a try), so the routes judges call most (autosave,
/// queue) come right after the sign-in routes, whose patterns are plain strings: behind the
/// others, a save tried about seventy regexes (issue 20, benches/RESULTS.md). No two groups'
/// patterns match the same path, so the order changes nothing else.
pub fn configure(cfg: &mut aw::ServiceConfig) {
    cfg.service(
        aw::scope("/api/v1")
            .configure(auth::routes)
            .configure(reviews::routes)
            .configure(assignments::routes)
            .configure(auth::sessions::routes)
            .configure(contests::routes)
            .configure(applications::routes)
            .configure(rounds::routes)
            .configure(judges::routes)
            .configure(results::routes)
            .configure(mail::routes::routes)
            .configure(audit::routes::routes)
            .configure(privacy::routes)
            .configure(announcements::routes)
            .configure(auth::day_links::routes)
            .configure(audience::routes)
            .configure(live::routes)
            .configure(organisations::routes)
            .default_service(aw::to(web::extractors::api_not_found)),
    )
    .route("/healthz", aw::get().to(web::ops::healthz))
    .route("/readyz", aw::get().to(web::ops::readyz))
    .route("/metrics", aw::get().to(web::ops::metrics_endpoint))
    // The docs live under `/api/docs/`; the address without the slash is what people type.
    .service(aw::redirect("/api/docs", "/api/docs/").permanent())
    .service(web::openapi::swagger())
    .service(aw::scope("/api").default_service(aw::to(web::extractors::api_not_found)))
    .default_service(aw::to(web::static_files::serve));
}

/// The application with its middleware; `HttpServer` in `main` and the tests build it alike.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let json_limit = state.config.json_limit_bytes;
    // Middleware and the static files read their own small pieces, not the whole state.
    let body_timeout = web::slow_body::BodyTimeout(state.config.body_timeout_secs);
    let metrics = aw::Data::from(state.metrics.clone());
    let gzip = aw::Data::from(state.gzip.clone());
    App::new()
        .app_data(aw::Data::new(state))
        .app_data(aw::Data::new(body_timeout))
        .app_data(metrics)
        .app_data(gzip)
        .app_data(web::extractors::json_config(json_limit))
        .app_data(web::extractors::query_config())
        .app_data(web::extractors::path_config())
        .configure(configure)
        .wrap(from_fn(web::headers::middleware))
        .wrap(from_fn(web::access_log::middleware))
}
