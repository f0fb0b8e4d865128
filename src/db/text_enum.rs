//! States stored as text: one macro gives each its enum, its text (the same in the database,
//! in JSON and in the OpenAPI document), parsing, and diesel conversions on both backends.
//!
//! Rows declare such a field with `#[diesel(deserialize_as = String, serialize_as = String)]`;
//! queries compare a column with a value directly (`rounds::state.eq(RoundState::Judging)`).

/// `text_enum! { pub enum RoundState { Setup = "setup", … } }`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)*];

            /// The stored (and serialised) text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        // Written by hand rather than derived: utoipa's derive does not read a `rename` given
        // through a macro fragment, and the document must name the stored texts.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),*]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<$name, String> {
                $name::parse(&s).ok_or_else(|| format!("unknown {} {s:?}", stringify!($name)))
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_string()
            }
        }

        impl diesel::expression::AsExpression<diesel::sql_types::Text> for $name {
            type Expression = <&'static str as diesel::expression::AsExpression<
                diesel::sql_types::Text,
            >>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as diesel::expression::AsExpression<diesel::sql_types::Text>>::as_expression(
                    self.as_str(),
                )
            }
        }
    };
}

pub(crate) use text_enum;
