-- The judge's queue revalidates against one row (issue 20). Until now its ETag digested an
-- aggregate over the judge's assignments joined with their applications, rounds and reviews,
-- which cost about as much as building the queue. These triggers give each judge a stamp that
-- changes whenever something the queue shows changes, so `If-None-Match` is one primary-key read.
--
-- The stamp is random rather than a counter: a database restored from a backup must not hand a
-- client a stamp it has seen for a different queue.
--
-- What the queue shows, and so what restamps it: the judge's assignments (added, moved, removed,
-- also by a round's cascade), the status of their reviews (not the scores an autosave changes),
-- the applications' name, track, country and summary, and the rounds' name, state, blindness,
-- closing time and position.
--
-- The triggers are deferred to commit. A stamp row is locked from its update to the commit, and
-- a transaction that restamps many judges (a round closing, the solver) would otherwise hold
-- those locks while it takes others (the audit chain's), in an order another transaction may
-- take the other way round. At commit a transaction takes no lock after its stamps.

CREATE TABLE queue_stamps (
    judge_id BIGINT PRIMARY KEY,
    stamp BIGINT NOT NULL
);

CREATE FUNCTION queue_restamp(judge BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO queue_stamps (judge_id, stamp) VALUES (judge, (random() * 9.0e15)::bigint)
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp
$$;

CREATE FUNCTION assignments_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM queue_restamp(OLD.judge_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM queue_restamp(NEW.judge_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER assignments_restamp AFTER INSERT OR UPDATE OR DELETE ON assignments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assignments_restamp();

CREATE FUNCTION reviews_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    assignment BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        assignment := OLD.assignment_id;
    ELSE
        assignment := NEW.assignment_id;
    END IF;
    PERFORM queue_restamp(a.judge_id) FROM assignments a WHERE a.id = assignment;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER reviews_restamp AFTER INSERT OR DELETE ON reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reviews_restamp();

CREATE CONSTRAINT TRIGGER reviews_restamp_status AFTER UPDATE OF status ON reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION reviews_restamp();

CREATE FUNCTION applications_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_restamp(j.judge_id)
        FROM (SELECT DISTINCT judge_id FROM assignments WHERE application_id = NEW.id) j
        ORDER BY j.judge_id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER applications_restamp
    AFTER UPDATE OF company_name, track, country, summary ON applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.company_name IS DISTINCT FROM NEW.company_name
        OR OLD.track IS DISTINCT FROM NEW.track
        OR OLD.country IS DISTINCT FROM NEW.country
        OR OLD.summary IS DISTINCT FROM NEW.summary)
    EXECUTE FUNCTION applications_restamp();

CREATE FUNCTION rounds_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_restamp(j.judge_id)
        FROM (SELECT DISTINCT judge_id FROM assignments WHERE round_id = NEW.id) j
        ORDER BY j.judge_id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER rounds_restamp AFTER UPDATE ON rounds
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
        OR OLD.state IS DISTINCT FROM NEW.state
        OR OLD.blind IS DISTINCT FROM NEW.blind
        OR OLD.judging_closes_at IS DISTINCT FROM NEW.judging_closes_at
        OR OLD.position IS DISTINCT FROM NEW.position)
    EXECUTE FUNCTION rounds_restamp();
