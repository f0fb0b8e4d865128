//! The demo's bulk rows, inserted directly in one transaction each: applicants and their
//! applications, judges with profiles and a few conflicts, and the scores of a round.

use diesel::prelude::*;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;

use super::{TRACKS, insert_user};
use crate::applications::model::ApplicationStatus;
use crate::auth::model::Role;
use crate::db::schema::{
    applications, assignments, conflicts, contest_judges, judge_profiles, reviews,
};
use crate::db::{DbConn, now};
use crate::error::AppError;
use crate::reviews::model::ReviewStatus;

const KO_NAMES: [&str; 12] = [
    "한빛",
    "누리",
    "다온",
    "별빛",
    "가람",
    "새봄",
    "온새미",
    "미르",
    "하람",
    "라온",
    "바다솔",
    "늘품",
];
const ZH_NAMES: [&str; 12] = [
    "云帆", "星河", "智源", "青禾", "启明", "锦程", "天工", "远航", "翰墨", "鲲鹏", "卓越", "灵犀",
];
const EN_NAMES: [&str; 12] = [
    "Lumen",
    "Northwind",
    "Quanta",
    "Evergreen",
    "Helix",
    "Orbit",
    "Cobalt",
    "Summit",
    "Vertex",
    "Harbor",
    "Aurora",
    "Pioneer",
];
const SUFFIX: [&str; 6] = ["Labs", "Robotics", "Bio", "Energy", "Mobility", "Studio"];
const KO_PEOPLE: [&str; 8] = [
    "김민준",
    "이서연",
    "박지호",
    "최수아",
    "정예준",
    "강하은",
    "조도윤",
    "윤지우",
];
const ZH_PEOPLE: [&str; 8] = [
    "王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "周婷",
];
const EN_PEOPLE: [&str; 8] = [
    "Alex Tan",
    "Maya Lim",
    "Sam Rivera",
    "Priya Nair",
    "Lucas Meyer",
    "Nora Haddad",
    "Ethan Ong",
    "Chloe Martin",
];

type People = (String, String, String, Vec<(i64, f64)>, Vec<(i64, f64)>);

