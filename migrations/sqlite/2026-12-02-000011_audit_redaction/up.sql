-- Erasure redacts personal data inside old audit entries without breaking the chain: new
-- entries chain over the SHA-256 of their details (kept in details_sha256), so the details
-- text can be replaced while the digest, and every hash after it, stays. Entries written
-- before this migration keep an empty details_sha256 and chain over their details text.
ALTER TABLE audit_log ADD COLUMN details_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN redacted_at TIMESTAMP;
