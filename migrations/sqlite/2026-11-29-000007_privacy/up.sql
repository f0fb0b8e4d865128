-- Personal data and upload hardening: what the PDF scan found on each document, and when an
-- administrator erased an application's personal fields (its scores stay, anonymous).
ALTER TABLE documents ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN page_count INTEGER;
ALTER TABLE applications ADD COLUMN erased_at TIMESTAMP;
