//! Email: every message is written to the outbox table in the same transaction as the change
//! that causes it, and a dispatcher sends it later. A crash can therefore never lose a message
//! that was promised, and a rolled-back change never sends one.

pub mod dispatcher;
pub mod routes;
pub mod templates;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use lettre::message::{Mailbox, MultiPart, header::MessageId};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::db::schema::{notification_reads, outbox};
use crate::db::{DbConn, now};
use crate::error::AppError;
use templates::Templates;

/// A message as the memory transport keeps it (tests read these).
#[derive(Clone, Debug)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub raw: Vec<u8>,
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Development: `.eml` files under the data dir, so nothing leaves the machine.
    File(PathBuf),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

/// How a send failed, which decides whether the dispatcher tries again.
#[derive(Debug)]
pub enum SendError {
    Permanent(String),
    Transient(String),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
    templates: Arc<Templates>,
    wake: Arc<Notify>,
    domain: String,
    pub send_timeout: Duration,
    /// At most this many sends per second (0: no limit), so a bulk mailing of results stays
    /// within what the SMTP relay accepts.
    pub max_per_second: u32,
    /// How long a claimed row is reserved for this sender (see the dispatcher).
    pub lease_secs: i64,
}

impl Mailer {
    pub fn new(transport: Transport, from: &str, public_url: &str) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("JURY_MAIL_FROM {from:?}: {e}"))?;
        let domain = public_url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .filter(|h| !h.is_empty())
            .unwrap_or("jury.localhost")
            .to_string();
        Ok(Mailer {
            transport: Arc::new(transport),
            from,
            templates: Arc::new(Templates::load()?),
            wake: Arc::new(Notify::new()),
            domain,
            send_timeout: Duration::from_secs(30),
            max_per_second: 0,
            lease_secs: 120,
        })
    }

    pub fn smtp(url: &str) -> Result<Transport, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("JURY_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .pool_config(PoolConfig::new().max_size(dispatcher::SEND_CONCURRENCY as u32))
            .build();
        Ok(Transport::Smtp(transport))
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Nudges the dispatcher after a commit so mail goes out at once instead of at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn notified(&self) -> tokio::sync::futures::Notified<'_> {
        self.wake.notified()
    }

    pub fn sent(&self) -> Vec<SentMail> {
        match &*self.transport {
            Transport::Memory(m) => m.lock().map(|v| v.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn build(&self, row: &OutboxRow) -> Result<Message, SendError> {
        let to: Mailbox = format!("{} <{}>", quote_name(&row.to_name), row.to_address)
            .parse()
            .or_else(|_| row.to_address.parse())
            .map_err(|e| {
                SendError::Permanent(format!("bad recipient {:?}: {e}", row.to_address))
            })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&row.subject)
            .header(MessageId::from(row.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("cannot build message: {e}")))
    }

    pub(crate) async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        let message = self.build(row)?;
        match &*self.transport {
            Transport::Smtp(smtp) => {
                match tokio::time::timeout(self.send_timeout, smtp.send(message)).await {
                    Err(_) => Err(SendError::Transient("SMTP send timed out".into())),
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                    Ok(Err(e)) => Err(SendError::Transient(e.to_string())),
                }
            }
            Transport::File(dir) => {
                let path = dir.join(format!("{:06}-{}.eml", row.id, row.template));
                let bytes = message.formatted();
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))?;
                tokio::fs::write(&path, bytes)
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))?;
                tracing::info!(to = %row.to_address, subject = %row.subject, path = %path.display(), "mail written to file");
                Ok(())
            }
            Transport::Memory(store) => {
                let raw = message.formatted();
                let mut v = store
                    .lock()
                    .map_err(|_| SendError::Transient("memory transport poisoned".into()))?;
                v.push(SentMail {
                    to: row.to_address.clone(),
                    subject: row.subject.clone(),
                    text: row.body_text.clone(),
                    html: row.body_html.clone(),
                    message_id: row.message_id.clone(),
                    raw,
                });
                Ok(())
            }
        }
    }
}

