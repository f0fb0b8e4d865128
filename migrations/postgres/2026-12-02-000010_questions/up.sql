-- Custom questions: a contest's own questions (JSON array) and each application's answers
-- to them (JSON object by question key).
ALTER TABLE contests ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applications ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
