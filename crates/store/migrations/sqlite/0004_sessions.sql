-- Browser sessions: only a hash of the cookie's value is kept, with the form token
-- that protects the session's forms from cross-site requests.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    csrf          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
