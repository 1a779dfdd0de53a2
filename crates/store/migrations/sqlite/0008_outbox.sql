-- Notifications: every message the service decides to send is a row here, written in
-- the transaction of the event (or the reminder pass) that caused it. A row names what
-- to say (the event or the reminder, the step, the due date) and to whom; the worker
-- writes the words and any attachments when it sends, so no case content and no
-- working return link is kept at rest.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- At most one row per key: a reminder pass run twice sends nothing new.
    dedupe_key       TEXT NOT NULL UNIQUE,
    -- event | upcoming | due_today | overdue | link_reissued | link_revoked | digest | test
    notice           TEXT NOT NULL,
    case_id          TEXT REFERENCES cases(id),
    event_version    BIGINT,
    step             TEXT,
    agency           TEXT,
    due_on           TEXT,
    -- return_request | meeting_invitation | none
    enclosure        TEXT NOT NULL DEFAULT 'none',
    recipient        TEXT NOT NULL,
    -- Who the address belongs to, to show: a user's name and role, or an agency's name.
    recipient_label  TEXT NOT NULL,
    user_id          BIGINT REFERENCES users(id),
    -- queued -> sent | failed; held waits for the recipient's daily digest, and
    -- digested says which digest carried it.
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    claimed_by       TEXT,
    last_error       TEXT,
    reply            TEXT,
    digest_id        BIGINT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id, event_version);
CREATE INDEX outbox_held ON outbox (user_id, status);

-- Each user chooses messages as they happen (immediate) or in one daily digest.
ALTER TABLE users ADD COLUMN notify TEXT NOT NULL DEFAULT 'immediate';
