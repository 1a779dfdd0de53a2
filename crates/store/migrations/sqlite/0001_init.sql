-- Rapid Review schema (SQLite). Events are the truth; `cases` holds a snapshot derived
-- from them for listing and filtering. Dates are ISO text, timestamps RFC 3339 UTC text.

CREATE TABLE agencies (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    email       TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    partner        TEXT,
    agency         TEXT REFERENCES agencies(slug),
    password_hash  TEXT,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    label       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE reference_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE,
    version     INTEGER NOT NULL,
    route       TEXT NOT NULL,
    path        TEXT NOT NULL,
    stage       TEXT NOT NULL,
    state       TEXT NOT NULL,
    aware_on    TEXT NOT NULL,
    opened_on   TEXT NOT NULL,
    next_step   TEXT,
    next_agency TEXT,
    next_due    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX cases_state_next_due ON cases (state, next_due);

CREATE TABLE events (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    version      INTEGER NOT NULL,
    type         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    actor_id     INTEGER REFERENCES users(id),
    actor_email  TEXT NOT NULL,
    payload      TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT,
    action     TEXT NOT NULL,
    case_id    TEXT,
    outcome    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TABLE calendar_overrides (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
