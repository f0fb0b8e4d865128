//! A save's UPDATE as one fixed statement that the connection prepares once.
//!
//! diesel never caches an `UpdateStatement` (the columns it sets could vary, so it marks every
//! one unsafe to cache), and so PostgreSQL parsed, analysed and planned every autosave's UPDATE
//! again: planning alone was 411 of its 881 ms over 8,846 saves in one load run
//! (pg_stat_statements with `track_planning`, issue 20), and SQLite compiled it again each time.
//! This statement always has the same text, so both backends keep it prepared per connection.
//!
//! `Staged` wraps a save with its audit entry on PostgreSQL, so that a submitted review and
//! its entry are one statement, which commits itself (`unit::one_statement`).

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Binary, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use crate::audit::Staging;
use crate::db::schema::reviews;

/// `UPDATE reviews SET … WHERE id = ? AND version = COALESCE(?, version) RETURNING *`: the
/// version is checked only when the client sent one, and bumped either way.
pub struct Update<'a> {
    pub id: i64,
    pub expected: Option<i32>,
    pub status: &'a str,
    pub scores: &'a str,
    pub comment_applicant: &'a str,
    pub comment_private: &'a str,
    pub submitted_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl QueryId for Update<'_> {
    type QueryId = Update<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for Update<'_> {
    type SqlType = <<reviews::table as Table>::AllColumns as Expression>::SqlType;
}

impl<C> RunQueryDsl<C> for Update<'_> {}

/// The statement for each backend's own connection (`db::native`).
macro_rules! update_fragment {
    ($db:ty) => {
        impl QueryFragment<$db> for Update<'_> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                out.push_sql("UPDATE reviews SET status = ");
                out.push_bind_param::<Text, _>(self.status)?;
                out.push_sql(", scores = ");
                out.push_bind_param::<Text, _>(self.scores)?;
                out.push_sql(", comment_applicant = ");
                out.push_bind_param::<Text, _>(self.comment_applicant)?;
                out.push_sql(", comment_private = ");
                out.push_bind_param::<Text, _>(self.comment_private)?;
                out.push_sql(", submitted_at = ");
                out.push_bind_param::<Nullable<Timestamp>, _>(&self.submitted_at)?;
                out.push_sql(", version = version + 1, updated_at = ");
                out.push_bind_param::<Timestamp, _>(&self.updated_at)?;
                out.push_sql(" WHERE id = ");
                out.push_bind_param::<BigInt, _>(&self.id)?;
                out.push_sql(" AND version = COALESCE(");
                out.push_bind_param::<Nullable<Integer>, _>(&self.expected)?;
                out.push_sql(", version) RETURNING ");
                let columns: &'static _ = &reviews::all_columns;
                columns.walk_ast(out.reborrow())
            }
        }
    };
}

update_fragment!(Pg);
update_fragment!(Sqlite);

/// `WITH saved AS (<save> RETURNING *) SELECT saved.*, audit_stage(…) FROM saved`, for
/// PostgreSQL: the entry is staged only when the save wrote a row, and chained as the
/// statement's transaction commits (migration 20). Answers the row and the actor's
/// organisation.
pub struct Staged<'a, Q> {
    pub save: Q,
    pub entry: &'a Staging<'a>,
    /// The entry's `chain_suffix` without the organisation, which `audit_stage` adds.
    pub suffix: Vec<u8>,
}

impl<Q: QueryId> QueryId for Staged<'_, Q> {
    type QueryId = Staged<'static, Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q> Query for Staged<'_, Q> {
    type SqlType = (
        <<reviews::table as Table>::AllColumns as Expression>::SqlType,
        Nullable<BigInt>,
    );
}

impl<Q, C> RunQueryDsl<C> for Staged<'_, Q> {}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Staged<'_, Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let e = self.entry;
        out.push_sql("WITH saved AS (");
        self.save.walk_ast(out.reborrow())?;
        out.push_sql(") SELECT saved.*, audit_stage(");
        out.push_bind_param::<Timestamp, _>(&e.at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&e.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(e.action)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(e.entity)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&e.entity_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&e.details)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&e.digest)?;
        out.push_sql(", ");
        out.push_bind_param::<Binary, _>(&self.suffix)?;
        out.push_sql(") FROM saved");
        Ok(())
    }
}
