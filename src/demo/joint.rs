//! The demo's joint organisers (issue 22): the Korean and Chinese organisations, a staff
//! account each, and their judges (Korean judges with the Korean side; Chinese and
//! international judges with the Chinese side, whose preliminary also takes the rest of the
//! world). Organisations go through the service; the accounts and memberships are bulk rows.

use diesel::prelude::*;
use serde_json::json;

use super::{as_admin, from, insert_user};
use crate::auth::extract::AuthUser;
use crate::auth::model::{self as users, Role};
use crate::db::schema::{contest_judges, judge_profiles};
use crate::db::{self};
use crate::error::AppError;
use crate::state::AppState;

pub(super) struct Side {
    pub organisation: i64,
    pub staff: AuthUser,
}

pub(super) async fn sides(
    state: &AppState,
    owner: &AuthUser,
    contest: i64,
    hash: &str,
) -> Result<[Side; 2], AppError> {
    let mut out = Vec::new();
    for (region, name, email, staff_name, locale) in [
        (
            "KR",
            json!({"en": "Gyeonggi Business & Science Accelerator", "ko": "경기도경제과학진흥원", "zh": "京畿道经济科学振兴院"}),
            "staff-kr@gsc-demo.example",
            "김서연",
            "ko",
        ),
        (
            "CN",
            json!({"en": "Hangzhou Global Innovation Center", "ko": "항저우 글로벌 혁신센터", "zh": "杭州全球创新中心"}),
            "staff-cn@gsc-demo.example",
            "王芳",
            "zh",
        ),
    ] {
        let org = crate::organisations::service::create(
            state,
            owner,
            contest,
            from(json!({"name": name, "region": region}))?,
        )
        .await?
        .id;
        let h = hash.to_string();
        let id = db::write(&state.db, move |c| {
            let id = insert_user(c, email, Role::Admin, staff_name, locale, &h)?;
            users::set_organisation(c, id, org)?;
            // Korean judges with the Korean side; everyone else with the other.
            let regions: Vec<&str> = if region == "KR" {
                vec!["KR"]
            } else {
                vec!["CN", "OTHER"]
            };
            let judges = judge_profiles::table
                .filter(judge_profiles::region.eq_any(regions))
                .select(judge_profiles::user_id);
            diesel::update(
                contest_judges::table
                    .filter(contest_judges::contest_id.eq(contest))
                    .filter(contest_judges::user_id.eq_any(judges)),
            )
            .set(contest_judges::organisation_id.eq(Some(org)))
            .execute(c)?;
            Ok(id)
        })
        .await?;
        let mut staff = as_admin(id, email);
        staff.organisation_id = Some(org);
        staff.name = staff_name.into();
        out.push(Side {
            organisation: org,
            staff,
        });
    }
    out.try_into().map_err(|_| AppError::internal("two sides"))
}

/// A small demo (a handful of applications, all from one side) would leave a preliminary
/// empty; the owner then sends every other application of the fuller one to it by hand, as
/// an owner would (each override audited).
pub(super) async fn balance(
    state: &AppState,
    owner: &AuthUser,
    contest: i64,
    prelims: [i64; 2],
) -> Result<(), AppError> {
    let routed = crate::organisations::routing::list(state, owner, contest).await?;
    for (empty, full) in [(prelims[0], prelims[1]), (prelims[1], prelims[0])] {
        if routed.iter().any(|r| r.round_id == Some(empty)) {
            continue;
        }
        for r in routed
            .iter()
            .filter(|r| r.round_id == Some(full))
            .skip(1)
            .step_by(2)
        {
            let input = crate::organisations::api::RouteOverride {
                round_id: Some(empty),
                reason: "Balanced between the preliminaries of a small demo".into(),
            };
            crate::organisations::routing::set(state, owner, r.application_id, input).await?;
        }
    }
    Ok(())
}
