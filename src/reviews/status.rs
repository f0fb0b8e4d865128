//! The states of a review, apart from the review rows so the rounds' queries can name them
//! without depending on the reviews' request shapes.

use crate::db::text_enum::text_enum;

text_enum! {
    /// Where a review is. Stored as this text in `reviews.status`; the API also answers
    /// `none` for a review not yet started (`empty`).
    pub enum ReviewStatus {
        Draft = "draft",
        Submitted = "submitted",
    }
}
