//! Joint organisers (issue 22) as the tests build them: organisations, their staff (invited
//! through the API and accepted through the emailed link), preliminaries routed by country,
//! a joint final, and applications from each side.

use actix_web::http::Method;
use serde_json::{Value, json};

use super::{TestApp, User, complete_fields, rand_suffix, rubric};

/// Two organisations, their staff, a preliminary each (KR, CN) and the joint final.
pub struct Joint {
    pub contest: i64,
    pub orgs: [i64; 2],
    pub staff: [User; 2],
    pub prelims: [i64; 2],
    pub final_round: i64,
}

impl TestApp {
    pub async fn organisation(&self, owner: &User, contest: i64, region: &str) -> i64 {
        let name = match region {
            "KR" => {
                json!({"en": "Gyeonggi Business & Science Accelerator", "ko": "경기도경제과학진흥원", "zh": "京畿道经济科学振兴院"})
            }
            _ => {
                json!({"en": "Hangzhou Global Innovation Center", "ko": "항저우 글로벌 혁신센터", "zh": "杭州全球创新中心"})
            }
        };
        let res = self
            .post(&format!("/api/v1/contests/{contest}/organisations"))
            .by(owner)
            .json(&json!({"name": name, "region": region}))
            .await;
        assert_eq!(res.status, 201, "organisation: {}", res.text);
        res.body["id"].as_i64().expect("organisation id")
    }

    /// A staff member of `org`, invited by the owner, accepted through the mail, signed in.
    pub async fn staff(&self, owner: &User, org: i64) -> User {
        let email = format!("staff{}@org{org}.example", rand_suffix());
        let res = self
            .post(&format!("/api/v1/organisations/{org}/staff"))
            .by(owner)
            .json(&json!({"email": email, "name": "Sam Staff", "locale": "en"}))
            .await;
        assert_eq!(res.status, 201, "invite staff: {}", res.text);
        self.accept_invitation(&email).await
    }

    pub async fn round_with(&self, owner: &User, contest: i64, body: Value) -> i64 {
        let res = self
            .post(&format!("/api/v1/contests/{contest}/rounds"))
            .by(owner)
            .json(&body)
            .await;
        assert_eq!(res.status, 201, "round: {}", res.text);
        let round = res.body["id"].as_i64().expect("round id");
        let res = self
            .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
            .by(owner)
            .json(&rubric())
            .await;
        assert_eq!(res.status, 200, "rubric: {}", res.text);
        round
    }

    /// A submitted application from `country`.
    pub async fn submitted_from(&self, contest: i64, country: &str, n: usize) -> i64 {
        let founder = self.applicant().await;
        let id = self.draft_application(&founder, contest).await;
        let mut f = complete_fields();
        f["company_name"] = json!(format!("{country} Startup {n}"));
        f["country"] = json!(country);
        let res = self
            .patch(&format!("/api/v1/applications/{id}"))
            .by(&founder)
            .json(&f)
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        let deck = jury::applications::pdf::sample("Deck");
        assert_eq!(
            self.upload(&founder, id, "deck.pdf", deck).await.status,
            201
        );
        let res = self
            .post(&format!("/api/v1/applications/{id}/submit"))
            .by(&founder)
            .send()
            .await;
        assert_eq!(res.status, 200, "submit: {}", res.text);
        id
    }

    /// The joint shape: organisations KR and CN with one staff member each, a preliminary
    /// each routed by country (stage 1), and the owner's joint final (stage 2).
    pub async fn joint(&self, owner: &User) -> Joint {
        let contest = self.contest(owner).await;
        let kr = self.organisation(owner, contest, "KR").await;
        let cn = self.organisation(owner, contest, "CN").await;
        let staff = [self.staff(owner, kr).await, self.staff(owner, cn).await];
        let mut prelims = [0; 2];
        for (i, (org, country, name)) in [
            (kr, "KR", "Korean preliminary"),
            (cn, "CN", "Chinese preliminary"),
        ]
        .into_iter()
        .enumerate()
        {
            prelims[i] = self
                .round_with(
                    owner,
                    contest,
                    json!({"name": {"en": name}, "reviews_per_application": 2,
                    "organisation_id": org, "stage": 1, "route": {"countries": [country]}}),
                )
                .await;
        }
        let final_round = self
            .round_with(
                owner,
                contest,
                json!({"name": {"en": "Joint final"}, "reviews_per_application": 2, "stage": 2}),
            )
            .await;
        Joint {
            contest,
            orgs: [kr, cn],
            staff,
            prelims,
            final_round,
        }
    }
}
