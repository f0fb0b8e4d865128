//! Stand-in for `jury::error` with just what the included files use; same names and meaning.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &str) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| code.to_string());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The codes the included files name (the server's list is `jury::error::ErrorCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidCsv,
}

#[derive(Debug)]
pub enum AppError {
    TokenExpired,
    InvalidToken,
    BadRequest { code: ErrorCode, message: String },
    Validation(FieldErrors),
    Internal(String),
}

impl AppError {
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }
    pub fn field(field: &str, code: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.add(field, code);
        AppError::Validation(errors)
    }
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}
