ALTER TABLE judge_profiles DROP COLUMN affiliations;
