//! `jury seed-demo`: a realistic contest so a newcomer sees every screen full. Six tracks, 120
//! applications with Korean, Chinese and English names, 24 judges from both regions (some
//! lenient, some harsh), conflicts, two organisers (issue 22) whose preliminaries were judged
//! side by side, advanced and published, and their joint final half way through judging.
//!
//! Bulk rows (accounts, applications, judges, scores) are inserted directly, in one
//! transaction each; everything with rules (rounds, rubric, transitions, the solver, advancing,
//! publishing) goes through the same services the API uses, so the demo is what a real contest
//! would leave behind, audit trail included.

use diesel::prelude::*;
use serde_json::json;

mod joint;
mod rows;

use rows::{people, score};

use crate::auth::extract::AuthUser;
use crate::auth::model::Role;
use crate::db::schema::{contests, users};
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model::RoundState;
use crate::state::AppState;

pub const PASSWORD: &str = "demo passphrase 2026";
pub const SLUG: &str = "gsc-demo";
pub(super) const TRACKS: [(&str, &str, &str, &str); 6] = [
    ("ai", "AI & Data", "AI·데이터", "人工智能与数据"),
    ("robotics", "Robotics", "로보틱스", "机器人"),
    ("bio", "Bio & Health", "바이오·헬스", "生物与健康"),
    ("energy", "Climate & Energy", "기후·에너지", "气候与能源"),
    ("mobility", "Mobility", "모빌리티", "出行"),
    ("content", "Culture & Content", "문화·콘텐츠", "文化与内容"),
];
/// What was created, for the closing message.
pub struct Demo {
    pub contest: i64,
    pub admin_email: String,
    pub judge_kr_email: String,
    pub judge_cn_email: String,
    /// The Korean and the Chinese organiser's staff.
    pub staff_emails: Vec<String>,
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
        session: String::new(),
        verified: true,
        created_at: crate::db::now(),
        organisation_id: None,
    }
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(v).map_err(|e| AppError::Internal(format!("demo input: {e}")))
}

