//! Conflicts of interest: declared by judges, set or lifted by administrators, and detected
//! when a judge's organization or email domain matches a start-up's name, website or a team
//! member's email domain. A judge's organization and the organisations on their profile
//! (employer, investments, advisory roles, family companies) are matched alike. A conflicted
//! pair can never be assigned; a conflict that appears on an existing assignment removes it
//! and opens the seat again.

use std::collections::{BTreeSet, HashMap, HashSet};

use diesel::prelude::*;
use serde_json::json;

use super::model;
use crate::applications::model::ApplicationRow;
use crate::audit::{self, Entry};
use crate::db::DbConn;
use crate::db::schema::{applications, conflicts, contest_judges, judge_profiles, users};
use crate::error::AppError;

/// Legal-form words, dropped as whole words.
const LATIN_SUFFIXES: [&str; 13] = [
    "incorporated",
    "corporation",
    "company",
    "limited",
    "inc",
    "corp",
    "co",
    "ltd",
    "llc",
    "gmbh",
    "plc",
    "pte",
    "the",
];
/// Legal-form affixes in Korean, Chinese and Japanese, dropped wherever they stand.
const CJK_AFFIXES: [&str; 12] = [
    "주식회사",
    "유한회사",
    "(주)",
    "㈜",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "科技",
    "集团",
    "公司",
    "株式会社",
    "(株)",
];

/// Webmail domains say nothing about an employer.
const PUBLIC_DOMAINS: [&str; 18] = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "kakao.com",
    "nate.com",
    "qq.com",
    "163.com",
    "126.com",
    "foxmail.com",
    "sina.com",
    "protonmail.com",
];

/// Lower case, company suffixes dropped, then only letters and digits: "Hanbit Robotics Co., Ltd."
/// and "hanbit robotics" both become "hanbitrobotics".
pub fn normalize_org(name: &str) -> String {
    let mut s = name.to_lowercase();
    for affix in CJK_AFFIXES {
        s = s.replace(affix, " ");
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !LATIN_SUFFIXES.contains(t))
        .collect()
}

fn domain_of_email(email: &str) -> Option<String> {
    let d = email.rsplit_once('@')?.1.trim().to_lowercase();
    (!d.is_empty() && !PUBLIC_DOMAINS.contains(&d.as_str())).then_some(d)
}

