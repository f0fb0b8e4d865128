//! The changes of one application PATCH, trimmed and ready to apply as one UPDATE.

use diesel::prelude::*;

use super::api::{ApplicationInput, TeamMember};
use crate::contests::questions::{Question, merge_answers, parse_answers};
use crate::db::schema::applications;
use crate::error::{AppError, FieldErrors};

/// The changes of one PATCH, applied in a single UPDATE so a row is never half-written.
#[derive(AsChangeset, Default)]
#[diesel(table_name = applications)]
pub struct Changes {
    pub company_name: Option<String>,
    pub company_name_native: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    pub stage: Option<String>,
    pub track: Option<String>,
    pub website: Option<String>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub market: Option<String>,
    pub traction: Option<String>,
    pub team: Option<String>,
    pub video_url: Option<String>,
    /// The stored answers with this PATCH's merged in (see [`Changes::with_answers`]).
    pub answers: Option<String>,
}

impl Changes {
    pub fn from_input(i: &ApplicationInput) -> Result<Changes, AppError> {
        let trim = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string());
        Ok(Changes {
            company_name: trim(&i.company_name),
            company_name_native: trim(&i.company_name_native),
            country: trim(&i.country),
            city: trim(&i.city),
            founded_year: i.founded_year,
            team_size: i.team_size,
            stage: trim(&i.stage),
            track: trim(&i.track),
            website: trim(&i.website),
            summary: trim(&i.summary),
            problem: trim(&i.problem),
            solution: trim(&i.solution),
            market: trim(&i.market),
            traction: trim(&i.traction),
            team: i
                .team
                .as_ref()
                .map(|t| {
                    let cleaned: Vec<TeamMember> = t
                        .iter()
                        .map(|m| TeamMember {
                            name: m.name.trim().to_string(),
                            role: m.role.trim().to_string(),
                            email: crate::auth::model::normalize_email(&m.email),
                        })
                        .collect();
                    serde_json::to_string(&cleaned)
                })
                .transpose()
                .map_err(AppError::internal)?,
            video_url: trim(&i.video_url),
            answers: None,
        })
    }

    /// Checks the PATCH's answers against the contest's questions and merges them, key by
    /// key, into `stored`: autosave sends only the answers that changed.
    pub fn with_answers(
        mut self,
        i: &ApplicationInput,
        questions: &[Question],
        stored: &str,
        e: &mut FieldErrors,
    ) -> Result<Changes, AppError> {
        if let Some(changes) = &i.answers {
            let mut merged = parse_answers(stored);
            merge_answers(questions, &mut merged, changes, e);
            self.answers = Some(serde_json::to_string(&merged).map_err(AppError::internal)?);
        }
        Ok(self)
    }
}
