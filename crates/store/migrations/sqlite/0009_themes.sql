-- Learning themes: a list the Partnership Manager manages, seeded with the National
-- Panel's recurring themes, and the themes each case carries (counted in reports).
CREATE TABLE themes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE case_themes (
    case_id   TEXT NOT NULL REFERENCES cases(id),
    theme_id  BIGINT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (case_id, theme_id)
);

INSERT INTO themes (name, created_at) VALUES
    ('Neglect', '2026-11-28T00:00:00.000Z'),
    ('Domestic abuse', '2026-11-28T00:00:00.000Z'),
    ('Parental mental health', '2026-11-28T00:00:00.000Z'),
    ('Parental substance misuse', '2026-11-28T00:00:00.000Z'),
    ('Non-accidental injury in babies', '2026-11-28T00:00:00.000Z'),
    ('Extra-familial harm', '2026-11-28T00:00:00.000Z'),
    ('Sudden unexpected death in infancy', '2026-11-28T00:00:00.000Z'),
    ('Child criminal exploitation', '2026-11-28T00:00:00.000Z'),
    ('Child sexual abuse', '2026-11-28T00:00:00.000Z'),
    ('Online harm', '2026-11-28T00:00:00.000Z'),
    ('Suicide and self-harm', '2026-11-28T00:00:00.000Z'),
    ('Children with disabilities', '2026-11-28T00:00:00.000Z');
