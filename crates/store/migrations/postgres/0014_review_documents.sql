-- The local review's papers, uploaded by the Business Unit: its terms of reference and
-- the draft and final reports (PDF or DOCX, at most 20 MB each), kept in the database
-- with the case rather than on a disk beside it.
CREATE TABLE review_documents (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    body        BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX review_documents_case ON review_documents (case_id, uploaded_at);
