DROP TABLE documents;
DROP TABLE applications;
DROP TABLE contests;
