-- Sign-in on the day (issue 21): one-time links an administrator hands a judge of a contest
-- (a QR code in the hall or a mail). Only the SHA-256 of the secret is kept; a link is used
-- once, ends at expires_at, and can be revoked.
CREATE TABLE day_links (
    id BIGSERIAL PRIMARY KEY,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NULL,
    revoked_at TIMESTAMP NULL
);
CREATE INDEX day_links_contest_idx ON day_links (contest_id, user_id);

-- The audience vote of a round (People's Choice): kept apart from the judges' reviews.
CREATE TABLE audience_votes (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL UNIQUE REFERENCES rounds (id),
    public_key TEXT NOT NULL UNIQUE,
    mode TEXT NOT NULL,
    state TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP NULL,
    closed_at TIMESTAMP NULL,
    published_at TIMESTAMP NULL
);

-- Ticket codes of a vote in ticket mode, stored hashed.
CREATE TABLE audience_tickets (
    id BIGSERIAL PRIMARY KEY,
    vote_id BIGINT NOT NULL REFERENCES audience_votes (id),
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (vote_id, code_hash)
);

-- One ballot per voter (a ticket's hash or a verified email's hash) and vote.
CREATE TABLE audience_ballots (
    id BIGSERIAL PRIMARY KEY,
    vote_id BIGINT NOT NULL REFERENCES audience_votes (id),
    voter_hash TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    cast_at TIMESTAMP NOT NULL,
    UNIQUE (vote_id, voter_hash)
);
CREATE INDEX audience_ballots_count_idx ON audience_ballots (vote_id, application_id);
