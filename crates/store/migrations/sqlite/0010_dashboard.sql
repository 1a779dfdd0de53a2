-- The dashboard by case: each open case's Panel submission date in its snapshot, so
-- "due to the Panel in the next 5 working days" is one indexed query; filled in for
-- existing cases when the service next starts (see Store::refresh_snapshots_once).
ALTER TABLE cases ADD COLUMN submission_due TEXT;
CREATE INDEX cases_submission_due ON cases (state, submission_due);
CREATE INDEX cases_next_step ON cases (state, next_step, next_due);
