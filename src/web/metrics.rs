//! Prometheus text at `/metrics`: request counts and latency by route pattern (never by raw
//! path, which would let any client create unbounded series) and the database pool's state.
//!
//! A request finds its two series through `handles`, a map from route to the series already
//! made for it, read under a shared lock with a fast hash. Looking them up in the families
//! hashed a label set with SipHash twice and took two family locks: 1,000 of a `/healthz`
//! answer's 27,300 instructions (issue 20). The keys are route patterns, a set fixed by the
//! code, so a hash that does not resist flooding is safe here.

use std::collections::HashMap;
use std::sync::RwLock;

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

/// One route's series, by method and status (a route sees a handful).
#[derive(Default)]
struct RouteSeries(Vec<(&'static str, u16, Counter, Histogram)>);

impl RouteSeries {
    fn find(&self, method: &str, status: u16) -> Option<(&Counter, &Histogram)> {
        self.0
            .iter()
            .find(|(m, s, _, _)| *m == method && *s == status)
            .map(|(_, _, c, h)| (c, h))
    }
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    handles: RwLock<HashMap<String, RouteSeries, foldhash::fast::RandomState>>,
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
            handles: RwLock::default(),
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
        if let Ok(handles) = self.handles.read()
            && let Some((count, latency)) = handles.get(&route).and_then(|r| r.find(method, status))
        {
            count.inc();
            latency.observe(seconds);
            return;
        }
        // The first request of its kind: make its series in the families, keep the handles.
        let labels = RouteLabels { method, route };
        let latency = self.latency.get_or_create(&labels).clone();
        let count = self
            .requests
            .get_or_create(&RequestLabels {
                method,
                route: labels.route.clone(),
                status,
            })
            .clone();
        count.inc();
        latency.observe(seconds);
        if let Ok(mut handles) = self.handles.write() {
            let series = handles.entry(labels.route).or_default();
            if series.find(method, status).is_none() {
                series.0.push((method, status, count, latency));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_requests_count_in_one_series() {
        let m = Metrics::default();
        for _ in 0..3 {
            m.observe(&Method::GET, "/healthz".into(), 200, 0.002);
        }
        m.observe(&Method::GET, "/healthz".into(), 503, 0.002);
        m.observe(&Method::POST, "/healthz".into(), 200, 0.2);
        let text = m.render(1, 1, 4).expect("render");
        for line in [
            "jury_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 3",
            "jury_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1",
            "jury_http_requests_total{method=\"POST\",route=\"/healthz\",status=\"200\"} 1",
            "jury_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 4",
            "jury_http_request_duration_seconds_bucket{le=\"0.0025\",method=\"GET\",route=\"/healthz\"} 4",
            "jury_http_request_duration_seconds_count{method=\"POST\",route=\"/healthz\"} 1",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }
}
