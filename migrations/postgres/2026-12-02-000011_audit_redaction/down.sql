ALTER TABLE audit_log DROP COLUMN redacted_at;
ALTER TABLE audit_log DROP COLUMN details_sha256;
