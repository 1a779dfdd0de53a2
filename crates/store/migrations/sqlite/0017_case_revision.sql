-- Every change a reader of a case would see bumps the case's revision: its events, its
-- agency requests and their chronology entries. A copy of a case read kept in memory
-- is current while the case's version and revision (with the business date and the
-- settings version) are unchanged, so one small query checks it on every instance.
ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER events_revise_case_insert AFTER INSERT ON events
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER events_revise_case_update AFTER UPDATE ON events
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER events_revise_case_delete AFTER DELETE ON events
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

CREATE TRIGGER agency_requests_revise_case_insert AFTER INSERT ON agency_requests
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER agency_requests_revise_case_update AFTER UPDATE ON agency_requests
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER agency_requests_revise_case_delete AFTER DELETE ON agency_requests
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

CREATE TRIGGER chronology_entries_revise_case_insert AFTER INSERT ON chronology_entries
BEGIN UPDATE cases SET revision = revision + 1
      WHERE id = (SELECT case_id FROM agency_requests WHERE id = NEW.request_id); END;
CREATE TRIGGER chronology_entries_revise_case_update AFTER UPDATE ON chronology_entries
BEGIN UPDATE cases SET revision = revision + 1
      WHERE id = (SELECT case_id FROM agency_requests WHERE id = NEW.request_id); END;
CREATE TRIGGER chronology_entries_revise_case_delete AFTER DELETE ON chronology_entries
BEGIN UPDATE cases SET revision = revision + 1
      WHERE id = (SELECT case_id FROM agency_requests WHERE id = OLD.request_id); END;
