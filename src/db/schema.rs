//! Table definitions shared by both backends. Only types that `MultiConnection` maps on SQLite
//! and PostgreSQL alike appear here; the migration-equivalence test keeps the two SQL sets in step.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Nullable<Text>,
        name -> Text,
        locale -> Text,
        role -> Text,
        verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        token_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        user_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        payload -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        idempotency_key -> Text,
        user_id -> Nullable<BigInt>,
        to_address -> Text,
        to_name -> Text,
        locale -> Text,
        template -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Text>,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    one_time_tokens,
    outbox,
    audit_log
);

diesel::table! {
    contests (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        timezone -> Text,
        tracks -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        eligibility -> Text,
        published -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        contest_id -> BigInt,
        applicant_id -> BigInt,
        status -> Text,
        company_name -> Text,
        company_name_native -> Text,
        country -> Text,
        city -> Text,
        founded_year -> Nullable<Integer>,
        team_size -> Nullable<Integer>,
        stage -> Text,
        track -> Text,
        website -> Text,
        summary -> Text,
        problem -> Text,
        solution -> Text,
        market -> Text,
        traction -> Text,
        team -> Text,
        video_url -> Text,
        status_reason -> Nullable<Text>,
        version -> Integer,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        application_id -> BigInt,
        kind -> Text,
        storage_key -> Text,
        original_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(applications -> contests (contest_id));
diesel::joinable!(applications -> users (applicant_id));
diesel::joinable!(documents -> applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(contests, applications, documents, users);
