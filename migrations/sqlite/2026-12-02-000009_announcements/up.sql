-- Announcements: a message an administrator sent to a group of a contest's people, kept with
-- the audience it was sent to and how many it reached (the mail itself is in the outbox).
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    audience TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX announcements_contest_idx ON announcements (contest_id, created_at);
