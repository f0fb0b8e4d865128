//! What a submitted application must hold: the completeness check that gates submission and
//! the contest's eligibility rules.

use serde::Serialize;
use utoipa::ToSchema;

use crate::contests::api::Eligibility;
use crate::error::FieldErrors;

#[derive(Debug, Serialize, ToSchema)]
pub struct Completeness {
    /// 0–100, share of required items present.
    pub percent: u8,
    /// Required fields still missing (`deck` for the pitch deck, `answers.<key>` for a required
    /// question of the contest).
    pub missing: Vec<String>,
}

/// The fields a submitted application must have, in form order.
pub struct Presence<'a> {
    pub company_name: &'a str,
    pub country: &'a str,
    pub city: &'a str,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    pub stage: &'a str,
    pub track: &'a str,
    pub summary: &'a str,
    pub problem: &'a str,
    pub solution: &'a str,
    pub market: &'a str,
    pub team_members: usize,
    pub has_deck: bool,
}

/// `extra`: further required items (the contest's own required questions) and whether each
/// is present, checked after the standard fields.
pub fn completeness(p: &Presence<'_>, extra: &[(String, bool)]) -> Completeness {
    let standard = [
        ("company_name", !p.company_name.trim().is_empty()),
        ("country", !p.country.is_empty()),
        ("city", !p.city.trim().is_empty()),
        ("founded_year", p.founded_year.is_some()),
        ("team_size", p.team_size.is_some()),
        ("stage", !p.stage.is_empty()),
        ("track", !p.track.is_empty()),
        ("summary", !p.summary.trim().is_empty()),
        ("problem", !p.problem.trim().is_empty()),
        ("solution", !p.solution.trim().is_empty()),
        ("market", !p.market.trim().is_empty()),
        ("team", p.team_members > 0),
        ("deck", p.has_deck),
    ];
    let checks: Vec<(&str, bool)> = standard
        .into_iter()
        .chain(extra.iter().map(|(f, ok)| (f.as_str(), *ok)))
        .collect();
    let missing: Vec<String> = checks
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(f, _)| f.to_string())
        .collect();
    let percent = ((checks.len() - missing.len()) * 100 / checks.len()) as u8;
    Completeness { percent, missing }
}

/// Eligibility rules of the contest, checked at submission.
pub fn eligibility(
    rules: &Eligibility,
    founded_year: Option<i32>,
    country: &str,
    closes_year: i32,
    e: &mut FieldErrors,
) {
    if let (Some(max), Some(y)) = (rules.founded_within_years, founded_year)
        && closes_year - y > max
    {
        e.add("founded_year", "not_eligible");
    }
    if !rules.allowed_countries.is_empty() && !rules.allowed_countries.iter().any(|c| c == country)
    {
        e.add("country", "not_eligible");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness_lists_missing_in_order() {
        let p = Presence {
            company_name: "Acme",
            country: "KR",
            city: "",
            founded_year: Some(2022),
            team_size: None,
            stage: "mvp",
            track: "ai",
            summary: "s",
            problem: "p",
            solution: "s",
            market: "m",
            team_members: 1,
            has_deck: false,
        };
        let c = completeness(&p, &[]);
        assert_eq!(c.missing, vec!["city", "team_size", "deck"]);
        assert_eq!(c.percent, 76);
        let c = completeness(&p, &[("answers.revenue".into(), false)]);
        assert_eq!(
            c.missing,
            vec!["city", "team_size", "deck", "answers.revenue"]
        );
        assert_eq!(c.percent, 71);
        let c = completeness(&p, &[]);
        assert_eq!(c.missing, vec!["city", "team_size", "deck"]);
        assert_eq!(c.percent, 76);
    }

    #[test]
    fn eligibility_rules() {
        let rules = Eligibility {
            founded_within_years: Some(7),
            allowed_countries: vec!["KR".into(), "CN".into()],
        };
        let mut e = FieldErrors::default();
        eligibility(&rules, Some(2019), "KR", 2026, &mut e);
        assert!(e.is_empty());
        eligibility(&rules, Some(2018), "JP", 2026, &mut e);
        assert_eq!(e.0.len(), 2);
    }
}
