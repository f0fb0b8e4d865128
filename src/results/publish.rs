//! Publishing and what published results show: the snapshot with its digest, the result
//! emails, the public page and each applicant's own result.

use std::sync::Arc;

use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::api::{MyResult, PublicAward, PublicEntry, PublicRound, Published, ResultRow, Snapshot};
use super::awards::decide;
use super::cache::SnapshotCache;
use super::model;
use super::service::{load, method};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::db::schema::{assignments, published_results, reviews};
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::mail::Outgoing;
use crate::reviews::model::ReviewStatus;
use crate::rounds::model as rounds;
use crate::rounds::model::RoundState;
use crate::scoring::Method;
use crate::state::AppState;
use crate::unit;
use crate::web::prepared::Prepared;

/// Freezes the round, stores the snapshot and its digest, and queues one result email per
/// applicant. Publishing again changes nothing and sends nothing. A final that awards nobody
/// (no tiers, or none filled) is refused unless `confirm_no_winners` says it is meant.
pub async fn publish(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    confirm_no_winners: bool,
) -> Result<Published, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        if let Some((sha, at)) = model::published(c, round_id)? {
            return Ok(Published {
                round_id,
                sha256: sha,
                published_at: at.and_utc(),
                emails_queued: 0,
            });
        }
        let l = load(c, round_id)?;
        if !l.round.state.can_move_to(RoundState::Published) {
            return Err(AppError::conflict(
                ErrorCode::RoundNotClosed,
                "close the round before publishing",
            ));
        }
        let (rows, final_round, awards) = decide(c, &l)?;
        if !confirm_no_winners && !rows.iter().any(|r| r.advanced || r.award.is_some()) {
            return Err(AppError::conflict(
                ErrorCode::NobodyAwarded,
                "nobody advances and nobody is awarded; advance entries, set award tiers, \
                 or confirm that this round names no winners",
            ));
        }
        let at = now();
        let snapshot = Snapshot {
            round_id,
            round_name: serde_json::from_str(&l.round.name).unwrap_or_default(),
            method: method(&l.round).as_str().into(),
            entries: l.entries.len(),
            rows,
            published_at: at.and_utc(),
            final_round,
            awards,
            supersedes: Vec::new(),
        };
        let text = serde_json::to_string(&snapshot).map_err(AppError::internal)?;
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        model::insert(c, round_id, &text, &sha, actor, at)?;
        let mut round = l.round.clone();
        round.state = RoundState::Published;
        round.updated_at = at;
        rounds::save(c, &round)?;
        let mut queued = 0;
        for row in &snapshot.rows {
            let Some((company, _, owner)) = l.apps.get(&row.application_id) else {
                continue;
            };
            let Some(user) = crate::auth::model::find_by_id(c, *owner)? else {
                continue;
            };
            let feedback = if crate::access::feedback_shared(&l.round) {
                feedback_for(c, round_id, row.application_id)?.join("\n\n")
            } else {
                String::new()
            };
            let mail = result_mail(&snapshot, row, &user.locale);
            let mut vars = vec![
                ("name", user.name.clone()),
                ("company", company.clone()),
                ("round", in_locale(&snapshot.round_name, &user.locale)),
                (
                    "feedback",
                    if feedback.is_empty() {
                        "-".into()
                    } else {
                        feedback
                    },
                ),
                (
                    "link",
                    format!("{base}/applications/{}", row.application_id),
                ),
            ];
            vars.extend(mail.vars);
            queued += usize::from(c.mail(Outgoing {
                key: format!("result:{round_id}:{}", row.application_id),
                user_id: Some(user.id),
                to: &user.email,
                to_name: &user.name,
                locale: &user.locale,
                template: mail.template,
                vars,
            })?);
        }
        c.audit(Entry {
            actor_id: Some(actor),
            action: "round.published",
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({
                "sha256": sha,
                "emails": queued,
                "final": snapshot.final_round,
                "awarded": snapshot.rows.iter().filter(|r| r.award.is_some()).count(),
                "confirmed_no_winners": confirm_no_winners,
            }),
        })?;
        Ok(Published {
            round_id,
            sha256: sha,
            published_at: at.and_utc(),
            emails_queued: queued,
        })
    })
    .await
}

struct ResultMail {
    template: &'static str,
    vars: Vec<(&'static str, String)>,
}

/// Which email an entry gets: advanced, an award (named, with its prize), placed in a final
/// without an award, or not advanced.
fn result_mail(s: &Snapshot, row: &ResultRow, locale: &str) -> ResultMail {
    let tier = row
        .award
        .as_ref()
        .and_then(|k| s.awards.iter().find(|t| &t.key == k));
    if let Some(t) = tier {
        let prize = t
            .prize
            .as_ref()
            .map(|p| in_locale(p, locale))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "-".into());
        return ResultMail {
            template: "result_winner",
            vars: vec![("award", in_locale(&t.name, locale)), ("prize", prize)],
        };
    }
    if row.advanced {
        return ResultMail {
            template: "result_advanced",
            vars: Vec::new(),
        };
    }
    if s.final_round {
        return ResultMail {
            template: "result_final",
            vars: vec![
                ("rank", row.rank.map_or("-".into(), |r| r.to_string())),
                ("entries", s.entries.to_string()),
            ],
        };
    }
    ResultMail {
        template: "result_not_advanced",
        vars: Vec::new(),
    }
}

