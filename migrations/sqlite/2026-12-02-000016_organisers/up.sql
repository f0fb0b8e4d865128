-- Joint organisers (issue 22). An organisation runs its own preliminaries; its staff are
-- administrators bounded by it (users.organisation_id), owners are administrators without one.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_contest_idx ON organisations (contest_id);
ALTER TABLE users ADD COLUMN organisation_id BIGINT;
-- Rounds side by side share a stage; a preliminary belongs to an organisation and takes the
-- submitted applications its route (JSON: countries, tracks) matches.
ALTER TABLE rounds ADD COLUMN organisation_id BIGINT;
ALTER TABLE rounds ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
UPDATE rounds SET stage = position;
ALTER TABLE rounds ADD COLUMN route TEXT NOT NULL DEFAULT '{}';
-- The owner's manual choice of preliminary for one application, over the rules.
CREATE TABLE application_routes (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    set_by BIGINT REFERENCES users (id),
    set_at TIMESTAMP NOT NULL
);
-- Who invited a judge, whose a mail is, whose an audit entry is. (SQLite: no REFERENCES on
-- added columns, so that down.sql can drop them; the models keep them pointing at organisations.)
ALTER TABLE contest_judges ADD COLUMN organisation_id BIGINT;
ALTER TABLE outbox ADD COLUMN organisation_id BIGINT;
ALTER TABLE audit_log ADD COLUMN organisation_id BIGINT;
