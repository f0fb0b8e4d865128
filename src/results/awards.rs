//! Awards: the final round's ranks fill the contest's award tiers in order, except where an
//! administrator placed an entry by hand with a written reason; the publish dialog's counts.

use std::collections::BTreeMap;

use serde_json::json;

use super::api::{
    AwardOverride, AwardOverrideInput, AwardPlaces, AwardWinner, PublishPreview, ResultRow,
};
use super::service::{Loaded, compute, load, rows};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::contests::api::AwardTier;
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::rounds::model::{self as rounds, RoundState};
use crate::state::AppState;
use crate::unit;

/// Which tier each entry wins. Overrides come first (a tier key, or "" for none) and use up a
/// place of their tier; the remaining places go down the ranking, best rank first, to entries
/// that have a rank and no override. Ties take places in ranking order like any other rank.
pub fn place(
    tiers: &[AwardTier],
    rows: &[ResultRow],
    overrides: &BTreeMap<i64, (String, String)>,
) -> BTreeMap<i64, String> {
    let mut left: Vec<(String, u32)> = tiers.iter().map(|t| (t.key.clone(), t.places)).collect();
    let mut won = BTreeMap::new();
    for (app, (award, _)) in overrides {
        if award.is_empty() {
            continue;
        }
        if let Some(slot) = left.iter_mut().find(|(k, _)| k == award) {
            slot.1 = slot.1.saturating_sub(1);
            won.insert(*app, award.clone());
        }
    }
    let mut ranked: Vec<&ResultRow> = rows
        .iter()
        .filter(|r| r.rank.is_some() && !overrides.contains_key(&r.application_id))
        .collect();
    ranked.sort_by_key(|r| (r.rank, r.application_id));
    let mut ranked = ranked.into_iter();
    for (key, n) in left {
        for _ in 0..n {
            let Some(r) = ranked.next() else {
                return won;
            };
            won.insert(r.application_id, key.clone());
        }
    }
    won
}

/// A round's result rows with their awards filled in when the round ends the contest, and
/// whether it does. Shared by the publish dialog and publishing itself.
pub(super) fn decide(
    c: &mut DbConn,
    l: &Loaded,
) -> Result<(Vec<ResultRow>, bool, Vec<AwardTier>), AppError> {
    let mut out = rows(l, &compute(l));
    let is_final = l.advanced.is_empty() && rounds::is_last(c, &l.round)?;
    if !is_final {
        return Ok((out, false, Vec::new()));
    }
    let tiers = crate::contests::model::find(c, l.round.contest_id)?.awards()?;
    let won = place(&tiers, &out, &rounds::award_overrides(c, l.round.id)?);
    for r in &mut out {
        r.award = won.get(&r.application_id).cloned();
    }
    Ok((out, true, tiers))
}

fn summarise(
    round_id: i64,
    published: bool,
    rows: &[ResultRow],
    is_final: bool,
    tiers: &[AwardTier],
    overrides: &BTreeMap<i64, (String, String)>,
) -> PublishPreview {
    let advanced = rows.iter().filter(|r| r.advanced).count();
    let awarded = rows.iter().filter(|r| r.award.is_some()).count();
    let awards = tiers
        .iter()
        .map(|t| AwardPlaces {
            key: t.key.clone(),
            name: t.name.clone(),
            places: t.places,
            winners: rows
                .iter()
                .filter(|r| r.award.as_deref() == Some(t.key.as_str()))
                .map(|r| AwardWinner {
                    application_id: r.application_id,
                    company_name: r.company_name.clone(),
                    rank: r.rank,
                    overridden: overrides.contains_key(&r.application_id),
                })
                .collect(),
        })
        .collect();
    PublishPreview {
        round_id,
        published,
        final_round: is_final,
        entries: rows.len(),
        advanced,
        awarded,
        not_advanced: rows.len() - advanced - awarded,
        awards,
        needs_confirmation: !published && advanced == 0 && awarded == 0,
        overrides: overrides
            .iter()
            .map(|(app, (award, reason))| AwardOverride {
                application_id: *app,
                company_name: rows
                    .iter()
                    .find(|r| r.application_id == *app)
                    .map(|r| r.company_name.clone())
                    .unwrap_or_default(),
                award: Some(award.clone()).filter(|a| !a.is_empty()),
                reason: reason.clone(),
            })
            .collect(),
    }
}

pub fn preview_in(c: &mut DbConn, round_id: i64) -> Result<PublishPreview, AppError> {
    let overrides = rounds::award_overrides(c, round_id)?;
    if let Some(s) = super::model::stored(c, round_id)? {
        return Ok(summarise(
            round_id,
            true,
            &s.rows,
            s.final_round,
            &s.awards,
            &overrides,
        ));
    }
    let l = load(c, round_id)?;
    let (rows, is_final, tiers) = decide(c, &l)?;
    Ok(summarise(
        round_id, false, &rows, is_final, &tiers, &overrides,
    ))
}

