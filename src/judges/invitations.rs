//! Inviting judges (one by one or from a CSV) and accepting an invitation: the invitation
//! mail, its one-time link, and the session the accepted invitation starts.

use super::api::{
    self, AcceptInvitation, InviteReport, InviteResult, InviteRow, JudgeProfile, ProfilePatch,
};
use super::model::{self, ProfileRow};
use crate::audit::Entry;
use crate::auth::issue::Session;
use crate::auth::model::{self as users_model, NewUser, Role, normalize_email};
use crate::auth::tokens::{self, Purpose};
use crate::auth::{AuthUser, api::check_email, api::check_name, password};
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::mail::Outgoing;
use crate::state::AppState;
use crate::unit::{self, Tx};
use chrono::Duration;
use serde_json::json;

const INVITATION_DAYS: i64 = 7;

fn check_row(row: &InviteRow) -> FieldErrors {
    let mut e = FieldErrors::default();
    check_email("email", &row.email, &mut e);
    check_name("name", &row.name, &mut e);
    if let Some(l) = &row.locale {
        crate::auth::api::check_locale("locale", l, &mut e);
    }
    api::validate_profile(
        &ProfilePatch {
            organization: Some(row.organization.clone()),
            region: Some(row.region.clone()),
            expertise: Some(row.expertise.clone()),
            capacity: Some(row.capacity),
            ..ProfilePatch::default()
        },
        &mut e,
    );
    e
}

fn send_invitation(
    c: &mut Tx<'_>,
    base: &str,
    contest_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let user = users_model::find_by_id(c, user_id)?.ok_or(AppError::NotFound)?;
    let contest = crate::contests::model::find(c, contest_id)?;
    let names = contest.names()?;
    tokens::expire_for_user(c, Purpose::Invitation, user_id)?;
    let raw = tokens::create_one_time(
        c,
        Purpose::Invitation,
        Some(user_id),
        Some(&user.email),
        &json!({"contest_id": contest_id}).to_string(),
        Duration::days(INVITATION_DAYS),
    )?;
    c.mail(Outgoing {
        key: format!("judge_invitation:{user_id}:{}", &raw[..16]),
        user_id: Some(user_id),
        to: &user.email,
        to_name: &user.name,
        locale: &user.locale,
        template: "judge_invitation",
        vars: vec![
            ("name", user.name.clone()),
            (
                "contest",
                names
                    .get(&user.locale)
                    .or(names.get("en"))
                    .cloned()
                    .unwrap_or_default(),
            ),
            ("link", format!("{base}/accept-invitation?token={raw}")),
            ("days", INVITATION_DAYS.to_string()),
        ],
    })?;
    Ok(())
}

fn invite_one(
    c: &mut Tx<'_>,
    base: &str,
    (actor, org): (i64, Option<i64>),
    contest_id: i64,
    row: &InviteRow,
) -> Result<&'static str, AppError> {
    let email = normalize_email(&row.email);
    let locale = row.locale.as_deref().unwrap_or("en");
    let mut replaced_signup = false;
    let status = match users_model::find_by_email(c, &email)? {
        // Nobody proved this mailbox yet: the sign-up may be a stranger holding the address
        // against the invitation, so it becomes the judge account and its password goes; the
        // invitation link reaches the real owner, and the squatter keeps nothing.
        Some(u) if u.role == Role::Applicant && u.verified_at.is_none() => {
            users_model::make_invited_judge(c, u.id, row.name.trim(), locale)?;
            tokens::end_all_sessions(c, u.id)?;
            tokens::expire_links(c, u.id)?;
            replaced_signup = true;
            welcome(c, base, (contest_id, org), u.id, row)?;
            "invited"
        }
        Some(u) if u.role != Role::Judge => {
            return Err(AppError::field("email", "registered_with_another_role"));
        }
        Some(u) if u.password_hash.is_some() => {
            model::add_member(c, contest_id, u.id, org)?;
            "already_active"
        }
        Some(u) => {
            model::add_member(c, contest_id, u.id, org)?;
            send_invitation(c, base, contest_id, u.id)?;
            "reinvited"
        }
        None => {
            let t = now();
            let id = users_model::insert(
                c,
                &NewUser {
                    email: &email,
                    password_hash: None,
                    name: row.name.trim(),
                    locale,
                    role: Role::Judge.as_str(),
                    verified_at: None,
                    token_version: 0,
                    created_at: t,
                    updated_at: t,
                },
            )?;
            welcome(c, base, (contest_id, org), id, row)?;
            "invited"
        }
    };
    c.audit(Entry {
        actor_id: Some(actor),
        action: "judge.invited",
        entity: "user",
        entity_id: Some(email),
        details: json!({"contest_id": contest_id, "status": status,
            "replaced_unverified_signup": replaced_signup}),
    })?;
    Ok(status)
}

