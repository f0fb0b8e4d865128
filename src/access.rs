//! Who may see what, decided once. Every site that shows an application, its deck, its
//! applicant's identity, a review, a rubric or results asks here. A refusal is `NotFound`,
//! the same answer as a missing id, so nobody learns what exists by probing.

use crate::applications::model::{self as applications, ApplicationRow};
use crate::assignments::model::{self as assignments, AssignmentRow};
use crate::auth::extract::AuthUser;
use crate::auth::model::Role;
use crate::contests::model::ContestRow;
use crate::db::DbConn;
use crate::error::AppError;
use crate::judges::model as judges;
use crate::rounds::model::{RoundRow, RoundState};
use crate::scope::{self, Object, Scope};

/// What the judges of a round see of an application: a blind round hides who the applicant
/// is (company, city, links, team, answers to identifying questions), and hides the deck too unless it lets the deck through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JudgeView {
    pub identity: bool,
    pub deck: bool,
}

impl JudgeView {
    pub fn of(blind: bool, blind_shows_deck: bool) -> JudgeView {
        JudgeView {
            identity: !blind,
            deck: !blind || blind_shows_deck,
        }
    }

    pub fn of_round(round: &RoundRow) -> JudgeView {
        JudgeView::of(round.blind, round.blind_shows_deck)
    }

    /// An answer to one of the contest's own questions: those marked identifying say who the
    /// applicant is, so a blind round leaves them out.
    pub fn answer(&self, identifying: bool) -> bool {
        self.identity || !identifying
    }
}

/// An application in full (every answer, the team, the status, the applicant's results):
/// its applicant, owners, and the staff of an organisation whose scope holds it (`scope.rs`).
/// Assigned judges get their own redacted view instead.
pub fn may_read_application(
    c: &mut DbConn,
    user: &AuthUser,
    app: &ApplicationRow,
) -> Result<bool, AppError> {
    Ok(match user.role {
        Role::Admin => scope::reaches(c, Scope::of(user), Object::Application(app.id))?,
        Role::Applicant => app.applicant_id == user.id,
        Role::Judge => false,
    })
}

/// The application row, if `user` may read it in full.
pub fn application(c: &mut DbConn, user: &AuthUser, id: i64) -> Result<ApplicationRow, AppError> {
    let row = applications::find(c, id)?;
    if may_read_application(c, user, &row)? {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

/// The deck of an application: whoever may read the application; and a judge assigned to it
/// in a round that has started, when that round's view shows the deck and the judge has no
/// active conflict with the application.
pub fn deck(c: &mut DbConn, user: &AuthUser, application_id: i64) -> Result<DeckView, AppError> {
    if user.role != Role::Judge {
        application(c, user, application_id)?;
        return Ok(DeckView { file_name: true });
    }
    let view = match assignments::judge_sees(c, user.id, application_id)? {
        Some((blind, shows_deck)) => JudgeView::of(blind, shows_deck),
        None => return Err(AppError::NotFound),
    };
    if !view.deck || judges::conflict_exists(c, user.id, application_id)? {
        return Err(AppError::NotFound);
    }
    // The uploaded file's name often names the start-up ("Zenith Robotics - deck.pdf").
    Ok(DeckView {
        file_name: view.identity,
    })
}

/// What a permitted reader of a deck may also see.
pub struct DeckView {
    /// The file name the applicant uploaded; a judge in a blind round gets a neutral one.
    pub file_name: bool,
}

/// An assignment and its review: only the judge it is assigned to.
pub fn review(
    c: &mut DbConn,
    judge_id: i64,
    assignment_id: i64,
) -> Result<AssignmentRow, AppError> {
    let a = assignments::find(c, assignment_id)?;
    reviews_own(judge_id, &a)?;
    Ok(a)
}

/// `review` for an assignment already read (a save reads it with its round and review).
pub fn reviews_own(judge_id: i64, a: &AssignmentRow) -> Result<(), AppError> {
    if a.judge_id == judge_id {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A judge sees the applications of a round once judging has started.
pub fn judge_sees_round(round: &RoundRow) -> Result<(), AppError> {
    if round.state == RoundState::Setup {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

/// A round's rubric: administrators whose scope holds the round, and the judges with an
/// assignment in the round.
pub fn rubric(c: &mut DbConn, user: &AuthUser, round_id: i64) -> Result<(), AppError> {
    match user.role {
        Role::Admin if scope::reaches(c, Scope::of(user), Object::Round(round_id))? => Ok(()),
        Role::Judge if assignments::judge_in_round(c, round_id, user.id)? => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// An applicant's own results: whoever may read the application.
pub fn own_results(c: &mut DbConn, user: &AuthUser, app: &ApplicationRow) -> Result<(), AppError> {
    if may_read_application(c, user, app)? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The judges' comments reach the applicant only when the round shares them.
pub fn feedback_shared(round: &RoundRow) -> bool {
    round.feedback_to_applicants
}

/// The public results page: only for a published contest.
pub fn public_results(contest: &ContestRow) -> Result<(), AppError> {
    if contest.published {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
