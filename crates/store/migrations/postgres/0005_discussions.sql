-- Discussions on a case among the partner representatives and the Partnership
-- Manager: the threshold challenge thread, and each one's view on a proposed ALA.
CREATE TABLE discussions (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    topic         TEXT NOT NULL,
    author_email  TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    author_role   TEXT NOT NULL,
    partner       TEXT,
    position      TEXT,
    body          TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX discussions_case ON discussions (case_id, topic, at);
