-- Rounds, rubrics, judges, conflicts, assignments and reviews.

CREATE TABLE rounds (
    id BIGSERIAL PRIMARY KEY,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    reviews_per_application INTEGER NOT NULL,
    judging_opens_at TIMESTAMP,
    judging_closes_at TIMESTAMP,
    blind BOOLEAN NOT NULL DEFAULT FALSE,
    blind_shows_deck BOOLEAN NOT NULL DEFAULT TRUE,
    ranking_method TEXT NOT NULL DEFAULT 'raw',
    tie_break TEXT NOT NULL DEFAULT '[]',
    feedback_to_applicants BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('setup', 'judging', 'closed', 'published')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX rounds_contest_position_key ON rounds (contest_id, position);

CREATE TABLE rubric_criteria (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '{}',
    weight DOUBLE PRECISION NOT NULL,
    scale_min INTEGER NOT NULL,
    scale_max INTEGER NOT NULL
);
CREATE UNIQUE INDEX rubric_criteria_round_key ON rubric_criteria (round_id, key);

-- The applications a round judges: round 1 takes the submitted ones when judging starts,
-- later rounds take those advanced from the round before.
CREATE TABLE round_entries (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    advanced BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX round_entries_key ON round_entries (round_id, application_id);

CREATE TABLE judge_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organization TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL CHECK (region IN ('KR', 'CN', 'OTHER')),
    expertise TEXT NOT NULL DEFAULT '{}',
    languages TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER NOT NULL DEFAULT 10,
    reminders BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contest_judges (
    id BIGSERIAL PRIMARY KEY,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP
);
CREATE UNIQUE INDEX contest_judges_key ON contest_judges (contest_id, user_id);

CREATE TABLE conflicts (
    id BIGSERIAL PRIMARY KEY,
    judge_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('declared', 'admin', 'detected')),
    reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL,
    lifted_at TIMESTAMP
);
CREATE UNIQUE INDEX conflicts_pair_key ON conflicts (judge_id, application_id);
CREATE INDEX conflicts_application_idx ON conflicts (application_id);

CREATE TABLE assignments (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judge_id BIGINT NOT NULL REFERENCES users (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    source TEXT NOT NULL DEFAULT 'manual',
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX assignments_key ON assignments (round_id, judge_id, application_id);
CREATE INDEX assignments_judge_idx ON assignments (judge_id, round_id);
CREATE INDEX assignments_application_idx ON assignments (application_id, round_id);

CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    scores TEXT NOT NULL DEFAULT '{}',
    comment_applicant TEXT NOT NULL DEFAULT '',
    comment_private TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX reviews_assignment_key ON reviews (assignment_id);
