ALTER TABLE applications DROP COLUMN answers;
ALTER TABLE contests DROP COLUMN questions;
