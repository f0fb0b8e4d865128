CREATE TABLE published_results_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    snapshot TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_by BIGINT,
    published_at TIMESTAMP NOT NULL
);
INSERT INTO published_results_old (id, round_id, snapshot, sha256, published_by, published_at)
    SELECT id, round_id, snapshot, sha256, published_by, published_at FROM published_results;
DROP TABLE published_results;
ALTER TABLE published_results_old RENAME TO published_results;
CREATE UNIQUE INDEX published_results_round_key ON published_results (round_id);