/// Applicants with applications, judges with profiles, and a few conflicts. Returns sample
/// logins, each application's hidden quality and each judge's leniency.
pub(super) fn people(
    c: &mut DbConn,
    contest: i64,
    n_apps: usize,
    n_judges: usize,
    hash: &str,
) -> Result<People, AppError> {
    let mut rng = StdRng::seed_from_u64(2026);
    let t = now();
    let mut quality = Vec::new();
    let mut first_applicant = String::new();
    for i in 0..n_apps {
        let (name, native, country, city, founder, locale) = match i % 20 {
            0..=8 => {
                let k = KO_NAMES[i % 12];
                (
                    format!("{} {}", EN_NAMES[(i / 12) % 12], SUFFIX[i % 6]),
                    format!(
                        "{k}{}",
                        [
                            "랩스",
                            "로보틱스",
                            "바이오",
                            "에너지",
                            "모빌리티",
                            "스튜디오"
                        ][i % 6]
                    ),
                    "KR",
                    ["Suwon", "Seongnam", "Yongin", "Goyang"][i % 4],
                    KO_PEOPLE[i % 8],
                    "ko",
                )
            }
            9..=17 => {
                let z = ZH_NAMES[i % 12];
                (
                    format!("{} {}", EN_NAMES[(i / 12 + 5) % 12], SUFFIX[i % 6]),
                    format!(
                        "{z}{}",
                        ["科技", "机器人", "生物", "能源", "出行", "文创"][i % 6]
                    ),
                    "CN",
                    ["Hangzhou", "Shanghai", "Shenzhen", "Suzhou"][i % 4],
                    ZH_PEOPLE[i % 8],
                    "zh",
                )
            }
            _ => (
                format!(
                    "{} {} {}",
                    EN_NAMES[i % 12],
                    EN_NAMES[(i + 3) % 12],
                    SUFFIX[i % 6]
                ),
                String::new(),
                ["SG", "US", "DE", "VN"][i % 4],
                ["Singapore", "Boston", "Berlin", "Hanoi"][i % 4],
                EN_PEOPLE[i % 8],
                "en",
            ),
        };
        let name = format!("{name} {}", i + 1);
        let slug = name.to_lowercase().replace(' ', "-");
        // Each start-up has its own domain: a shared one would make every judge "conflicted".
        let email = format!("founder@{slug}.example");
        if i == 0 {
            first_applicant = email.clone();
        }
        let uid = insert_user(c, &email, Role::Applicant, founder, locale, hash)?;
        let status = match i {
            _ if i == n_apps - 1 => ApplicationStatus::Withdrawn,
            _ if i % 29 == 28 => ApplicationStatus::Draft,
            _ => ApplicationStatus::Submitted,
        };
        let (track, _, _, _) = TRACKS[i % 6];
        let site = format!("https://{slug}.example");
        let id: i64 = diesel::insert_into(applications::table)
            .values((
                applications::contest_id.eq(contest),
                applications::applicant_id.eq(uid),
                applications::status.eq(status),
                applications::company_name.eq(&name),
                applications::company_name_native.eq(&native),
                applications::country.eq(country),
                applications::city.eq(city),
                applications::founded_year.eq(Some(2018 + (i % 8) as i32)),
                applications::team_size.eq(Some(2 + (i % 35) as i32)),
                applications::stage.eq(["prototype", "mvp", "revenue", "growth"][i % 4]),
                applications::track.eq(track),
                applications::website.eq(&site),
                applications::summary.eq(format!("{name} builds {} products for customers in Korea and China.", TRACKS[i % 6].1)),
                applications::problem.eq("Customers lose time and money to a slow, manual process."),
                applications::solution.eq("A product that automates it, priced for small teams."),
                applications::market.eq("A growing market across East Asia, reachable through partners in both regions."),
                applications::traction.eq(format!("{} paying pilots, {}% month-on-month growth.", i % 7, 5 + i % 20)),
                applications::team.eq(json!([{"name": founder, "role": "CEO", "email": email}]).to_string()),
                applications::answers.eq(json!({"funding": (["none", "seed", "series_a"][i % 3]),
                    "founder_linkedin": format!("https://linkedin.example.com/in/{slug}")}).to_string()),
                applications::submitted_at.eq((status != ApplicationStatus::Draft).then_some(t)),
                applications::created_at.eq(t),
                applications::updated_at.eq(t),
            ))
            .returning(applications::id)
            .get_result(c)?;
        quality.push((id, rng.random_range(-1.5..1.5)));
    }

    let mut bias = Vec::new();
    let mut samples = (String::new(), String::new());
    for j in 0..n_judges {
        let (region, name, locale, org) = match j % 12 {
            0..=4 => (
                "KR",
                KO_PEOPLE[j % 8],
                "ko",
                [
                    "Han River Ventures",
                    "Gyeonggi Accelerator",
                    "Pangyo Partners",
                ][j % 3],
            ),
            5..=9 => (
                "CN",
                ZH_PEOPLE[j % 8],
                "zh",
                ["West Lake Capital", "Hangzhou Angels", "Qiantang Fund"][j % 3],
            ),
            _ => ("OTHER", EN_PEOPLE[j % 8], "en", "Pacific Seed"),
        };
        let domain = org.to_lowercase().replace(' ', "");
        let email = format!("judge{}@{domain}.example", j + 1);
        if region == "KR" && samples.0.is_empty() {
            samples.0 = email.clone();
        }
        if region == "CN" && samples.1.is_empty() {
            samples.1 = email.clone();
        }
        let uid = insert_user(
            c,
            &email,
            Role::Judge,
            &format!("{name} ({})", j + 1),
            locale,
            hash,
        )?;
        let expertise: serde_json::Map<String, serde_json::Value> = TRACKS
            .iter()
            .enumerate()
            .map(|(k, (key, ..))| {
                let level = if k == j % 6 {
                    3
                } else {
                    rng.random_range(0..=2)
                };
                (key.to_string(), json!(level))
            })
            .collect();
        diesel::insert_into(judge_profiles::table)
            .values((
                judge_profiles::user_id.eq(uid),
                judge_profiles::organization.eq(org),
                judge_profiles::region.eq(region),
                judge_profiles::expertise.eq(serde_json::Value::from(expertise).to_string()),
                judge_profiles::languages.eq(json!([locale, "en"]).to_string()),
                judge_profiles::capacity.eq((3 * n_apps / n_judges.max(1) + 6) as i32),
                judge_profiles::reminders.eq(true),
                judge_profiles::updated_at.eq(t),
            ))
            .execute(c)?;
        diesel::insert_into(contest_judges::table)
            .values((
                contest_judges::contest_id.eq(contest),
                contest_judges::user_id.eq(uid),
                contest_judges::invited_at.eq(t),
                contest_judges::accepted_at.eq(Some(t)),
            ))
            .execute(c)?;
        // A third lenient, a third harsh, a third fair: what z-scores are for.
        bias.push((uid, [0.8, -0.8, 0.0][j % 3]));
        // About one conflict per judge: an earlier employer, an investment.
        let (app, _) = quality[(j * 7 + 3) % quality.len()];
        diesel::insert_into(conflicts::table)
            .values((
                conflicts::judge_id.eq(uid),
                conflicts::application_id.eq(app),
                conflicts::source.eq(if j % 2 == 0 { "declared" } else { "admin" }),
                conflicts::reason.eq(if j % 2 == 0 {
                    "Former adviser to the team"
                } else {
                    "Fund holds shares"
                }),
                conflicts::created_by.eq(Some(uid)),
                conflicts::created_at.eq(t),
            ))
            .execute(c)?;
    }
    Ok((first_applicant, samples.0, samples.1, quality, bias))
}

