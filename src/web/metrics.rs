//! Prometheus text at `/metrics`: request counts and latency by route pattern (never by raw
//! path, which would let any client create unbounded series) and the database pool's state.

use actix_web::http::Method;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::error::AppError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

/// The method as a label without an allocation; the rare others are counted together.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
        });
        let (pool_connections, pool_idle, pool_max) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        let mut registry = Registry::with_prefix("jury");
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP latency by route",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_connections.clone(),
        );
        registry.register(
            "db_pool_idle",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register("db_pool_max", "Configured pool size", pool_max.clone());
        Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            pool_max,
        }
    }
}

impl Metrics {
    /// Counts one answered request (called by `access_log::middleware`).
    pub fn observe(&self, method: &Method, route: String, status: u16, seconds: f64) {
        let method = method_label(method);
        let labels = RouteLabels { method, route };
        self.latency.get_or_create(&labels).observe(seconds);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: labels.route,
                status,
            })
            .inc();
    }
}

impl Metrics {
    /// The OpenMetrics text, with the pool gauges set to the figures the caller read.
    pub fn render(&self, connections: u32, idle: u32, max: u32) -> Result<String, AppError> {
        self.pool_connections.set(i64::from(connections));
        self.pool_idle.set(i64::from(idle));
        self.pool_max.set(i64::from(max));
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .map_err(AppError::internal)?;
        Ok(out)
    }
}
