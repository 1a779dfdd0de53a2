-- Retention: when each case was pseudonymised, and the legal holds that stop it.
ALTER TABLE cases ADD COLUMN pseudonymised_at TEXT;
CREATE TABLE legal_holds (
    case_id    TEXT PRIMARY KEY REFERENCES cases(id),
    reason     TEXT NOT NULL,
    placed_by  TEXT NOT NULL,
    placed_at  TEXT NOT NULL
);
