//! Organisations and their staff: the owner creates organisations and invites staff by email
//! (the judges' invitation shape: a one-time link in a queued mail, accepted at
//! `/auth/invitations/accept`, which sets the password).

use chrono::Duration;
use serde_json::json;

use super::api::{Organisation, OrganisationInput, StaffInvite, StaffMember};
use super::model;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::api::{check_email, check_locale, check_name};
use crate::auth::model::{self as users, NewUser, Role, normalize_email};
use crate::auth::tokens::{self, Purpose};
use crate::db::{self, now};
use crate::error::{AppError, FieldErrors};
use crate::mail::Outgoing;
use crate::scope::Scope;
use crate::state::AppState;
use crate::unit::{self, Tx};

const INVITATION_DAYS: i64 = 7;

fn record(
    c: &mut Tx<'_>,
    actor: i64,
    action: &str,
    id: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(actor),
        action,
        entity: "organisation",
        entity_id: Some(id.to_string()),
        details,
    })
}

fn view(c: &mut db::DbConn, row: &model::OrganisationRow) -> Result<Organisation, AppError> {
    let staff = model::staff(c, row.id)?.len() as i64;
    row.to_api(staff)
}

pub async fn create(
    state: &AppState,
    owner: &AuthUser,
    contest_id: i64,
    input: OrganisationInput,
) -> Result<Organisation, AppError> {
    input.validate().into_result()?;
    let actor = owner.id;
    unit::write(state, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let name = serde_json::to_string(&input.name).map_err(AppError::internal)?;
        let id = model::insert(c, contest_id, &name, input.region.trim())?;
        record(
            c,
            actor,
            "organisation.created",
            id,
            json!({"contest_id": contest_id, "name": input.name, "region": input.region.trim()}),
        )?;
        let row = model::find(c, id)?;
        view(c, &row)
    })
    .await
}

pub async fn update(
    state: &AppState,
    owner: &AuthUser,
    id: i64,
    input: OrganisationInput,
) -> Result<Organisation, AppError> {
    input.validate().into_result()?;
    let actor = owner.id;
    unit::write(state, move |c| {
        let before = model::find(c, id)?;
        let name = serde_json::to_string(&input.name).map_err(AppError::internal)?;
        model::update(c, id, &name, input.region.trim())?;
        let after = model::find(c, id)?;
        record(
            c,
            actor,
            "organisation.updated",
            id,
            json!({
                "name": {"old": before.name, "new": after.name},
                "region": {"old": before.region, "new": after.region},
            }),
        )?;
        view(c, &after)
    })
    .await
}

/// The contest's organisations: all for owners, their own for staff.
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    contest_id: i64,
) -> Result<Vec<Organisation>, AppError> {
    let scope = Scope::of(user);
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let rows = model::list(c, contest_id)?;
        rows.iter()
            .filter(|r| scope.reaches(Some(r.id)))
            .map(|r| view(c, r))
            .collect()
    })
    .await
}

pub async fn get(state: &AppState, id: i64) -> Result<Organisation, AppError> {
    db::run(&state.db, move |c| {
        let row = model::find(c, id)?;
        view(c, &row)
    })
    .await
}

pub async fn staff(state: &AppState, id: i64) -> Result<Vec<StaffMember>, AppError> {
    db::run(&state.db, move |c| {
        model::find(c, id)?;
        Ok(model::staff(c, id)?
            .into_iter()
            .map(|(id, email, name, active)| StaffMember {
                id,
                email,
                name,
                active,
            })
            .collect())
    })
    .await
}

/// Invites a staff member: a new administrator account bounded by the organisation, and the
/// mail with its one-time link. An address that already has an account is refused.
pub async fn invite(
    state: &AppState,
    owner: &AuthUser,
    id: i64,
    input: StaffInvite,
) -> Result<StaffMember, AppError> {
    let mut e = FieldErrors::default();
    check_email("email", &input.email, &mut e);
    check_name("name", &input.name, &mut e);
    if let Some(l) = &input.locale {
        check_locale("locale", l, &mut e);
    }
    e.into_result()?;
    let (actor, base) = (owner.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let org = model::find(c, id)?;
        let email = normalize_email(&input.email);
        if users::find_by_email(c, &email)?.is_some() {
            return Err(AppError::field("email", "registered_with_another_role"));
        }
        let (t, locale) = (now(), input.locale.as_deref().unwrap_or("en"));
        let user_id = users::insert(
            c,
            &NewUser {
                email: &email,
                password_hash: None,
                name: input.name.trim(),
                locale,
                role: Role::Admin.as_str(),
                verified_at: None,
                token_version: 0,
                created_at: t,
                updated_at: t,
            },
        )?;
        users::set_organisation(c, user_id, id)?;
        let raw = tokens::create_one_time(
            c,
            Purpose::Invitation,
            Some(user_id),
            Some(&email),
            &json!({"organisation_id": id}).to_string(),
            Duration::days(INVITATION_DAYS),
        )?;
        let names: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&org.name).map_err(AppError::internal)?;
        let contest = crate::contests::model::find(c, org.contest_id)?.names()?;
        let pick = |m: &std::collections::BTreeMap<String, String>| {
            m.get(locale).or(m.get("en")).cloned().unwrap_or_default()
        };
        c.mail(Outgoing {
            key: format!("staff_invitation:{user_id}:{}", &raw[..16]),
            user_id: Some(user_id),
            to: &email,
            to_name: input.name.trim(),
            locale,
            template: "staff_invitation",
            vars: vec![
                ("name", input.name.trim().to_string()),
                ("organisation", pick(&names)),
                ("contest", pick(&contest)),
                ("link", format!("{base}/accept-invitation?token={raw}")),
                ("days", INVITATION_DAYS.to_string()),
            ],
        })?;
        record(
            c,
            actor,
            "staff.invited",
            id,
            json!({"user_id": user_id, "email": email}),
        )?;
        Ok(StaffMember {
            id: user_id,
            email,
            name: input.name.trim().to_string(),
            active: false,
        })
    })
    .await
}
