-- The audit chain is appended at commit (issue 20). Since migration 19 an audited write took
-- the chain's lock in the middle of its transaction and held it until commit: one round trip
-- back to the server, the server's next statement (COMMIT), and the WAL flush. With half the
-- saves of a load run audited, saves still waited 2.7 ms on average for that lock.
--
-- Now the server stages the entry (`audit_stage`, an insert into `audit_pending` that takes no
-- shared lock) and the chain is appended by a trigger that runs when the transaction commits.
-- The lock is then held only for that trigger and the commit itself, with no round trip to
-- the server under it.
--
-- Order at commit. Commit-time triggers fire in passes: the triggers queued by the
-- transaction's statements fire first, then those their firing queued, and so on. The queue
-- stamps (migration 18) restamp in the first pass and take row locks. If the chain's lock were
-- taken in that pass too, a transaction that staged its entry before restamping would take the
-- chain's lock before a stamp's row lock, and one that restamped first the other way round: two
-- such transactions could deadlock. So the first pass only releases the staged entry (deletes
-- it), and its deletion queues the append for the second pass. Every transaction takes its
-- stamps' row locks before the chain's lock, and takes no lock after it.

CREATE TABLE audit_pending (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    details TEXT NOT NULL,
    details_sha256 TEXT NOT NULL,
    organisation_id BIGINT,
    suffix BYTEA NOT NULL
);

-- Stages an entry and answers the actor's organisation, which it reads here rather than in a
-- statement of its own: the entry names it and the chain covers it (`audit::chain_suffix`
-- ends with `organisation:<id>` and a zero byte when there is one). PL/pgSQL so that each
-- connection plans its statements once.
CREATE FUNCTION audit_stage(
    p_at TIMESTAMP,
    p_actor_id BIGINT,
    p_action TEXT,
    p_entity TEXT,
    p_entity_id TEXT,
    p_details TEXT,
    p_details_sha256 TEXT,
    p_suffix BYTEA
) RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    org BIGINT;
    suffix BYTEA := p_suffix;
BEGIN
    IF p_actor_id IS NOT NULL THEN
        SELECT organisation_id INTO org FROM users WHERE id = p_actor_id;
    END IF;
    IF org IS NOT NULL THEN
        suffix := suffix || convert_to('organisation:' || org, 'UTF8') || decode('00', 'hex');
    END IF;
    INSERT INTO audit_pending (at, actor_id, action, entity, entity_id, details,
            details_sha256, organisation_id, suffix)
        VALUES (p_at, p_actor_id, p_action, p_entity, p_entity_id, p_details,
            p_details_sha256, org, suffix);
    RETURN org;
END
$$;

-- First pass: release the entry.
CREATE FUNCTION audit_pending_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_pending_release AFTER INSERT ON audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_pending_release();

-- Second pass: chain it (migration 19's function: the lock, the tail, the insert).
CREATE FUNCTION audit_pending_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM audit_append(OLD.at, OLD.actor_id, OLD.action, OLD.entity, OLD.entity_id,
        OLD.details, OLD.details_sha256, OLD.organisation_id, OLD.suffix);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_pending_chain AFTER DELETE ON audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_pending_chain();
