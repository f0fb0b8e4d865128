//! Rubric criterion rows and their queries.

use diesel::prelude::*;

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
