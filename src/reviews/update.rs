//! A save's UPDATE as one fixed statement that the connection prepares once.
//!
//! diesel never caches an `UpdateStatement` (the columns it sets could vary, so it marks every
//! one unsafe to cache), and so PostgreSQL parsed, analysed and planned every autosave's UPDATE
//! again: planning alone was 411 of its 881 ms over 8,846 saves in one load run
//! (pg_stat_statements with `track_planning`, issue 20), and SQLite compiled it again each time.
//! This statement always has the same text, so both backends keep it prepared per connection.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::db::DbConn;
use crate::db::schema::reviews;

type Db = <DbConn as Connection>::Backend;

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

impl QueryFragment<Db> for Update<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Db>) -> QueryResult<()> {
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
