-- Two-factor sign-in. The TOTP secret is sealed (AES-256-GCM, key derived from the server
-- secret); enabled_at is NULL while enrolment awaits its first code; last_step is the newest
-- time step accepted, so a code works once. Recovery codes are stored as SHA-256 only.
CREATE TABLE two_factor (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,
    enabled_at TIMESTAMP,
    last_step BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
