ALTER TABLE audit_log DROP COLUMN organisation_id;
ALTER TABLE outbox DROP COLUMN organisation_id;
ALTER TABLE contest_judges DROP COLUMN organisation_id;
DROP TABLE application_routes;
ALTER TABLE rounds DROP COLUMN route;
ALTER TABLE rounds DROP COLUMN stage;
ALTER TABLE rounds DROP COLUMN organisation_id;
ALTER TABLE users DROP COLUMN organisation_id;
DROP TABLE organisations;