/// Scores the round's assignments: `share` of them submitted (the rest left as drafts or not
/// started), each score = the application's quality + the judge's leniency + noise.
pub(super) fn score(
    c: &mut DbConn,
    round: i64,
    quality: &[(i64, f64)],
    bias: &[(i64, f64)],
    share: f64,
) -> Result<usize, AppError> {
    let mut rng = StdRng::seed_from_u64(round as u64);
    let t = now();
    let pairs: Vec<(i64, i64, i64)> = assignments::table
        .filter(assignments::round_id.eq(round))
        .select((
            assignments::id,
            assignments::judge_id,
            assignments::application_id,
        ))
        .order(assignments::id)
        .load(c)?;
    let mut n = 0;
    for (i, (id, judge, app)) in pairs.into_iter().enumerate() {
        let q = quality.iter().find(|(a, _)| *a == app).map_or(0.0, |x| x.1);
        let b = bias.iter().find(|(j, _)| *j == judge).map_or(0.0, |x| x.1);
        let roll: f64 = rng.random();
        let status = if roll < share {
            ReviewStatus::Submitted
        } else if roll < share + (1.0 - share) / 2.0 {
            ReviewStatus::Draft
        } else {
            continue;
        };
        let mut pick = |lo: i32, hi: i32| {
            let mid = (lo + hi) as f64 / 2.0;
            let spread = (hi - lo) as f64 / 4.0;
            let v = mid + spread * (q + b + rng.random_range(-0.7..0.7));
            (v.round() as i32).clamp(lo, hi)
        };
        let scores = json!({"team": pick(1, 5), "market": pick(1, 5), "product": pick(1, 10), "global": pick(1, 5)});
        let comment = [
            "Clear plan; show more evidence of demand in China.",
            "Strong founders. The go-to-market in Korea needs partners.",
            "Promising technology, early traction.",
            "Focus on one customer segment first.",
        ][i % 4];
        diesel::insert_into(reviews::table)
            .values((
                reviews::assignment_id.eq(id),
                reviews::status.eq(status),
                reviews::scores.eq(scores.to_string()),
                reviews::comment_applicant.eq(comment),
                reviews::comment_private.eq(""),
                reviews::version.eq(1),
                reviews::submitted_at.eq((status == ReviewStatus::Submitted).then_some(t)),
                reviews::created_at.eq(t),
                reviews::updated_at.eq(t),
            ))
            .execute(c)?;
        n += usize::from(status == ReviewStatus::Submitted);
    }
    Ok(n)
}
