DROP TRIGGER audit_pending_chain ON audit_pending;
DROP TRIGGER audit_pending_release ON audit_pending;
DROP FUNCTION audit_pending_chain();
DROP FUNCTION audit_pending_release();
DROP FUNCTION audit_stage(TIMESTAMP, BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, BYTEA);
DROP TABLE audit_pending;
