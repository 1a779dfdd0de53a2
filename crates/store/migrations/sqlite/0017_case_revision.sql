-- Every change a reader of a case would see bumps the case's revision: its events, its
-- agency requests and their chronology entries, its messages (the outbox), its
-- discussions, its themes and its review papers. A copy of a case read kept in memory
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

CREATE TRIGGER outbox_revise_case_insert AFTER INSERT ON outbox
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER outbox_revise_case_update AFTER UPDATE ON outbox
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER outbox_revise_case_delete AFTER DELETE ON outbox
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

CREATE TRIGGER discussions_revise_case_insert AFTER INSERT ON discussions
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER discussions_revise_case_update AFTER UPDATE ON discussions
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER discussions_revise_case_delete AFTER DELETE ON discussions
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

CREATE TRIGGER case_themes_revise_case_insert AFTER INSERT ON case_themes
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER case_themes_revise_case_update AFTER UPDATE ON case_themes
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER case_themes_revise_case_delete AFTER DELETE ON case_themes
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

CREATE TRIGGER review_documents_revise_case_insert AFTER INSERT ON review_documents
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER review_documents_revise_case_update AFTER UPDATE ON review_documents
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id; END;
CREATE TRIGGER review_documents_revise_case_delete AFTER DELETE ON review_documents
BEGIN UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id; END;

-- A theme renamed changes every case that carries it.
CREATE TRIGGER themes_revise_cases AFTER UPDATE ON themes
BEGIN UPDATE cases SET revision = revision + 1
      WHERE id IN (SELECT case_id FROM case_themes WHERE theme_id = NEW.id); END;