/// A new judge account's profile, membership and invitation mail.
fn welcome(
    c: &mut Tx<'_>,
    base: &str,
    (contest_id, org): (i64, Option<i64>),
    id: i64,
    row: &InviteRow,
) -> Result<(), AppError> {
    let profile = JudgeProfile {
        organization: row.organization.clone(),
        affiliations: Vec::new(),
        region: row.region.clone(),
        expertise: row.expertise.clone(),
        languages: Vec::new(),
        capacity: row.capacity,
        reminders: true,
    };
    model::save_profile(c, &ProfileRow::from_api(id, &profile)?)?;
    model::add_member(c, contest_id, id, org)?;
    send_invitation(c, base, contest_id, id)
}

/// Invites every row on its own, so one bad row does not stop the rest; the report says what
/// happened to each.
pub async fn invite(
    state: &AppState,
    admin: &AuthUser,
    contest_id: i64,
    rows: Vec<InviteRow>,
) -> Result<InviteReport, AppError> {
    if rows.is_empty() || rows.len() > 2000 {
        return Err(AppError::field(
            "judges",
            if rows.is_empty() {
                "required"
            } else {
                "too_many"
            },
        ));
    }
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id).map(|_| ())
    })
    .await?;
    let mut report = InviteReport {
        invited: 0,
        failed: 0,
        rows: Vec::new(),
    };
    for (i, row) in rows.into_iter().enumerate() {
        let email = row.email.clone();
        let errors = check_row(&row);
        let outcome = if errors.is_empty() {
            let (base, actor) = (
                state.config.public_url.clone(),
                (admin.id, admin.organisation_id),
            );
            unit::write(state, move |c| {
                invite_one(c, &base, actor, contest_id, &row)
            })
            .await
        } else {
            Err(AppError::Validation(errors))
        };
        let result = match outcome {
            Ok(status) => {
                report.invited += usize::from(status != "already_active");
                InviteResult {
                    row: i + 1,
                    email,
                    status,
                    errors: None,
                }
            }
            Err(AppError::Validation(f)) => {
                report.failed += 1;
                InviteResult {
                    row: i + 1,
                    email,
                    status: "error",
                    errors: Some(f.0),
                }
            }
            Err(e) => return Err(e),
        };
        report.rows.push(result);
    }
    Ok(report)
}

pub async fn accept(state: &AppState, req: AcceptInvitation) -> Result<Session, AppError> {
    let mut e = FieldErrors::default();
    password::check_strength("password", &req.password, &mut e);
    if let Some(n) = &req.name {
        check_name("name", n, &mut e);
    }
    e.into_result()?;
    let hash = state.hasher.hash(req.password).await?;
    let ttl = state.config.refresh_ttl_secs;
    let (user, refresh) = unit::write(state, move |c| {
        let token = tokens::consume(c, Purpose::Invitation, &req.token)?.ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::InvalidInvitationToken,
                "the invitation is invalid, used or expired; ask the organisers to send it again",
            )
        })?;
        let id = token.user_id.ok_or(AppError::NotFound)?;
        users_model::set_password(c, id, &hash, Some(now()))?;
        if let Some(name) = &req.name {
            users_model::set_name(c, id, name.trim())?;
        }
        model::accept_all(c, id)?;
        // The same link invites an organiser's staff (`organisations::service::invite`).
        let staff = users_model::find_by_id(c, id)?.is_some_and(|u| u.role == Role::Admin);
        c.audit(Entry {
            actor_id: Some(id),
            action: if staff {
                "staff.accepted"
            } else {
                "judge.accepted"
            },
            entity: "user",
            entity_id: Some(id.to_string()),
            details: json!({}),
        })?;
        let refresh = tokens::start_session(c, id, ttl)?;
        Ok((
            users_model::find_by_id(c, id)?.ok_or(AppError::NotFound)?,
            refresh,
        ))
    })
    .await?;
    crate::auth::issue::session_for(state, &user, refresh)
}
