-- A retried write is not a second write (see store/src/idempotency.rs): the first
-- answer to a POST that carried an Idempotency-Key, kept for 24 hours per user and key.
-- The row goes in with the write itself; the rendered answer follows it.
CREATE TABLE idempotency_keys (
    actor_id      BIGINT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    case_id       TEXT,
    event_version BIGINT,
    status        BIGINT NOT NULL,
    response      TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