fn quote_name(name: &str) -> String {
    format!("\"{}\"", name.replace(['"', '\\', '\r', '\n'], " "))
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub idempotency_key: String,
    pub to_address: String,
    pub to_name: String,
    pub template: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// One logical message. The idempotency key names what it is about (e.g.
/// `password_changed:42:7`), so enqueueing the same thing twice stores one row.
pub struct Outgoing<'a> {
    pub key: String,
    pub user_id: Option<i64>,
    pub to: &'a str,
    pub to_name: &'a str,
    pub locale: &'a str,
    pub template: &'a str,
    pub vars: Vec<(&'a str, String)>,
}

/// Renders and stores a message; call inside the transaction of the change that causes it.
/// Returns false when a message with the same key already exists.
pub fn enqueue(conn: &mut DbConn, mailer: &Mailer, out: Outgoing<'_>) -> Result<bool, AppError> {
    let exists: i64 = outbox::table
        .filter(outbox::idempotency_key.eq(&out.key))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let vars: Vec<(&str, &str)> = out.vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = mailer
        .templates
        .render(out.template, out.locale, &vars)
        .map_err(AppError::internal)?;
    let t = now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::idempotency_key.eq(&out.key),
            outbox::user_id.eq(out.user_id),
            outbox::to_address.eq(out.to),
            outbox::to_name.eq(out.to_name),
            outbox::locale.eq(out.locale),
            outbox::template.eq(out.template),
            outbox::subject.eq(&r.subject),
            outbox::body_text.eq(&r.text),
            outbox::body_html.eq(&r.html),
            outbox::message_id.eq(format!(
                "<{}@{}>",
                crate::auth::tokens::random_token(),
                mailer.domain
            )),
            outbox::status.eq("pending"),
            outbox::next_attempt_at.eq(t),
            outbox::created_at.eq(t),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Files the messages queued under these keys as an organisation's mail (its outbox).
pub fn file_under(conn: &mut DbConn, keys: &[String], organisation: i64) -> Result<(), AppError> {
    if keys.is_empty() {
        return Ok(());
    }
    diesel::update(outbox::table.filter(outbox::idempotency_key.eq_any(keys)))
        .set(outbox::organisation_id.eq(Some(organisation)))
        .execute(conn)?;
    Ok(())
}

/// Puts failed messages (one, or all with `None`) back in the queue with a fresh start;
/// returns how many.
pub fn requeue_failed(conn: &mut DbConn, id: Option<i64>) -> Result<usize, AppError> {
    let mut q = diesel::update(outbox::table)
        .filter(outbox::status.eq("failed"))
        .into_boxed();
    if let Some(id) = id {
        q = q.filter(outbox::id.eq(id));
    }
    Ok(q.set((
        outbox::status.eq("pending"),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now()),
    ))
    .execute(conn)?)
}

/// Marks every message a user has so far as read.
pub fn mark_seen(conn: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    let t = now();
    let updated = diesel::update(notification_reads::table.find(user_id))
        .set(notification_reads::seen_at.eq(t))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(notification_reads::table)
            .values((
                notification_reads::user_id.eq(user_id),
                notification_reads::seen_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes the mail of a user and to their address, and what they read: mail is their
/// notification history, so pending mail is never sent and sent mail no longer kept.
/// Returns how many messages went.
pub fn forget_recipient(conn: &mut DbConn, user_id: i64, email: &str) -> Result<usize, AppError> {
    let mails = diesel::delete(
        outbox::table.filter(outbox::user_id.eq(user_id).or(outbox::to_address.eq(email))),
    )
    .execute(conn)?;
    diesel::delete(notification_reads::table.filter(notification_reads::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(mails)
}

/// Rewrites every message whose subject or bodies `scrub` changes (erasure of an
/// application's data from the mail it caused); returns how many changed. The outbox is
/// walked in pages so a long history is never loaded whole.
pub fn scrub(conn: &mut DbConn, scrub: crate::db::Scrub) -> Result<usize, AppError> {
    let mut changed = 0;
    let mut after = 0i64;
    loop {
        let page: Vec<(i64, String, String, String)> = outbox::table
            .filter(outbox::id.gt(after))
            .order(outbox::id.asc())
            .limit(500)
            .select((
                outbox::id,
                outbox::subject,
                outbox::body_text,
                outbox::body_html,
            ))
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (id, subject, text, html) in page {
            let (s, t, h) = (scrub(&subject), scrub(&text), scrub(&html));
            if s.is_none() && t.is_none() && h.is_none() {
                continue;
            }
            diesel::update(outbox::table.find(id))
                .set((
                    outbox::subject.eq(s.unwrap_or(subject)),
                    outbox::body_text.eq(t.unwrap_or(text)),
                    outbox::body_html.eq(h.unwrap_or(html)),
                ))
                .execute(conn)?;
            changed += 1;
        }
    }
    Ok(changed)
}
