//! `jury seed-demo`: a realistic contest so a newcomer sees every screen full. Six tracks, 120
//! applications with Korean, Chinese and English names, 24 judges from both regions (some
//! lenient, some harsh), conflicts, a first round judged, advanced and published, and a final
//! round half way through judging.
//!
//! Bulk rows (accounts, applications, judges, scores) are inserted directly, in one
//! transaction each; everything with rules (rounds, rubric, transitions, the solver, advancing,
//! publishing) goes through the same services the API uses, so the demo is what a real contest
//! would leave behind, audit trail included.

use diesel::prelude::*;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;

use crate::AppState;
use crate::auth::extract::AuthUser;
use crate::auth::model::Role;
use crate::db::schema::{
    applications, assignments, conflicts, contest_judges, contests, judge_profiles, reviews, users,
};
use crate::db::{self, DbConn, now};
use crate::error::AppError;

pub const PASSWORD: &str = "demo passphrase 2026";
pub const SLUG: &str = "gsc-demo";
const TRACKS: [(&str, &str, &str, &str); 6] = [
    ("ai", "AI & Data", "AI·데이터", "人工智能与数据"),
    ("robotics", "Robotics", "로보틱스", "机器人"),
    ("bio", "Bio & Health", "바이오·헬스", "生物与健康"),
    ("energy", "Climate & Energy", "기후·에너지", "气候与能源"),
    ("mobility", "Mobility", "모빌리티", "出行"),
    ("content", "Culture & Content", "문화·콘텐츠", "文化与内容"),
];
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

/// What was created, for the closing message.
pub struct Demo {
    pub contest: i64,
    pub admin_email: String,
    pub judge_kr_email: String,
    pub judge_cn_email: String,
    pub applicant_email: String,
    pub applications: usize,
    pub judges: usize,
    pub reviews: usize,
}

fn as_admin(id: i64, email: &str) -> AuthUser {
    AuthUser {
        id,
        role: Role::Admin,
        email: email.into(),
        name: "Demo Admin".into(),
        locale: "en".into(),
    }
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(v).map_err(|e| AppError::Internal(format!("demo input: {e}")))
}

fn insert_user(
    c: &mut DbConn,
    email: &str,
    role: &str,
    name: &str,
    locale: &str,
    hash: &str,
) -> Result<i64, AppError> {
    let t = now();
    Ok(diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::password_hash.eq(Some(hash)),
            users::name.eq(name),
            users::locale.eq(locale),
            users::role.eq(role),
            users::verified_at.eq(Some(t)),
            users::token_version.eq(0),
            users::created_at.eq(t),
            users::updated_at.eq(t),
        ))
        .returning(users::id)
        .get_result(c)?)
}

