//! How bodies that are files, not JSON, are published in the OpenAPI document.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

/// A download that is a file (the pitch deck PDF, the personal-data archive): raw bytes.
pub struct BinaryFile;

impl utoipa::PartialSchema for BinaryFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for BinaryFile {}

/// A CSV export: UTF-8 text with a byte-order mark (so spreadsheets read Korean and Chinese
/// names right) and a header row.
pub struct CsvText;

impl utoipa::PartialSchema for CsvText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "UTF-8 with a byte-order mark; the first row names the columns",
            ))
            .into()
    }
}

impl utoipa::ToSchema for CsvText {}
