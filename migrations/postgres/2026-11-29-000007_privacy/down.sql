ALTER TABLE applications DROP COLUMN erased_at;
ALTER TABLE documents DROP COLUMN page_count;
ALTER TABLE documents DROP COLUMN flags;
