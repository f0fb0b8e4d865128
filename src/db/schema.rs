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
        organisation_id -> Nullable<BigInt>,
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
        organisation_id -> Nullable<BigInt>,
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
        details_sha256 -> Text,
        redacted_at -> Nullable<Timestamp>,
        organisation_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

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
        awards -> Text,
        archived_at -> Nullable<Timestamp>,
        previous_id -> Nullable<BigInt>,
        questions -> Text,
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
        erased_at -> Nullable<Timestamp>,
        answers -> Text,
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
        flags -> Text,
        page_count -> Nullable<Integer>,
    }
}

diesel::joinable!(applications -> contests (contest_id));
diesel::joinable!(applications -> users (applicant_id));
diesel::joinable!(documents -> applications (application_id));

diesel::table! {
    rounds (id) {
        id -> BigInt,
        contest_id -> BigInt,
        position -> Integer,
        name -> Text,
        reviews_per_application -> Integer,
        judging_opens_at -> Nullable<Timestamp>,
        judging_closes_at -> Nullable<Timestamp>,
        blind -> Bool,
        blind_shows_deck -> Bool,
        ranking_method -> Text,
        tie_break -> Text,
        feedback_to_applicants -> Bool,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        organisation_id -> Nullable<BigInt>,
        stage -> Integer,
        route -> Text,
    }
}

diesel::table! {
    rubric_criteria (id) {
        id -> BigInt,
        round_id -> BigInt,
        position -> Integer,
        key -> Text,
        name -> Text,
        guidance -> Text,
        weight -> Double,
        scale_min -> Integer,
        scale_max -> Integer,
    }
}

diesel::table! {
    round_entries (id) {
        id -> BigInt,
        round_id -> BigInt,
        application_id -> BigInt,
        advanced -> Bool,
        created_at -> Timestamp,
        award_override -> Nullable<Text>,
        award_reason -> Nullable<Text>,
    }
}

diesel::table! {
    judge_profiles (user_id) {
        user_id -> BigInt,
        organization -> Text,
        region -> Text,
        expertise -> Text,
        languages -> Text,
        capacity -> Integer,
        reminders -> Bool,
        updated_at -> Timestamp,
        affiliations -> Text,
    }
}

diesel::table! {
    contest_judges (id) {
        id -> BigInt,
        contest_id -> BigInt,
        user_id -> BigInt,
        invited_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        organisation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    conflicts (id) {
        id -> BigInt,
        judge_id -> BigInt,
        application_id -> BigInt,
        source -> Text,
        reason -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        lifted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        round_id -> BigInt,
        judge_id -> BigInt,
        application_id -> BigInt,
        source -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reviews (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        status -> Text,
        scores -> Text,
        comment_applicant -> Text,
        comment_private -> Text,
        version -> Integer,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    published_results (id) {
        id -> BigInt,
        round_id -> BigInt,
        snapshot -> Text,
        sha256 -> Text,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
    }
}

diesel::joinable!(rounds -> contests (contest_id));
diesel::joinable!(published_results -> rounds (round_id));
diesel::joinable!(rubric_criteria -> rounds (round_id));
diesel::joinable!(round_entries -> rounds (round_id));
diesel::joinable!(round_entries -> applications (application_id));
diesel::joinable!(judge_profiles -> users (user_id));
diesel::joinable!(contest_judges -> users (user_id));
diesel::joinable!(assignments -> rounds (round_id));
diesel::joinable!(assignments -> applications (application_id));
diesel::joinable!(assignments -> users (judge_id));
diesel::joinable!(reviews -> assignments (assignment_id));

diesel::table! {
    notification_reads (user_id) {
        user_id -> BigInt,
        seen_at -> Timestamp,
    }
}

diesel::table! {
    two_factor (user_id) {
        user_id -> BigInt,
        secret_sealed -> Text,
        enabled_at -> Nullable<Timestamp>,
        last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    announcements (id) {
        id -> BigInt,
        contest_id -> BigInt,
        audience -> Text,
        subject -> Text,
        body -> Text,
        recipients -> Integer,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(announcements -> contests (contest_id));

// Written only by the triggers of migration 18: changes whenever anything the judge's queue
// shows changes.
diesel::table! {
    queue_stamps (judge_id) {
        judge_id -> BigInt,
        stamp -> BigInt,
    }
}

mod pitch_day;
pub use pitch_day::*;

diesel::joinable!(day_links -> contests (contest_id));
diesel::joinable!(audience_tickets -> audience_votes (vote_id));
diesel::joinable!(audience_ballots -> audience_votes (vote_id));
diesel::joinable!(live_pitches -> applications (application_id));

mod organisers;
pub use organisers::*;

diesel::joinable!(organisations -> contests (contest_id));
diesel::joinable!(application_routes -> rounds (round_id));
diesel::joinable!(application_routes -> applications (application_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    one_time_tokens,
    outbox,
    audit_log,
    contests,
    applications,
    documents,
    rounds,
    rubric_criteria,
    round_entries,
    judge_profiles,
    contest_judges,
    conflicts,
    assignments,
    reviews,
    published_results,
    notification_reads,
    announcements,
    day_links,
    audience_votes,
    audience_tickets,
    audience_ballots,
    live_finals,
    live_pitches,
    live_unlocks,
    live_saves,
    live_presence,
    organisations,
    application_routes
);
