//! The unit of work: one write transaction, the audit entries and the mail it causes, and the
//! mail dispatcher woken once the transaction has committed (waking it earlier would let it
//! look before the message is visible; not waking it leaves the message for the next poll).
//!
//! ```ignore
//! unit::write(state, move |tx| {
//!     model::set_status(tx, id, ApplicationStatus::Withdrawn, reason)?; // derefs to DbConn
//!     tx.audit(Entry { … })?;
//!     tx.mail_for(&user, "application_withdrawn", key, vars)?;
//!     Ok(())
//! })
//! ```

use std::ops::{Deref, DerefMut};

use crate::audit::{self, Entry};
use crate::auth::model::UserRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::mail::{self, Mailer, Outgoing};
use crate::state::AppState;

/// The open transaction of a unit of work. It dereferences to the connection, so the models'
/// functions take it as they are.
pub struct Tx<'a> {
    conn: &'a mut DbConn,
    mailer: &'a Mailer,
    mailed: bool,
    /// The organisation of the staff member this unit acts for (from its audit entries); the
    /// mail it queues is filed under it, so organisers see their own outbox.
    organisation: Option<i64>,
    queued: Vec<String>,
}

impl Deref for Tx<'_> {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        self.conn
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut DbConn {
        self.conn
    }
}

impl Tx<'_> {
    /// The connection itself, for diesel's generic methods (`.execute(tx.conn())`).
    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    /// Appends to the audit chain, inside this transaction.
    pub fn audit(&mut self, entry: Entry<'_>) -> Result<(), AppError> {
        if let Some(org) = audit::record(self.conn, entry)? {
            self.organisation = Some(org);
        }
        Ok(())
    }

    /// Queues a message with this transaction; false when its key was queued before.
    pub fn mail(&mut self, out: Outgoing<'_>) -> Result<bool, AppError> {
        let key = out.key.clone();
        let queued = mail::enqueue(self.conn, self.mailer, out)?;
        if queued {
            self.queued.push(key);
        }
        self.mailed |= queued;
        Ok(queued)
    }

    /// `mail` for a message to one user, in their language.
    pub fn mail_for(
        &mut self,
        user: &UserRow,
        template: &str,
        key: String,
        vars: Vec<(&str, String)>,
    ) -> Result<bool, AppError> {
        self.mail(Outgoing {
            key,
            user_id: Some(user.id),
            to: &user.email,
            to_name: &user.name,
            locale: &user.locale,
            template,
            vars,
        })
    }
}

/// Runs `f` in one write transaction on the blocking pool; after it commits, wakes the mail
/// dispatcher if `f` queued anything. On SQLite the units of work of this process go through
/// the one writer thread, which commits several together (`db::Lane`); each still succeeds or
/// fails alone.
pub async fn write<T, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
{
    let mailer = state.mailer.clone();
    let work = move |conn: &mut DbConn| {
        let mut tx = Tx {
            conn,
            mailer: &mailer,
            mailed: false,
            organisation: None,
            queued: Vec::new(),
        };
        let value = f(&mut tx)?;
        if let Some(org) = tx.organisation {
            mail::file_under(tx.conn, &tx.queued, org)?;
        }
        Ok((value, tx.mailed))
    };
    // SQLite has one writer: its thread runs the units in turn and shares commits.
    let (value, mailed) = match &state.writer {
        Some(lane) => lane.write(work).await?,
        None => db::write(&state.db, work).await?,
    };
    if mailed {
        state.mailer.wake();
    }
    Ok(value)
}

/// A unit of work whose change is one statement, its audit entry included (a review save:
/// `reviews::update::Staged`), after any number of reads. On PostgreSQL it runs outside
/// BEGIN and COMMIT: the statement is its own transaction, so an autosave is two round trips
/// rather than four (issue 20). Nothing is lost by that at READ COMMITTED, where each of a
/// transaction's statements reads its own snapshot anyway and the reads take no locks. It is
/// given the connection, not a `Tx`, so it cannot queue mail or append a second audit entry.
/// On SQLite it goes through the writer like every unit.
pub async fn one_statement<T, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    match &state.writer {
        Some(lane) => lane.write(f).await,
        None => db::run(&state.db, f).await,
    }
}
