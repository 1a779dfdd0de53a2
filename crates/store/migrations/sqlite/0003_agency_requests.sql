-- One request per agency per case, with its return link (only a hash of the token is
-- kept), the agency's scoping draft (JSON) and its chronology entries.
CREATE TABLE agency_requests (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    agency              TEXT NOT NULL,
    sent_on             TEXT NOT NULL,
    due_on              TEXT NOT NULL,
    expires_on          TEXT NOT NULL,
    generation          INTEGER NOT NULL,
    token_hash          TEXT NOT NULL UNIQUE,
    revoked_at          TEXT,
    opened_at           TEXT,
    scoping             TEXT NOT NULL,
    draft_saved_at      TEXT,
    submitted_at        TEXT,
    proceed_without_at  TEXT,
    proceed_without_by  TEXT,
    UNIQUE (case_id, agency)
);

CREATE TABLE chronology_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id     TEXT NOT NULL REFERENCES agency_requests(id),
    entry_date     TEXT NOT NULL,
    entry_time     TEXT,
    what_happened  TEXT NOT NULL,
    who            TEXT,
    source         TEXT,
    significance   TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX chronology_entries_request ON chronology_entries (request_id);
