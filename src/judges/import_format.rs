//! The bulk-import CSV format, parsed without I/O (the fuzz target drives it directly).

use std::collections::BTreeMap;

use super::api::InviteRow;
use crate::error::{AppError, ErrorCode, FieldErrors};

/// A CSV row: the invitation, or the row's email and what is wrong with it.
pub type ParsedRow = Result<InviteRow, (String, FieldErrors)>;

/// Parses the bulk-import CSV: `email,name,organization,region,expertise,capacity[,locale]`,
/// with expertise as `ai:3;bio:1`. Rows that cannot be read are reported, not dropped.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<ParsedRow>, AppError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::bad_request(ErrorCode::InvalidCsv, "the CSV must be UTF-8"))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::bad_request(ErrorCode::InvalidCsv, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    for required in ["email", "name", "region"] {
        if !headers.iter().any(|h| h == required) {
            return Err(AppError::bad_request(
                ErrorCode::InvalidCsv,
                format!("the header must have a `{required}` column"),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let mut f = FieldErrors::default();
                f.add("row", "unreadable");
                tracing::debug!(error = %e, "csv row");
                rows.push(Err((String::new(), f)));
                continue;
            }
        };
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_string()
        };
        let mut errors = FieldErrors::default();
        let mut expertise = BTreeMap::new();
        for part in get("expertise")
            .split([';', '|'])
            .filter(|p| !p.trim().is_empty())
        {
            match part
                .split_once(':')
                .map(|(k, v)| (k.trim().to_lowercase(), v.trim().parse::<i32>()))
            {
                Some((k, Ok(v))) => {
                    expertise.insert(k, v);
                }
                _ => errors.add("expertise", "invalid"),
            }
        }
        let capacity = match get("capacity") {
            s if s.is_empty() => 10,
            s => s.parse().unwrap_or_else(|_| {
                errors.add("capacity", "invalid");
                0
            }),
        };
        let locale = Some(get("locale")).filter(|l| !l.is_empty());
        if errors.is_empty() {
            rows.push(Ok(InviteRow {
                email: get("email"),
                name: get("name"),
                organization: get("organization"),
                region: get("region").to_uppercase(),
                expertise,
                capacity,
                locale,
            }));
        } else {
            rows.push(Err((get("email"), errors)));
        }
    }
    Ok(rows)
}
