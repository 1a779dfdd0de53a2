-- A second counter, bumped by every change to the calendar overrides or the deadline
-- rules: each service instance polls it and reloads its copy when it moves, so that a
-- change made on one instance shows on the others within a second.
INSERT INTO data_version (id, version) VALUES (2, 0);
