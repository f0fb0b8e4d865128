//! How application and document rows read in the API: the derived completeness, the actions
//! the applicant may take now, and the document's download address.

use super::api::{Application, ApplicationActions, Document, TeamMember};
use super::completeness::{Presence, completeness};
use super::model::{ApplicationRow, ApplicationStatus, DocumentRow};
use crate::contests::model::ContestRow;
use crate::contests::questions::{Answers, parse_answers, required_answers};
use crate::db::now;

impl DocumentRow {
    pub fn to_api(&self) -> Document {
        Document {
            id: self.id,
            kind: self.kind.clone(),
            original_name: self.original_name.clone(),
            content_type: self.content_type.clone(),
            size_bytes: self.size_bytes,
            sha256: self.sha256.clone(),
            created_at: self.created_at.and_utc(),
            flags: serde_json::from_str(&self.flags).unwrap_or_default(),
            page_count: self.page_count,
            url: format!(
                "/api/v1/applications/{}/documents/{}",
                self.application_id, self.id
            ),
        }
    }
}

impl ApplicationRow {
    pub fn team(&self) -> Vec<TeamMember> {
        serde_json::from_str(&self.team).unwrap_or_default()
    }

    pub fn answers(&self) -> Answers {
        parse_answers(&self.answers)
    }

    pub fn presence<'a>(&'a self, team_members: usize, has_deck: bool) -> Presence<'a> {
        Presence {
            company_name: &self.company_name,
            country: &self.country,
            city: &self.city,
            founded_year: self.founded_year,
            team_size: self.team_size,
            stage: &self.stage,
            track: &self.track,
            summary: &self.summary,
            problem: &self.problem,
            solution: &self.solution,
            market: &self.market,
            team_members,
            has_deck,
        }
    }

    /// `results_published`: whether any round of the contest has published results (then the
    /// application is part of a public record and can no longer be withdrawn).
    pub fn to_api(
        &self,
        contest: &ContestRow,
        deck: Option<&DocumentRow>,
        results_published: bool,
    ) -> Application {
        let team = self.team();
        let answers = self.answers();
        let questions = contest.questions().unwrap_or_default();
        let completeness = completeness(
            &self.presence(team.len(), deck.is_some()),
            &required_answers(&questions, &self.track, &answers),
        );
        let editable = self.is_editable(contest, now());
        let actions = ApplicationActions {
            edit: editable,
            submit: editable
                && self.status == ApplicationStatus::Draft
                && completeness.missing.is_empty(),
            withdraw: editable && !results_published,
        };
        Application {
            id: self.id,
            contest_id: self.contest_id,
            status: self.status.as_str().to_string(),
            status_reason: self.status_reason.clone(),
            company_name: self.company_name.clone(),
            company_name_native: self.company_name_native.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            founded_year: self.founded_year,
            team_size: self.team_size,
            stage: self.stage.clone(),
            track: self.track.clone(),
            website: self.website.clone(),
            summary: self.summary.clone(),
            problem: self.problem.clone(),
            solution: self.solution.clone(),
            market: self.market.clone(),
            traction: self.traction.clone(),
            team,
            video_url: self.video_url.clone(),
            answers,
            version: self.version,
            deck: deck.map(DocumentRow::to_api),
            completeness,
            editable,
            actions,
            closes_at: contest.closes_at.and_utc(),
            submitted_at: self.submitted_at.map(|t| t.and_utc()),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            erased_at: self.erased_at.map(|t| t.and_utc()),
        }
    }
}
