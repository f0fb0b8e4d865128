-- A published round's results, frozen: the snapshot is what applicants and the public see,
-- and its SHA-256 lets anyone check that it never changed afterwards.
CREATE TABLE published_results (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    snapshot TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_by BIGINT,
    published_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX published_results_round_key ON published_results (round_id);
