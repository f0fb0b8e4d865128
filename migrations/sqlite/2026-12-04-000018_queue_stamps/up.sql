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

CREATE TABLE queue_stamps (
    judge_id INTEGER PRIMARY KEY NOT NULL,
    stamp BIGINT NOT NULL
);

CREATE TRIGGER assignments_restamp_insert AFTER INSERT ON assignments BEGIN
    INSERT INTO queue_stamps (judge_id, stamp) VALUES (NEW.judge_id, random())
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER assignments_restamp_delete AFTER DELETE ON assignments BEGIN
    INSERT INTO queue_stamps (judge_id, stamp) VALUES (OLD.judge_id, random())
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER assignments_restamp_update AFTER UPDATE ON assignments BEGIN
    INSERT INTO queue_stamps (judge_id, stamp) VALUES (OLD.judge_id, random())
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
    INSERT INTO queue_stamps (judge_id, stamp) VALUES (NEW.judge_id, random())
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

-- The WHERE clauses on INSERT … SELECT keep SQLite from reading ON CONFLICT as a join's ON.
CREATE TRIGGER reviews_restamp_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO queue_stamps (judge_id, stamp)
        SELECT judge_id, random() FROM assignments WHERE id = NEW.assignment_id
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER reviews_restamp_status AFTER UPDATE OF status ON reviews
    WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO queue_stamps (judge_id, stamp)
        SELECT judge_id, random() FROM assignments WHERE id = NEW.assignment_id
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER reviews_restamp_delete AFTER DELETE ON reviews BEGIN
    INSERT INTO queue_stamps (judge_id, stamp)
        SELECT judge_id, random() FROM assignments WHERE id = OLD.assignment_id
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER applications_restamp AFTER UPDATE OF company_name, track, country, summary
    ON applications
    WHEN OLD.company_name IS NOT NEW.company_name OR OLD.track IS NOT NEW.track
        OR OLD.country IS NOT NEW.country OR OLD.summary IS NOT NEW.summary
BEGIN
    INSERT INTO queue_stamps (judge_id, stamp)
        SELECT judge_id, random()
        FROM (SELECT DISTINCT judge_id FROM assignments WHERE application_id = NEW.id)
        WHERE true
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;

CREATE TRIGGER rounds_restamp AFTER UPDATE ON rounds
    WHEN OLD.name IS NOT NEW.name OR OLD.state IS NOT NEW.state OR OLD.blind IS NOT NEW.blind
        OR OLD.judging_closes_at IS NOT NEW.judging_closes_at OR OLD.position IS NOT NEW.position
BEGIN
    INSERT INTO queue_stamps (judge_id, stamp)
        SELECT judge_id, random()
        FROM (SELECT DISTINCT judge_id FROM assignments WHERE round_id = NEW.id)
        WHERE true
        ON CONFLICT (judge_id) DO UPDATE SET stamp = excluded.stamp;
END;