fn in_locale(text: &crate::contests::api::I18nText, locale: &str) -> String {
    text.get(locale)
        .filter(|t| !t.trim().is_empty())
        .or(text.get("en"))
        .cloned()
        .unwrap_or_default()
}

fn feedback_for(c: &mut DbConn, round_id: i64, app: i64) -> Result<Vec<String>, AppError> {
    Ok(reviews::table
        .inner_join(assignments::table)
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::application_id.eq(app))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .select(reviews::comment_applicant)
        .load::<String>(c)?
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect())
}

/// The digests of the contest's published snapshots, in round order.
fn digests(c: &mut DbConn, contest_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(published_results::table
        .inner_join(crate::db::schema::rounds::table)
        .filter(crate::db::schema::rounds::contest_id.eq(contest_id))
        .order(crate::db::schema::rounds::position.asc())
        .select((published_results::round_id, published_results::sha256))
        .load(c)?)
}

/// The contest's published snapshots in round order, with their digests.
fn snapshots(
    c: &mut DbConn,
    cache: &SnapshotCache,
    contest_id: i64,
) -> Result<Vec<(Arc<Snapshot>, String)>, AppError> {
    digests(c, contest_id)?
        .into_iter()
        .map(|(round, sha)| Ok((cache.get(c, round, &sha)?, sha)))
        .collect()
}

/// Published rounds only; before publication the list is empty. Built once per set of
/// published digests and shared by every reader until another round is published.
pub async fn public(state: &AppState, contest_id: i64) -> Result<Arc<Prepared>, AppError> {
    let cache = state.snapshots.clone();
    db::run(&state.db, move |c| {
        let contest = crate::contests::model::find(c, contest_id)?;
        crate::access::public_results(&contest)?;
        let digests = digests(c, contest_id)?;
        cache.public(contest_id, digests, |digests| {
            let rounds: Vec<PublicRound> = digests
                .iter()
                .map(|(round, sha)| {
                    let s = cache.get(c, *round, sha)?;
                    Ok(PublicRound {
                        round_id: s.round_id,
                        round_name: s.round_name.clone(),
                        published_at: s.published_at,
                        sha256: sha.clone(),
                        entries: s.entries,
                        advanced: s
                            .rows
                            .iter()
                            .filter(|r| r.advanced)
                            .map(public_entry)
                            .collect(),
                        final_round: s.final_round,
                        awards: s
                            .awards
                            .iter()
                            .map(|t| PublicAward {
                                key: t.key.clone(),
                                name: t.name.clone(),
                                prize: t.prize.clone(),
                                winners: s
                                    .rows
                                    .iter()
                                    .filter(|r| r.award.as_deref() == Some(t.key.as_str()))
                                    .map(public_entry)
                                    .collect(),
                            })
                            .collect(),
                    })
                })
                .collect::<Result<_, AppError>>()?;
            Prepared::new(&rounds)
        })
    })
    .await
}

/// The applicant's own results in published rounds: rank, score and (when shared) feedback.
pub async fn mine(
    state: &AppState,
    user: &AuthUser,
    app_id: i64,
) -> Result<Vec<MyResult>, AppError> {
    let (user, cache) = (user.clone(), state.snapshots.clone());
    db::run(&state.db, move |c| {
        let app = crate::applications::model::find(c, app_id)?;
        crate::access::own_results(c, &user, &app)?;
        let mut out = Vec::new();
        for (s, _) in snapshots(c, &cache, app.contest_id)? {
            let Some(row) = s.rows.iter().find(|r| r.application_id == app_id) else {
                continue;
            };
            let round = rounds::find(c, s.round_id)?;
            let m = Method::parse(&s.method).unwrap_or(Method::Raw);
            out.push(MyResult {
                round_id: s.round_id,
                round_name: s.round_name.clone(),
                rank: row.rank,
                entries: s.entries,
                score: match m {
                    Method::Raw => row.raw,
                    Method::Trimmed => row.trimmed,
                    Method::Zscore => row.zscore,
                },
                advanced: row.advanced,
                award: row
                    .award
                    .as_ref()
                    .and_then(|k| s.awards.iter().find(|t| &t.key == k))
                    .cloned(),
                final_round: s.final_round,
                feedback: if crate::access::feedback_shared(&round) {
                    feedback_for(c, s.round_id, app_id)?
                } else {
                    Vec::new()
                },
            });
        }
        Ok(out)
    })
    .await
}

fn public_entry(r: &ResultRow) -> PublicEntry {
    PublicEntry {
        rank: r.rank,
        company_name: r.company_name.clone(),
        track: r.track.clone(),
    }
}
