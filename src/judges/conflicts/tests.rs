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
