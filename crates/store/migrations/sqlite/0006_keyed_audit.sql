-- The audit chain becomes keyed: each row's MAC is an HMAC under a key kept outside
-- the database (the key file), so that rows cannot be edited and re-chained by someone
-- who holds only the database. Rows written before keep their SHA-256 chain in
-- `audit_legacy`, which `audit verify` still checks. Rows gain a `subject` (the user,
-- token or setting an administrative action was about).
ALTER TABLE audit RENAME TO audit_legacy;

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT,
    action     TEXT NOT NULL,
    subject    TEXT,
    case_id    TEXT,
    outcome    TEXT NOT NULL,
    prev_mac   TEXT NOT NULL,
    mac        TEXT NOT NULL
);
CREATE INDEX audit_case ON audit (case_id);

-- Return-link tokens are now derived from the key file: the secret no longer lives in
-- the database (links issued before must be reissued).
DELETE FROM settings WHERE key = 'link_secret';