pub(super) fn insert_user(
    c: &mut DbConn,
    email: &str,
    role: Role,
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
            code: ErrorCode::DemoExists,
            message: "the demo contest is already in this database".into(),
        });
    }
    let hash = state.hasher.hash(PASSWORD.into()).await?;
    let admin_email = "admin@gsc-demo.example".to_string();
    let h = hash.clone();
    let admin_id = db::write(&state.db, move |c| {
        insert_user(
            c,
            "admin@gsc-demo.example",
            Role::Admin,
            "Demo Admin",
            "en",
            &h,
        )
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
            "published": true,
            "awards": [
                {"key": "grand", "name": {"en": "Grand Prize", "ko": "대상", "zh": "特等奖"}, "places": 1,
                 "prize": {"en": "KRW 30,000,000 and a place in a Hangzhou incubator", "ko": "상금 3,000만 원과 항저우 인큐베이터 입주", "zh": "奖金 3000 万韩元及杭州孵化器入驻"}},
                {"key": "excellence", "name": {"en": "Excellence Award", "ko": "최우수상", "zh": "优秀奖"}, "places": 2},
                {"key": "merit", "name": {"en": "Merit Award", "ko": "우수상", "zh": "鼓励奖"}, "places": 3}
            ],
            "questions": [
                {"key": "funding", "kind": "single_choice",
                 "label": {"en": "Funding raised so far", "ko": "지금까지 받은 투자", "zh": "迄今获得的融资"},
                 "options": [
                    {"key": "none", "label": {"en": "None yet", "ko": "아직 없음", "zh": "尚无"}},
                    {"key": "seed", "label": {"en": "Seed", "ko": "시드", "zh": "种子轮"}},
                    {"key": "series_a", "label": {"en": "Series A or later", "ko": "시리즈 A 이상", "zh": "A 轮及以后"}}
                 ]},
                {"key": "founder_linkedin", "kind": "url", "identifying": true,
                 "label": {"en": "Founder's LinkedIn page", "ko": "대표자 링크드인 페이지", "zh": "创始人领英主页"}}
            ]
        }))?,
    )
    .await?
    .id;

    let h = hash.clone();
    let (applicant_email, judge_kr_email, judge_cn_email, quality, bias) =
        db::write(&state.db, move |c| people(c, contest, n_apps, n_judges, &h)).await?;

    // Stage 1: two preliminaries side by side, one per organiser, each run by its own staff
    // with its own judges: blind screening, three judges each, z-scores against lenient and
    // harsh judges; each advances its best and publishes on its own.
    let sides = joint::sides(state, &admin, contest, &hash).await?;
    let to =
        |s: RoundState| from::<crate::rounds::api::Transition>(json!({"to": s, "confirm": true}));
    let mut reviews1 = 0;
    let mut staff_emails = Vec::new();
    let mut prelims = Vec::new();
    for (side, name, route) in [
        (
            &sides[0],
            json!({"en": "Korean preliminary", "ko": "한국 예선", "zh": "韩国预选赛"}),
            json!({"countries": ["KR"]}),
        ),
        (
            &sides[1],
            json!({"en": "Chinese & international preliminary", "ko": "중국·국제 예선", "zh": "中国及国际预选赛"}),
            json!({}),
        ),
    ] {
        let round = crate::rounds::service::create(
            state,
            &admin,
            contest,
            from(json!({"name": name, "organisation_id": side.organisation, "stage": 1, "route": route,
                "reviews_per_application": 3, "blind": true, "blind_shows_deck": true,
                "ranking_method": "zscore", "feedback_to_applicants": true,
                "judging_opens_at": t - chrono::Duration::days(18), "judging_closes_at": t - chrono::Duration::days(4)}))?,
        )
        .await?
        .id;
        crate::rounds::service::put_rubric(state, &side.staff, round, from(rubric())?).await?;
        prelims.push(round);
    }
    joint::balance(state, &admin, contest, [prelims[0], prelims[1]]).await?;
    for (side, &round) in sides.iter().zip(&prelims) {
        let staff = &side.staff;
        crate::rounds::service::transition(state, staff, round, to(RoundState::Judging)?).await?;
        crate::assignments::auto::run(state, staff, round, from(json!({}))?).await?;
        let (q, b) = (quality.clone(), bias.clone());
        reviews1 += db::write(&state.db, move |c| score(c, round, &q, &b, 1.0)).await?;
        crate::rounds::service::transition(state, staff, round, to(RoundState::Closed)?).await?;
        let advance = json!({"mode": "top", "n": (n_apps / 8).max(1)});
        crate::results::service::advance(state, staff, round, from(advance)?).await?;
        crate::results::publish::publish(state, staff, round, false).await?;
        staff_emails.push(staff.email.clone());
    }

    // Round 2: the live final, open and half scored, so judges see a queue in progress.
    let round2 = crate::rounds::service::create(
        state,
        &admin,
        contest,
        from(json!({"name": {"en": "Joint pitch-day final", "ko": "공동 본선 피칭", "zh": "联合路演决赛"},
            "stage": 2, "reviews_per_application": 5, "blind": false, "ranking_method": "trimmed",
            "feedback_to_applicants": true,
            "judging_opens_at": t - chrono::Duration::days(1), "judging_closes_at": t + chrono::Duration::days(6)}))?,
    )
    .await?
    .id;
    crate::rounds::service::put_rubric(state, &admin, round2, from(rubric())?).await?;
    crate::rounds::service::transition(state, &admin, round2, to(RoundState::Judging)?).await?;
    crate::assignments::auto::run(state, &admin, round2, from(json!({}))?).await?;
    let reviews2 = db::write(&state.db, move |c| score(c, round2, &quality, &bias, 0.5)).await?;
    // Pitch day is ready to run: the final is live with its panel, in entry order, shown on
    // the projector in Korean and Chinese (the organiser makes the display link on the board).
    crate::live::service::configure(
        state,
        &admin,
        round2,
        from(
            json!({"pitch_secs": 300, "qa_secs": 180, "grace_secs": 60, "languages": ["ko", "zh"]}),
        )?,
    )
    .await?;

    Ok(Demo {
        contest,
        admin_email,
        judge_kr_email,
        judge_cn_email,
        applicant_email,
        staff_emails,
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
