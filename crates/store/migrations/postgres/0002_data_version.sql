-- A counter bumped by every write to case data, so that readers can tell whether a
-- cached case list is still current (also across several service instances).
CREATE TABLE data_version (
    id       BIGINT PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