/// What publishing the round will tell whom (admin).
pub async fn preview(state: &AppState, round_id: i64) -> Result<PublishPreview, AppError> {
    db::run(&state.db, move |c| preview_in(c, round_id)).await
}

/// Places an entry by hand (`award` a tier key, or null for no award), or with `None` input
/// lets the ranks decide again. Only before the round is published; audited with the reason.
pub async fn set_override(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    application_id: i64,
    input: Option<AwardOverrideInput>,
) -> Result<PublishPreview, AppError> {
    let actor = admin.id;
    unit::write(state, move |tx| {
        let round = rounds::find(tx, round_id)?;
        if round.state == RoundState::Published {
            return Err(AppError::conflict(
                ErrorCode::ResultsPublished,
                "the round is published; its awards are final",
            ));
        }
        let place = match &input {
            Some(i) => {
                let tiers = crate::contests::model::find(tx, round.contest_id)?.awards()?;
                let mut e = FieldErrors::default();
                if let Some(a) = &i.award
                    && !tiers.iter().any(|t| &t.key == a)
                {
                    e.add("award", "unknown");
                }
                let reason = i.reason.trim();
                if reason.is_empty() {
                    e.add("reason", "required");
                } else if reason.chars().count() > 1000 {
                    e.add("reason", "too_long");
                }
                e.into_result()?;
                Some((i.award.clone().unwrap_or_default(), reason.to_string()))
            }
            None => None,
        };
        let found = rounds::set_award_override(
            tx,
            round_id,
            application_id,
            place.as_ref().map(|(a, r)| (a.as_str(), r.as_str())),
        )?;
        if !found {
            return Err(AppError::NotFound);
        }
        tx.audit(Entry {
            actor_id: Some(actor),
            action: if place.is_some() {
                "award.overridden"
            } else {
                "award.override_cleared"
            },
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: match &place {
                Some((award, reason)) => json!({
                    "application_id": application_id,
                    "award": Some(award).filter(|a| !a.is_empty()),
                    "reason": reason,
                }),
                None => json!({"application_id": application_id}),
            },
        })?;
        preview_in(tx, round_id)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(key: &str, places: u32) -> AwardTier {
        AwardTier {
            key: key.into(),
            name: [("en".to_string(), key.to_string())].into(),
            places,
            prize: None,
        }
    }

    fn row(id: i64, rank: Option<usize>) -> ResultRow {
        ResultRow {
            rank,
            tied: false,
            application_id: id,
            company_name: format!("C{id}"),
            track: "ai".into(),
            reviews: 3,
            raw: None,
            trimmed: None,
            zscore: None,
            dispersion: None,
            disagreement: false,
            advanced: false,
            award: None,
        }
    }

    #[test]
    fn ranks_fill_the_tiers_in_order() {
        let tiers = [tier("grand", 1), tier("excellence", 2), tier("merit", 3)];
        let rows: Vec<_> = (1..=8).map(|i| row(10 + i, Some(i as usize))).collect();
        let won = place(&tiers, &rows, &BTreeMap::new());
        assert_eq!(won[&11], "grand");
        assert_eq!(won[&12], "excellence");
        assert_eq!(won[&13], "excellence");
        assert_eq!(won[&16], "merit");
        assert!(!won.contains_key(&17) && !won.contains_key(&18));
    }

    #[test]
    fn an_override_takes_its_place_and_the_ranks_move_up() {
        let tiers = [tier("grand", 1), tier("merit", 2)];
        let rows: Vec<_> = (1..=5).map(|i| row(i, Some(i as usize))).collect();
        // Rank 1 is refused an award; rank 5 gets merit by hand.
        let overrides = BTreeMap::from([
            (1, (String::new(), "ineligible".to_string())),
            (5, ("merit".to_string(), "jury decision".to_string())),
        ]);
        let won = place(&tiers, &rows, &overrides);
        assert_eq!(won.get(&1), None);
        assert_eq!(won[&2], "grand");
        assert_eq!(won[&3], "merit");
        assert_eq!(won[&5], "merit");
        assert_eq!(won.get(&4), None);
    }

    #[test]
    fn unranked_entries_win_nothing_and_short_fields_leave_places_empty() {
        let tiers = [tier("grand", 1), tier("merit", 5)];
        let rows = vec![row(1, None), row(2, Some(1)), row(3, Some(2))];
        let won = place(&tiers, &rows, &BTreeMap::new());
        assert_eq!(won.len(), 2);
        assert_eq!(won[&2], "grand");
        assert_eq!(won[&3], "merit");
    }
}
