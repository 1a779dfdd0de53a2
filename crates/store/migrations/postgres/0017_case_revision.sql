-- Every change a reader of a case would see bumps the case's revision: its events, its
-- agency requests and their chronology entries, its messages (the outbox), its
-- discussions, its themes and its review papers. A copy of a case read kept in memory
-- is current while the case's version and revision (with the business date and the
-- settings version) are unchanged, so one small query checks it on every instance.
ALTER TABLE cases ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION revise_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE cases SET revision = revision + 1 WHERE id = OLD.case_id;
    ELSE
        UPDATE cases SET revision = revision + 1 WHERE id = NEW.case_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION revise_case_of_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE cases SET revision = revision + 1
         WHERE id = (SELECT case_id FROM agency_requests WHERE id = OLD.request_id);
    ELSE
        UPDATE cases SET revision = revision + 1
         WHERE id = (SELECT case_id FROM agency_requests WHERE id = NEW.request_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_revise_case AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION revise_case();
CREATE TRIGGER agency_requests_revise_case AFTER INSERT OR UPDATE OR DELETE ON agency_requests
    FOR EACH ROW EXECUTE FUNCTION revise_case();
CREATE TRIGGER chronology_entries_revise_case AFTER INSERT OR UPDATE OR DELETE ON chronology_entries
    FOR EACH ROW EXECUTE FUNCTION revise_case_of_request();
CREATE TRIGGER outbox_revise_case AFTER INSERT OR UPDATE OR DELETE ON outbox
    FOR EACH ROW EXECUTE FUNCTION revise_case();
CREATE TRIGGER discussions_revise_case AFTER INSERT OR UPDATE OR DELETE ON discussions
    FOR EACH ROW EXECUTE FUNCTION revise_case();
CREATE TRIGGER case_themes_revise_case AFTER INSERT OR UPDATE OR DELETE ON case_themes
    FOR EACH ROW EXECUTE FUNCTION revise_case();
CREATE TRIGGER review_documents_revise_case AFTER INSERT OR UPDATE OR DELETE ON review_documents
    FOR EACH ROW EXECUTE FUNCTION revise_case();

-- A theme renamed changes every case that carries it.
CREATE FUNCTION revise_cases_of_theme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET revision = revision + 1
     WHERE id IN (SELECT case_id FROM case_themes WHERE theme_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER themes_revise_cases AFTER UPDATE ON themes
    FOR EACH ROW EXECUTE FUNCTION revise_cases_of_theme();
