-- Accounts that can see cases, created or changed by an administrator, wait on the
-- Partnership Manager's dashboard until she acknowledges them (store/src/account_reviews.rs).
CREATE TABLE account_reviews (
    id               BIGSERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    change           TEXT NOT NULL,
    by_actor         TEXT NOT NULL,
    at               TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT
);
CREATE INDEX account_reviews_waiting ON account_reviews (acknowledged_at);
