//! Announcements: preview who an audience reaches and what each language reads, send one mail
//! per person in their language through the outbox, and list what was sent.

use std::collections::BTreeMap;

use serde_json::json;

use super::api::{
    Announcement, AnnouncementInput, ByLanguage, LANGUAGES, Preview, RenderedLanguages,
    RenderedText, Sent,
};
use super::audience;
use super::model::{self, NewAnnouncement};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::UserRow;
use crate::contests::model::{self as contests, ContestRow};
use crate::db::{self, now};
use crate::error::{AppError, FieldErrors};
use crate::mail::Outgoing;
use crate::mail::templates::{Templates, sample_vars};
use crate::state::AppState;
use crate::unit;

const TEMPLATE: &str = "announcement";

/// The language a person's mail is written in: theirs when the administrator wrote it, else
/// English (a locale outside the three reads English too).
fn mail_language<'a>(input: &AnnouncementInput, locale: &'a str) -> &'a str {
    if LANGUAGES.contains(&locale) && input.text(locale).is_some() {
        locale
    } else {
        "en"
    }
}

/// The template's values for one reader. The administrator's text goes in last, so a brace in
/// it is never taken for a placeholder.
fn vars(
    contest: &ContestRow,
    input: &AnnouncementInput,
    lang: &str,
    name: String,
) -> Vec<(&'static str, String)> {
    let names: BTreeMap<String, String> = serde_json::from_str(&contest.name).unwrap_or_default();
    let contest_name = names
        .get(lang)
        .or(names.get("en"))
        .cloned()
        .unwrap_or_else(|| contest.slug.clone());
    let (subject, body) = input.text(lang).unwrap_or_default();
    vec![
        ("name", name),
        ("contest", contest_name),
        ("subject", subject.to_string()),
        ("body", body.to_string()),
    ]
}

fn validate(input: &AnnouncementInput, require_english: bool) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    input.validate(&mut e, require_english);
    e.into_result()
}

fn render(
    templates: &Templates,
    contest: &ContestRow,
    input: &AnnouncementInput,
    lang: &str,
) -> Result<RenderedText, AppError> {
    let name = sample_vars(lang)
        .into_iter()
        .find(|(k, _)| *k == "name")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let vars = vars(contest, input, lang, name);
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = templates
        .render(TEMPLATE, lang, &pairs)
        .map_err(AppError::internal)?;
    Ok(RenderedText {
        subject: r.subject,
        text: r.text,
    })
}

/// How many people the audience reaches, in which language, and the mail each language gets
/// (rendered by the template the real mail uses, with a sample name). It answers while the
/// message is still being written, so the count shows as soon as the audience is chosen.
pub async fn preview(
    state: &AppState,
    contest_id: i64,
    input: AnnouncementInput,
) -> Result<Preview, AppError> {
    validate(&input, false)?;
    let mailer = state.mailer.clone();
    db::run(&state.db, move |c| {
        let contest = contests::find(c, contest_id)?;
        let people = audience::resolve(c, &contest, &input.audience)?;
        let mut by = ByLanguage::default();
        for p in &people {
            match p.locale.as_str() {
                "ko" => by.ko += 1,
                "zh" => by.zh += 1,
                _ => by.en += 1,
            }
        }
        let fallback: Vec<String> = LANGUAGES
            .iter()
            .filter(|l| **l != "en" && input.text(l).is_none())
            .map(|l| l.to_string())
            .collect();
        let t = mailer.templates();
        let rendered = RenderedLanguages {
            en: render(t, &contest, &input, "en")?,
            ko: render(t, &contest, &input, mail_language(&input, "ko"))?,
            zh: render(t, &contest, &input, mail_language(&input, "zh"))?,
        };
        Ok(Preview {
            recipients: people.len() as i64,
            by_language: by,
            rendered,
            fallback,
        })
    })
    .await
}

/// Stores the announcement and queues one mail per person, in their language; the key makes
/// a repeated queueing of the same announcement and person store one mail.
pub async fn send(
    state: &AppState,
    admin: &AuthUser,
    contest_id: i64,
    input: AnnouncementInput,
) -> Result<Sent, AppError> {
    validate(&input, true)?;
    let actor = admin.id;
    unit::write(state, move |tx| {
        let contest = contests::find(tx, contest_id)?;
        let people: Vec<UserRow> = audience::resolve(tx, &contest, &input.audience)?;
        if people.is_empty() {
            return Err(AppError::field("audience", "no_recipients"));
        }
        let id = model::insert(
            tx,
            &NewAnnouncement {
                contest_id,
                audience: &to_json(&input.audience)?,
                subject: &to_json(&input.subject)?,
                body: &to_json(&input.body)?,
                recipients: i32::try_from(people.len()).map_err(AppError::internal)?,
                created_by: actor,
                created_at: now(),
            },
        )?;
        let mut queued = 0;
        for user in &people {
            let lang = mail_language(&input, &user.locale);
            queued += i64::from(tx.mail(Outgoing {
                key: format!("announcement:{id}:{}", user.id),
                user_id: Some(user.id),
                to: &user.email,
                to_name: &user.name,
                locale: lang,
                template: TEMPLATE,
                vars: vars(&contest, &input, lang, user.name.clone()),
            })?);
        }
        tx.audit(Entry {
            actor_id: Some(actor),
            action: "announcement.sent",
            entity: "announcement",
            entity_id: Some(id.to_string()),
            details: json!({
                "contest_id": contest_id,
                "audience": input.audience,
                "recipients": people.len(),
            }),
        })?;
        Ok(Sent {
            id,
            recipients: people.len() as i64,
            emails_queued: queued,
        })
    })
    .await
}

fn to_json(v: &impl serde::Serialize) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(AppError::internal)
}

/// The contest's announcements, newest first.
pub async fn list(state: &AppState, contest_id: i64) -> Result<Vec<Announcement>, AppError> {
    db::run(&state.db, move |c| {
        contests::find(c, contest_id)?;
        model::list(c, contest_id)?
            .iter()
            .map(model::AnnouncementRow::to_api)
            .collect()
    })
    .await
}
