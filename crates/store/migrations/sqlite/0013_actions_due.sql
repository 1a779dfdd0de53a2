-- Actions on the dashboard until done: each case's snapshot keeps the earliest due date
-- of its immediate actions and learning actions not done yet (filled in for existing
-- cases when the service next starts; see Store::refresh_snapshots_once).
ALTER TABLE cases ADD COLUMN actions_due TEXT;
CREATE INDEX cases_actions_due ON cases (state, actions_due);
