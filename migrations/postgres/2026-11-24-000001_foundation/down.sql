DROP TABLE audit_log;
DROP TABLE outbox;
DROP TABLE one_time_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
