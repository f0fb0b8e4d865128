-- The organisations a judge declares ties to (employer, investments, advisory roles, family
-- companies), as a JSON array of {"name", "kind"}; conflict detection matches them.
ALTER TABLE judge_profiles ADD COLUMN affiliations TEXT NOT NULL DEFAULT '[]';
