-- SQLite keeps a row's columns in order, and a large value spills onto overflow pages that can
-- only be walked one after the other. The snapshot (hundreds of KB for a big round) came before
-- the digest, so every public results request read the whole snapshot chain to reach `sha256`,
-- only to find the parsed snapshot already in memory. The snapshot goes last now.
CREATE TABLE published_results_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    sha256 TEXT NOT NULL,
    published_by BIGINT,
    published_at TIMESTAMP NOT NULL,
    snapshot TEXT NOT NULL
);
INSERT INTO published_results_new (id, round_id, sha256, published_by, published_at, snapshot)
    SELECT id, round_id, sha256, published_by, published_at, snapshot FROM published_results;
DROP TABLE published_results;
ALTER TABLE published_results_new RENAME TO published_results;
CREATE UNIQUE INDEX published_results_round_key ON published_results (round_id);
