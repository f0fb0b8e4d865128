-- The live final: a round run from the hall. One settings row per live round (its presence
-- marks the round live), the run sheet in order, per-judge unlocks of closed pitches, the
-- idempotency keys of the judges' phones, and when each judge's phone was last connected.
CREATE TABLE live_finals (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    pitch_secs INTEGER NOT NULL,
    qa_secs INTEGER NOT NULL,
    grace_secs INTEGER NOT NULL,
    languages TEXT NOT NULL DEFAULT 'ko,zh',
    phase TEXT NOT NULL DEFAULT 'ready' CHECK (phase IN ('ready', 'running', 'paused', 'finished')),
    current_position INTEGER,
    clock_started_at TIMESTAMP,
    clock_elapsed_ms BIGINT NOT NULL DEFAULT 0,
    reveal_step INTEGER NOT NULL DEFAULT 0,
    display_token_hash TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE live_pitches (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    position INTEGER NOT NULL,
    opened_at TIMESTAMP,
    closes_at TIMESTAMP
);
CREATE UNIQUE INDEX live_pitches_key ON live_pitches (round_id, application_id);

CREATE TABLE live_unlocks (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL,
    judge_id BIGINT NOT NULL REFERENCES users (id),
    unlocked_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX live_unlocks_key ON live_unlocks (round_id, application_id, judge_id);

CREATE TABLE live_saves (
    id BIGSERIAL PRIMARY KEY,
    judge_id BIGINT NOT NULL REFERENCES users (id),
    client_id TEXT NOT NULL,
    assignment_id BIGINT NOT NULL,
    answer TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX live_saves_key ON live_saves (judge_id, client_id);

CREATE TABLE live_presence (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judge_id BIGINT NOT NULL REFERENCES users (id),
    last_seen TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX live_presence_key ON live_presence (round_id, judge_id);
