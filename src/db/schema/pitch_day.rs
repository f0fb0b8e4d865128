//! The tables of the contest's last day: judges' one-time sign-in links and the audience vote.
//! Their joins and query pairs are declared with the rest in `schema.rs`.

diesel::table! {
    day_links (id) {
        id -> BigInt,
        contest_id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audience_votes (id) {
        id -> BigInt,
        round_id -> BigInt,
        public_key -> Text,
        mode -> Text,
        state -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audience_tickets (id) {
        id -> BigInt,
        vote_id -> BigInt,
        code_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audience_ballots (id) {
        id -> BigInt,
        vote_id -> BigInt,
        voter_hash -> Text,
        application_id -> BigInt,
        cast_at -> Timestamp,
    }
}
