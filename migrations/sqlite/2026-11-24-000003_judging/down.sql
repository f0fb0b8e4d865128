DROP TABLE reviews;
DROP TABLE assignments;
DROP TABLE conflicts;
DROP TABLE contest_judges;
DROP TABLE judge_profiles;
DROP TABLE round_entries;
DROP TABLE rubric_criteria;
DROP TABLE rounds;
