-- A whole edition on screen: award tiers per contest, archiving, the edition a contest was
-- copied from, and an administrator's written override of an award place in a round.
ALTER TABLE contests ADD COLUMN awards TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contests ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE contests ADD COLUMN previous_id BIGINT REFERENCES contests (id);
-- award_override: a tier key, or '' for "no award"; NULL means the ranks decide.
ALTER TABLE round_entries ADD COLUMN award_override TEXT;
ALTER TABLE round_entries ADD COLUMN award_reason TEXT;
