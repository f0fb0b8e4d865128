//! The tables of joint organisers (issue 22): organiser organisations and the routing of
//! applications to parallel preliminaries.
//! Their joins and query pairs are declared with the rest in `schema.rs`.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        contest_id -> BigInt,
        name -> Text,
        region -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    application_routes (application_id) {
        application_id -> BigInt,
        round_id -> BigInt,
        reason -> Text,
        set_by -> Nullable<BigInt>,
        set_at -> Timestamp,
    }
}