fn domain_of_url(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// What identifies a start-up: normalized names and non-webmail domains.
fn identities(app: &ApplicationRow, applicant_email: &str) -> HashSet<String> {
    let mut set = HashSet::new();
    for name in [&app.company_name, &app.company_name_native] {
        let n = normalize_org(name);
        if n.chars().count() >= 3 {
            set.insert(format!("org:{n}"));
        }
    }
    let mut domains: Vec<Option<String>> = vec![
        domain_of_url(&app.website),
        domain_of_email(applicant_email),
    ];
    domains.extend(app.team().iter().map(|m| domain_of_email(&m.email)));
    set.extend(domains.into_iter().flatten().map(|d| format!("domain:{d}")));
    set
}

/// What identifies a judge's ties: their organization, every organisation on their profile
/// (employer, investment, advisory, family: all count alike) and a non-webmail domain.
fn judge_identities(organization: &str, affiliations: &str, email: &str) -> Vec<String> {
    let mut v = Vec::new();
    let names = model::parse_affiliations(affiliations)
        .into_iter()
        .map(|a| a.name);
    for name in std::iter::once(organization.to_string()).chain(names) {
        let n = normalize_org(&name);
        if n.chars().count() >= 3 {
            v.push(format!("org:{n}"));
        }
    }
    if let Some(d) = domain_of_email(email) {
        v.push(format!("domain:{d}"));
    }
    v
}

/// Records a conflict (or revives a lifted one) and removes the pair's open assignments.
/// Returns the ids of the assignments it removed. Detection is the system's own doing, so it
/// writes its audit entry here (no actor), naming what it removed; people's conflicts are
/// audited by their use cases in `conflict_cases.rs`.
pub(super) fn add(
    c: &mut DbConn,
    judge_id: i64,
    application_id: i64,
    source: &str,
    reason: &str,
    by: Option<i64>,
) -> Result<Vec<i64>, AppError> {
    match model::conflict(c, judge_id, application_id)? {
        Some((_, None, _)) => {}
        // An administrator's lift stands against detection; only people re-add it.
        Some((_, Some(_), _)) if source == "detected" => return Ok(Vec::new()),
        Some((id, Some(_), _)) => model::revive_conflict(c, id, source, reason, by)?,
        None => model::insert_conflict(c, judge_id, application_id, source, reason, by)?,
    }
    let removed = crate::assignments::model::delete_open_pair(c, judge_id, application_id)?;
    if source == "detected" {
        audit::record(
            c,
            Entry {
                actor_id: None,
                action: "conflict.detected",
                entity: "conflict",
                entity_id: Some(format!("{judge_id}:{application_id}")),
                details: json!({
                    "judge_id": judge_id,
                    "application_id": application_id,
                    "reason": reason,
                    "assignments_removed": removed,
                }),
            },
        )?;
    }
    Ok(removed)
}

/// A judge with their email, organization and affiliations (JSON) as detection reads them.
type JudgeTies = (i64, String, Option<String>, Option<String>);

/// Every (judge, application) pair of the contest that detection matches, found without
/// writing anything.
pub fn matches(c: &mut DbConn, contest_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    let apps: Vec<(ApplicationRow, String)> = applications::table
        .inner_join(users::table)
        .filter(applications::contest_id.eq(contest_id))
        .select((ApplicationRow::as_select(), users::email))
        .load(c)?;
    let mut index: HashMap<String, Vec<i64>> = HashMap::new();
    for (app, email) in &apps {
        for id in identities(app, email) {
            index.entry(id).or_default().push(app.id);
        }
    }
    let judges: Vec<JudgeTies> = contest_judges::table
        .inner_join(users::table.left_join(judge_profiles::table))
        .filter(contest_judges::contest_id.eq(contest_id))
        .select((
            users::id,
            users::email,
            judge_profiles::organization.nullable(),
            judge_profiles::affiliations.nullable(),
        ))
        .load(c)?;
    let mut pairs = Vec::new();
    for (judge, email, org, ties) in judges {
        let mut hits: Vec<i64> = judge_identities(
            org.as_deref().unwrap_or_default(),
            ties.as_deref().unwrap_or("[]"),
            &email,
        )
        .iter()
        .filter_map(|k| index.get(k))
        .flatten()
        .copied()
        .collect();
        hits.sort_unstable();
        hits.dedup();
        pairs.extend(hits.into_iter().map(|app| (judge, app)));
    }
    Ok(pairs)
}

/// Finds conflicts by organization and domain for every judge and application of the contest.
pub fn detect(c: &mut DbConn, contest_id: i64) -> Result<usize, AppError> {
    let mut found = 0;
    for (judge, app) in matches(c, contest_id)? {
        if !super::model::conflict_exists(c, judge, app)? {
            add(
                c,
                judge,
                app,
                "detected",
                "same organization or email domain",
                None,
            )?;
            found += 1;
        }
    }
    Ok(found)
}

/// The pairs of the contest that may not be assigned once `detect` has run: the standing
/// conflicts and the matches detection would add (a lifted conflict stays lifted). It writes
/// nothing, so reading the assignment instance shows what the next run will see.
pub fn standing(c: &mut DbConn, contest_id: i64) -> Result<BTreeSet<(i64, i64)>, AppError> {
    let rows: Vec<(i64, i64, Option<chrono::NaiveDateTime>)> = conflicts::table
        .inner_join(applications::table.on(applications::id.eq(conflicts::application_id)))
        .filter(applications::contest_id.eq(contest_id))
        .select((
            conflicts::judge_id,
            conflicts::application_id,
            conflicts::lifted_at,
        ))
        .load(c)?;
    let known: HashSet<(i64, i64)> = rows.iter().map(|(j, a, _)| (*j, *a)).collect();
    let mut out: BTreeSet<(i64, i64)> = rows
        .iter()
        .filter(|(_, _, lifted)| lifted.is_none())
        .map(|(j, a, _)| (*j, *a))
        .collect();
    out.extend(
        matches(c, contest_id)?
            .into_iter()
            .filter(|p| !known.contains(p)),
    );
    Ok(out)
}

/// Whether detection matches the pair, without writing.
pub fn pair_matches(c: &mut DbConn, judge: i64, application_id: i64) -> Result<bool, AppError> {
    let (app, applicant_email): (ApplicationRow, String) = applications::table
        .inner_join(users::table)
        .filter(applications::id.eq(application_id))
        .select((ApplicationRow::as_select(), users::email))
        .first(c)?;
    let (email, org, ties): (String, Option<String>, Option<String>) = users::table
        .left_join(judge_profiles::table)
        .filter(users::id.eq(judge))
        .select((
            users::email,
            judge_profiles::organization.nullable(),
            judge_profiles::affiliations.nullable(),
        ))
        .first(c)?;
    let ids = identities(&app, &applicant_email);
    Ok(judge_identities(
        org.as_deref().unwrap_or_default(),
        ties.as_deref().unwrap_or("[]"),
        &email,
    )
    .iter()
    .any(|k| ids.contains(k)))
}

/// Checks one pair the way `detect` does and records the conflict if it matches.
pub fn detect_pair(c: &mut DbConn, judge: i64, application_id: i64) -> Result<bool, AppError> {
    let hit = pair_matches(c, judge, application_id)?;
    if hit {
        add(
            c,
            judge,
            application_id,
            "detected",
            "same organization or email domain",
            None,
        )?;
    }
    Ok(hit)
}

#[cfg(test)]
mod tests;
