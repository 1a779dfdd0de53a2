-- The Rapid Review Template: every saved version of a case's template (its sections as
-- a JSON object of texts), and each partner's sign-off of a version. A new version
-- has no sign-offs of its own, so saving one clears the earlier ones.
CREATE TABLE template_versions (
    case_id        TEXT NOT NULL REFERENCES cases(id),
    version        INTEGER NOT NULL,
    sections       TEXT NOT NULL,
    saved_by_email TEXT NOT NULL,
    saved_by_name  TEXT NOT NULL,
    saved_at       TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

CREATE TABLE template_sign_offs (
    case_id    TEXT NOT NULL REFERENCES cases(id),
    version    INTEGER NOT NULL,
    partner    TEXT NOT NULL,
    user_email TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, version, partner),
    FOREIGN KEY (case_id, version) REFERENCES template_versions(case_id, version)
);
