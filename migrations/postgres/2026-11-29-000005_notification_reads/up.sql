-- When each user last opened their notifications: everything newer counts as unread.
CREATE TABLE notification_reads (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    seen_at TIMESTAMP NOT NULL
);
