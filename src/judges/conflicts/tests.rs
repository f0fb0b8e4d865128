//! Unit tests of `conflicts`.

use super::*;

#[test]
fn organizations_normalize_across_suffixes_and_languages() {
    assert_eq!(
        normalize_org("Hanbit Robotics Co., Ltd."),
        normalize_org("hanbit  robotics")
    );
    assert_eq!(
        normalize_org("(주)한빛로보틱스"),
        normalize_org("한빛로보틱스 주식회사")
    );
    assert_eq!(
        normalize_org("杭州云智科技有限公司"),
        normalize_org("杭州云智")
    );
    assert_ne!(normalize_org("Hanbit"), normalize_org("Hanbat"));
    assert_eq!(
        normalize_org("Cocoa Company"),
        "cocoa",
        "suffixes go only as whole words"
    );
}

#[test]
fn domains_ignore_webmail() {
    assert_eq!(domain_of_email("a@hanbit.kr"), Some("hanbit.kr".into()));
    assert_eq!(domain_of_email("a@naver.com"), None);
    assert_eq!(
        domain_of_url("https://www.Hanbit.kr/about"),
        Some("hanbit.kr".into())
    );
}

#[test]
fn declared_organisations_count_like_the_organization_in_every_script() {
    let ties = r#"[{"name":"(주)한빛로보틱스","kind":"investment"},
                   {"name":"杭州云智科技有限公司","kind":"family"},
                   {"name":"X","kind":"advisory"}]"#;
    let ids = judge_identities("Seoul University", ties, "judge@naver.com");
    assert!(ids.contains(&format!("org:{}", normalize_org("Seoul University"))));
    assert!(ids.contains(&format!("org:{}", normalize_org("한빛로보틱스 주식회사"))));
    assert!(ids.contains(&format!("org:{}", normalize_org("杭州云智"))));
    assert_eq!(
        ids.len(),
        3,
        "too short a name and webmail identify nobody: {ids:?}"
    );
    assert_eq!(
        judge_identities("", "not json", "a@b.kr"),
        vec!["domain:b.kr"]
    );
}
