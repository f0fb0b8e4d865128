ALTER TABLE round_entries DROP COLUMN award_reason;
ALTER TABLE round_entries DROP COLUMN award_override;
ALTER TABLE contests DROP COLUMN previous_id;
ALTER TABLE contests DROP COLUMN archived_at;
ALTER TABLE contests DROP COLUMN awards;
