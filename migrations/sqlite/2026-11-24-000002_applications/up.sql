-- Contest editions, applications and their documents.
-- Multilingual texts ({"en": …, "ko": …, "zh": …}), tracks and eligibility rules are JSON
-- stored as TEXT, the portable choice for both backends.

CREATE TABLE contests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '{}',
    timezone TEXT NOT NULL,
    tracks TEXT NOT NULL DEFAULT '[]',
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    eligibility TEXT NOT NULL DEFAULT '{}',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX contests_slug_key ON contests (slug);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    applicant_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn', 'disqualified')),
    company_name TEXT NOT NULL DEFAULT '',
    company_name_native TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    founded_year INTEGER,
    team_size INTEGER,
    stage TEXT NOT NULL DEFAULT '',
    track TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    solution TEXT NOT NULL DEFAULT '',
    market TEXT NOT NULL DEFAULT '',
    traction TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '[]',
    video_url TEXT NOT NULL DEFAULT '',
    status_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One application per applicant account per contest.
CREATE UNIQUE INDEX applications_contest_applicant_key ON applications (contest_id, applicant_id);
CREATE INDEX applications_contest_status_idx ON applications (contest_id, status, id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    original_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX documents_application_kind_key ON documents (application_id, kind);
