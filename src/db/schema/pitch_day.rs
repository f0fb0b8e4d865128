//! The tables of the contest's last day: judges' one-time sign-in links, the audience vote and
//! the live final's run sheet.
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

diesel::table! {
    live_finals (round_id) {
        round_id -> BigInt,
        pitch_secs -> Integer,
        qa_secs -> Integer,
        grace_secs -> Integer,
        languages -> Text,
        phase -> Text,
        current_position -> Nullable<Integer>,
        clock_started_at -> Nullable<Timestamp>,
        clock_elapsed_ms -> BigInt,
        reveal_step -> Integer,
        display_token_hash -> Nullable<Text>,
        revision -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    live_pitches (id) {
        id -> BigInt,
        round_id -> BigInt,
        application_id -> BigInt,
        position -> Integer,
        opened_at -> Nullable<Timestamp>,
        closes_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    live_unlocks (id) {
        id -> BigInt,
        round_id -> BigInt,
        application_id -> BigInt,
        judge_id -> BigInt,
        unlocked_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    live_saves (id) {
        id -> BigInt,
        judge_id -> BigInt,
        client_id -> Text,
        assignment_id -> BigInt,
        answer -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    live_presence (id) {
        id -> BigInt,
        round_id -> BigInt,
        judge_id -> BigInt,
        last_seen -> Timestamp,
    }
}
