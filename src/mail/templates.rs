//! Email templates compiled into the binary: subject, text and HTML per locale, `{name}`
//! placeholders. Values are HTML-escaped in the HTML part; the text part takes them as they are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

const SOURCES: [(&str, &str); 3] = [
    ("en", include_str!("templates/en.toml")),
    ("ko", include_str!("templates/ko.toml")),
    ("zh", include_str!("templates/zh.toml")),
];

#[derive(Debug, Deserialize)]
struct Layout {
    footer: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Deserialize)]
struct LocaleFile {
    layout: Layout,
    #[serde(flatten)]
    templates: BTreeMap<String, Template>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Templates {
    locales: BTreeMap<&'static str, LocaleFile>,
}

impl Templates {
    pub fn load() -> Result<Templates, String> {
        let mut locales = BTreeMap::new();
        for (locale, src) in SOURCES {
            let file: LocaleFile =
                toml::from_str(src).map_err(|e| format!("templates/{locale}.toml: {e}"))?;
            locales.insert(locale, file);
        }
        Ok(Templates { locales })
    }

    pub fn names(&self) -> Vec<String> {
        self.locales
            .get("en")
            .map(|f| f.templates.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Renders `name` in `locale`, falling back to English for an unknown locale.
    pub fn render(
        &self,
        name: &str,
        locale: &str,
        vars: &[(&str, &str)],
    ) -> Result<Rendered, String> {
        let file = self
            .locales
            .get(locale)
            .or_else(|| self.locales.get("en"))
            .ok_or("no English templates")?;
        let t = file
            .templates
            .get(name)
            .ok_or_else(|| format!("unknown template {name:?}"))?;
        let subject = fill(&t.subject, vars, |s| s.replace(['\r', '\n'], " "));
        let text = format!(
            "{}\n-- \n{}\n",
            fill(&t.text, vars, str::to_string).trim(),
            file.layout.footer
        );
        let html = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body style=\"font-family:system-ui,sans-serif;line-height:1.6;color:#1f2933;max-width:36rem;margin:auto;padding:1rem\">\
             <p style=\"font-weight:600;color:#2454d6\">Jury</p>{body}\
             <hr style=\"border:none;border-top:1px solid #d9dee5\"><p style=\"font-size:.85em;color:#52606d\">{footer}</p></body></html>",
            lang = if locale == "zh" { "zh-Hans" } else { locale },
            title = escape(&subject),
            body = fill(&t.html, vars, escape),
            footer = escape(&file.layout.footer),
        );
        Ok(Rendered {
            subject,
            text,
            html,
        })
    }
}

/// Sample values for every placeholder, in the recipient's language: the admin preview and the
/// snapshot tests render with these.
pub fn sample_vars(locale: &str) -> Vec<(&'static str, String)> {
    let (name, company, round, contest, feedback, reason, track) = match locale {
        "ko" => (
            "김민준",
            "한빛로보틱스",
            "온라인 서류 심사",
            "글로벌 스타트업 콘테스트 2026",
            "팀 구성이 탄탄합니다.",
            "제출 서류가 자격 요건을 충족하지 않습니다.",
            "AI·데이터",
        ),
        "zh" => (
            "王伟",
            "云帆科技",
            "线上初审",
            "2026 全球创业大赛",
            "团队扎实，市场清晰。",
            "申请材料不符合参赛资格。",
            "人工智能与数据",
        ),
        _ => (
            "Alex Tan",
            "Lumen Labs",
            "Online screening",
            "Global Start-up Contest 2026",
            "A strong team; show more evidence of demand.",
            "The application does not meet the eligibility rules.",
            "AI & Data",
        ),
    };
    // An announcement's subject and body are the administrator's own words.
    let (subject, body) = match locale {
        "ko" => (
            "결선 발표회 일정 안내",
            "결선 발표회는 12월 18일 오후 2시 경기 스타트업 캠퍼스에서 열립니다.\n발표 자료는 12월 15일까지 올려 주세요.",
        ),
        "zh" => (
            "决赛路演安排",
            "决赛路演将于12月18日下午2点在京畿创业园举行。\n请在12月15日前上传路演材料。",
        ),
        _ => (
            "Final pitch day schedule",
            "The final pitch day is on 18 December at 2 pm at the Gyeonggi Start-up Campus.\nPlease upload your slides by 15 December.",
        ),
    };
    let base = "https://jury.example.org";
    vec![
        ("name", name.into()),
        ("company", company.into()),
        ("round", round.into()),
        ("contest", contest.into()),
        ("feedback", feedback.into()),
        ("reason", reason.into()),
        ("track", track.into()),
        ("summary", format!("{company} · {track}")),
        ("count", "7".into()),
        ("days", "7".into()),
        (
            "organisation",
            match locale {
                "ko" => "경기도경제과학진흥원",
                "zh" => "京畿道经济科学振兴院",
                _ => "Gyeonggi Business & Science Accelerator",
            }
            .into(),
        ),
        ("deadline", "2026-12-15 18:00 UTC".into()),
        ("when", "2026-11-29 10:00 UTC".into()),
        ("expires", "2026-12-18 20:00".into()),
        ("email", "founder@example.org".into()),
        ("link", format!("{base}/judge")),
        ("login_link", format!("{base}/login")),
        ("reset_link", format!("{base}/forgot-password")),
        (
            "award",
            match locale {
                "ko" => "대상",
                "zh" => "特等奖",
                _ => "Grand Prize",
            }
            .into(),
        ),
        (
            "prize",
            match locale {
                "ko" => "상금 3,000만 원과 항저우 인큐베이터 입주",
                "zh" => "奖金 3000 万韩元及杭州孵化器入驻",
                _ => "KRW 30,000,000 and a place in a Hangzhou incubator",
            }
            .into(),
        ),
        ("rank", "4".into()),
        ("entries", "30".into()),
        ("subject", subject.into()),
        ("body", body.into()),
    ]
}

fn fill(template: &str, vars: &[(&str, &str)], encode: impl Fn(&str) -> String) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), &encode(v));
    }
    out
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `{placeholders}` a template uses, for the consistency test.
#[cfg(test)]
fn placeholders(t: &Template) -> std::collections::BTreeSet<String> {
    let mut set = std::collections::BTreeSet::new();
    for part in [&t.subject, &t.text, &t.html] {
        let mut rest = part.as_str();
        while let Some(start) = rest.find('{') {
            rest = &rest[start + 1..];
            if let Some(end) = rest.find('}') {
                set.insert(rest[..end].to_string());
                rest = &rest[end + 1..];
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_the_same_templates_and_placeholders() {
        let t = Templates::load().unwrap();
        let en = &t.locales["en"].templates;
        for (locale, file) in &t.locales {
            assert_eq!(
                file.templates.keys().collect::<Vec<_>>(),
                en.keys().collect::<Vec<_>>(),
                "{locale}"
            );
            for (name, tpl) in &file.templates {
                assert_eq!(
                    placeholders(tpl),
                    placeholders(&en[name]),
                    "{locale}/{name}"
                );
            }
        }
    }

    #[test]
    fn html_values_are_escaped_and_subjects_single_line() {
        let t = Templates::load().unwrap();
        let r = t
            .render(
                "password_changed",
                "ko",
                &[
                    ("name", "<b>김\n민준</b>"),
                    ("email", "a@b.kr"),
                    ("when", "now"),
                    ("link", "http://x/"),
                ],
            )
            .unwrap();
        assert!(r.html.contains("&lt;b&gt;"));
        assert!(!r.html.contains("<b>김"));
        assert!(r.text.contains("<b>김"));
        assert!(r.subject.contains("비밀번호"));
        assert!(!r.subject.contains('\n'));
        let fallback = t
            .render("setup_link", "fr", &[("link", "http://x")])
            .unwrap();
        assert!(fallback.subject.contains("Finish"));
    }
}