/// Seeds the demo. Refuses with 409 `demo_exists` when it is already there.
pub async fn seed(state: &AppState, n_apps: usize, n_judges: usize) -> Result<Demo, AppError> {
    let exists = db::run(&state.db, |c| {
        Ok(contests::table
            .filter(contests::slug.eq(SLUG))
            .count()
            .get_result::<i64>(c)?)
    })
    .await?;
    if exists > 0 {
        return Err(AppError::Conflict {
            code: "demo_exists",
            message: "the demo contest is already in this database".into(),
        });
    }
    let hash = state.hasher.hash(PASSWORD.into()).await?;
    let admin_email = "admin@gsc-demo.example".to_string();
    let h = hash.clone();
    let admin_id = db::write(&state.db, move |c| {
        insert_user(c, "admin@gsc-demo.example", "admin", "Demo Admin", "en", &h)
    })
    .await?;
    let admin = as_admin(admin_id, &admin_email);

    let t = chrono::Utc::now();
    let contest = crate::contests::service::create(
        state,
        &admin,
        from(json!({
            "slug": SLUG,
            "name": {"en": "Gyeonggi–Hangzhou Global Start-up Contest (demo)", "ko": "경기–항저우 글로벌 스타트업 콘테스트 (데모)", "zh": "京畿–杭州全球创业大赛（演示）"},
            "description": {"en": "Start-ups from Korea, China and everywhere compete for investment and soft-landing support in both regions.",
                "ko": "한국, 중국, 전 세계 스타트업이 두 지역의 투자와 현지 진출 지원을 두고 경쟁합니다.",
                "zh": "来自韩国、中国及世界各地的创业公司角逐两地的投资与落地支持。"},
            "timezone": "Asia/Seoul",
            "tracks": TRACKS.iter().map(|(k, en, ko, zh)| json!({"key": k, "name": {"en": en, "ko": ko, "zh": zh}})).collect::<Vec<_>>(),
            "opens_at": t - chrono::Duration::days(60),
            "closes_at": t - chrono::Duration::days(20),
            "eligibility": {},
            "published": true
        }))?,
    )
    .await?
    .id;

    let h = hash.clone();
    let (applicant_email, judge_kr_email, judge_cn_email, quality, bias) =
        db::write(&state.db, move |c| people(c, contest, n_apps, n_judges, &h)).await?;

    // Round 1: blind screening, three judges each, z-scores against lenient and harsh judges.
    let round1 = crate::rounds::service::create(
        state,
        &admin,
        contest,
        from(json!({"name": {"en": "Online screening", "ko": "온라인 서류 심사", "zh": "线上初审"},
            "reviews_per_application": 3, "blind": true, "blind_shows_deck": true,
            "ranking_method": "zscore", "feedback_to_applicants": true,
            "judging_opens_at": t - chrono::Duration::days(18), "judging_closes_at": t - chrono::Duration::days(4)}))?,
    )
    .await?
    .id;
    crate::rounds::service::put_rubric(state, &admin, round1, from(rubric())?).await?;
    let to = |s: &str| from::<crate::rounds::api::Transition>(json!({"to": s, "confirm": true}));
    crate::rounds::service::transition(state, &admin, round1, to("judging")?).await?;
    crate::assignments::auto::run(state, &admin, round1, from(json!({}))?).await?;
    let (q, b) = (quality.clone(), bias.clone());
    let reviews1 = db::write(&state.db, move |c| score(c, round1, &q, &b, 1.0)).await?;
    crate::rounds::service::transition(state, &admin, round1, to("closed")?).await?;
    let advance = json!({"mode": "top", "n": (n_apps / 4).max(1)});
    crate::results::service::advance(state, &admin, round1, from(advance)?).await?;
    crate::results::publish::publish(state, &admin, round1).await?;

    // Round 2: the live final, open and half scored, so judges see a queue in progress.
    let round2 = crate::rounds::service::create(
        state,
        &admin,
        contest,
        from(json!({"name": {"en": "Pitch-day final", "ko": "본선 피칭", "zh": "路演决赛"},
            "reviews_per_application": 5, "blind": false, "ranking_method": "trimmed",
            "feedback_to_applicants": true,
            "judging_opens_at": t - chrono::Duration::days(1), "judging_closes_at": t + chrono::Duration::days(6)}))?,
    )
    .await?
    .id;
    crate::rounds::service::put_rubric(state, &admin, round2, from(rubric())?).await?;
    crate::rounds::service::transition(state, &admin, round2, to("judging")?).await?;
    crate::assignments::auto::run(state, &admin, round2, from(json!({}))?).await?;
    let reviews2 = db::write(&state.db, move |c| score(c, round2, &quality, &bias, 0.5)).await?;

    Ok(Demo {
        contest,
        admin_email,
        judge_kr_email,
        judge_cn_email,
        applicant_email,
        applications: n_apps,
        judges: n_judges,
        reviews: reviews1 + reviews2,
    })
}

fn rubric() -> serde_json::Value {
    json!({"criteria": [
        {"key": "team", "name": {"en": "Team", "ko": "팀 역량", "zh": "团队"}, "weight": 3.0, "min": 1, "max": 5,
         "guidance": {"en": "Can this team build and sell it?", "ko": "이 팀이 만들고 팔 수 있는가?", "zh": "这个团队能做出来并卖出去吗？"}},
        {"key": "market", "name": {"en": "Market", "ko": "시장성", "zh": "市场"}, "weight": 2.0, "min": 1, "max": 5,
         "guidance": {"en": "Is the market large and reachable?", "ko": "시장이 크고 접근 가능한가?", "zh": "市场是否足够大且可触达？"}},
        {"key": "product", "name": {"en": "Product & technology", "ko": "제품·기술", "zh": "产品与技术"}, "weight": 2.0, "min": 1, "max": 10},
        {"key": "global", "name": {"en": "Fit for Korea–China expansion", "ko": "한중 진출 적합성", "zh": "中韩拓展契合度"}, "weight": 1.0, "min": 1, "max": 5}
    ]})
}

type People = (String, String, String, Vec<(i64, f64)>, Vec<(i64, f64)>);

/// Applicants with applications, judges with profiles, and a few conflicts. Returns sample
/// logins, each application's hidden quality and each judge's leniency.
fn people(
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
        let uid = insert_user(c, &email, "applicant", founder, locale, hash)?;
        let status = match i {
            _ if i == n_apps - 1 => "withdrawn",
            _ if i % 29 == 28 => "draft",
            _ => "submitted",
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
                applications::submitted_at.eq((status != "draft").then_some(t)),
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
            "judge",
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
fn score(
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
            "submitted"
        } else if roll < share + (1.0 - share) / 2.0 {
            "draft"
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
                reviews::submitted_at.eq((status == "submitted").then_some(t)),
                reviews::created_at.eq(t),
                reviews::updated_at.eq(t),
            ))
            .execute(c)?;
        n += usize::from(status == "submitted");
    }
    Ok(n)
}
