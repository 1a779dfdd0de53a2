-- Accounts: two-factor sign-in, password changes and resets, token expiry, sign-in
-- throttling, and sessions that can be listed and ended.

-- A user's TOTP key, encrypted under a key from the key file; `totp_pending` holds a
-- key being set up until its first code is confirmed. `totp_last_step` refuses a code
-- used twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Ten single-use recovery codes per user; only an HMAC of each is kept.
CREATE TABLE recovery_codes (
    code_mac  TEXT PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users(id),
    used_at   TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Tokens expire; those issued before this version expire 90 days from now.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET expires_at = to_char((now() AT TIME ZONE 'UTC') + interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') WHERE expires_at IS NULL;

-- Sessions: how far sign-in has got (`password` until the second factor is given,
-- `setup` until two-factor is set up, `done`), and the browser, to list them.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'done';
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins by account and by client address.
CREATE TABLE sign_in_throttle (
    key           TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    locked_until  TEXT,
    last_failure  TEXT NOT NULL
);

-- Single-use password reset links, valid for 24 hours; only a hash of each is kept.
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
