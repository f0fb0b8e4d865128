//! Bulk invitations from a CSV file: every row is reported, readable or not.

use super::api::{InviteReport, InviteResult, InviteRow};
use super::invitations::invite;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::state::AppState;

pub use super::import_format::{ParsedRow, parse_csv};

pub async fn import_csv(
    state: &AppState,
    admin: &AuthUser,
    contest_id: i64,
    bytes: Vec<u8>,
) -> Result<InviteReport, AppError> {
    let parsed = parse_csv(&bytes)?;
    let good: Vec<InviteRow> = parsed
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let mut report = if good.is_empty() {
        InviteReport {
            invited: 0,
            failed: 0,
            rows: Vec::new(),
        }
    } else {
        invite(state, admin, contest_id, good).await?
    };
    // Renumber so rows match the file's line order, bad rows included.
    let mut results = report.rows.into_iter();
    let mut rows = Vec::new();
    for (i, r) in parsed.into_iter().enumerate() {
        match r {
            Ok(_) => {
                if let Some(mut res) = results.next() {
                    res.row = i + 1;
                    rows.push(res);
                }
            }
            Err((email, errors)) => {
                report.failed += 1;
                rows.push(InviteResult {
                    row: i + 1,
                    email,
                    status: "error",
                    errors: Some(errors.0),
                });
            }
        }
    }
    report.rows = rows;
    Ok(report)
}
