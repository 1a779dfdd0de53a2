-- A reminder about one of a case's actions names it here ("immediate-2", "learning-1"),
-- as a reminder about a step names the step (the action clocks of the correspondence issue).
ALTER TABLE outbox ADD COLUMN action TEXT;
