//! Rubric criterion rows and their queries.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Nullable, Text};

use super::api::Criterion;
use crate::db::DbConn;
use crate::db::schema::rubric_criteria;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = rubric_criteria)]
pub struct CriterionRow {
    pub id: i64,
    pub round_id: i64,
    pub position: i32,
    pub key: String,
    pub name: String,
    pub guidance: String,
    pub weight: f64,
    pub scale_min: i32,
    pub scale_max: i32,
}

impl CriterionRow {
    pub fn to_api(&self) -> Criterion {
        Criterion {
            key: self.key.clone(),
            name: serde_json::from_str(&self.name).unwrap_or_default(),
            guidance: serde_json::from_str(&self.guidance).unwrap_or_default(),
            weight: self.weight,
            min: self.scale_min,
            max: self.scale_max,
        }
    }
}

/// What checking a score needs of a criterion: a review save reads only this, not the names
/// and guidance in every language (issue 20).
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = rubric_criteria)]
pub struct Scale {
    pub key: String,
    pub scale_min: i32,
    pub scale_max: i32,
}

/// The scales of the rubric of the round `assignments.round_id` names, as one text
/// (`key:min:max`, comma-separated, in order): a review save reads them in the row that holds
/// the assignment, not as one row per criterion that repeats everything else (issue 20).
/// Criterion keys hold neither separator (`api::is_key`). `string_agg` with `ORDER BY` is
/// PostgreSQL's and SQLite's (3.44 and later; the bundled library is newer).
#[derive(Debug, Clone, Copy, QueryId)]
pub struct ScalesOfAssignmentRound;

impl Expression for ScalesOfAssignmentRound {
    type SqlType = Nullable<Text>;
}

impl<DB: Backend> QueryFragment<DB> for ScalesOfAssignmentRound {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "(SELECT string_agg(rc.key || ':' || rc.scale_min || ':' || rc.scale_max, ',' \
             ORDER BY rc.position) FROM rubric_criteria rc \
             WHERE rc.round_id = assignments.round_id)",
        );
        Ok(())
    }
}

impl<QS> AppearsOnTable<QS> for ScalesOfAssignmentRound {}
impl<QS> SelectableExpression<QS> for ScalesOfAssignmentRound {}
impl ValidGrouping<()> for ScalesOfAssignmentRound {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// The scales `ScalesOfAssignmentRound` read; None for text it did not write.
pub fn parse_scales(text: Option<&str>) -> Option<Vec<Scale>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Some(Vec::new());
    };
    text.split(',')
        .map(|one| {
            let mut parts = one.rsplitn(3, ':');
            let max = parts.next()?.parse().ok()?;
            let min = parts.next()?.parse().ok()?;
            Some(Scale {
                key: parts.next()?.to_string(),
                scale_min: min,
                scale_max: max,
            })
        })
        .collect()
}

pub fn scales(c: &mut DbConn, round_id: i64) -> Result<Vec<Scale>, AppError> {
    Ok(rubric_criteria::table
        .filter(rubric_criteria::round_id.eq(round_id))
        .order(rubric_criteria::position.asc())
        .select(Scale::as_select())
        .load(c)?)
}

pub fn criteria(c: &mut DbConn, round_id: i64) -> Result<Vec<CriterionRow>, AppError> {
    Ok(rubric_criteria::table
        .filter(rubric_criteria::round_id.eq(round_id))
        .order(rubric_criteria::position.asc())
        .select(CriterionRow::as_select())
        .load(c)?)
}

pub fn replace_criteria(c: &mut DbConn, round_id: i64, list: &[Criterion]) -> Result<(), AppError> {
    diesel::delete(rubric_criteria::table.filter(rubric_criteria::round_id.eq(round_id)))
        .execute(c)?;
    for (i, k) in list.iter().enumerate() {
        diesel::insert_into(rubric_criteria::table)
            .values((
                rubric_criteria::round_id.eq(round_id),
                rubric_criteria::position.eq(i as i32),
                rubric_criteria::key.eq(&k.key),
                rubric_criteria::name
                    .eq(serde_json::to_string(&k.name).map_err(AppError::internal)?),
                rubric_criteria::guidance
                    .eq(serde_json::to_string(&k.guidance).map_err(AppError::internal)?),
                rubric_criteria::weight.eq(k.weight),
                rubric_criteria::scale_min.eq(k.min),
                rubric_criteria::scale_max.eq(k.max),
            ))
            .execute(c)?;
    }
    Ok(())
}

pub fn count_criteria(c: &mut DbConn, round_id: i64) -> Result<i64, AppError> {
    Ok(rubric_criteria::table
        .filter(rubric_criteria::round_id.eq(round_id))
        .count()
        .get_result(c)?)
}

#[cfg(test)]
mod tests {
    use super::parse_scales;

    #[test]
    fn scales_text_reads_back_in_order_and_refuses_what_it_did_not_write() {
        let got = parse_scales(Some("team:1:5,market:0:10,x_2:-3:3")).unwrap();
        let flat: Vec<_> = got
            .iter()
            .map(|s| (s.key.as_str(), s.scale_min, s.scale_max))
            .collect();
        assert_eq!(flat, [("team", 1, 5), ("market", 0, 10), ("x_2", -3, 3)]);
        assert!(parse_scales(None).unwrap().is_empty());
        assert!(parse_scales(Some("")).unwrap().is_empty());
        assert!(parse_scales(Some("team:1")).is_none());
        assert!(parse_scales(Some("team:one:5")).is_none());
    }
}
