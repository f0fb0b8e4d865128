//! Cross-cutting HTTP pieces: the access log and its writer, extractor error mapping, security headers, metrics, rate
//! limits, work answered before it is done, body deadlines and static files (all below the
//! state), and the operations endpoints and API document (above it).

pub mod access_log;
pub mod background;
pub mod extractors;
pub mod files;
pub mod gzip;
pub mod headers;
pub mod log_format;
pub mod log_writer;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod prepared;
pub mod push;
pub mod ratelimit;
pub mod slow_body;
pub mod static_files;
