-- Appending to the audit chain (issue 20). Two entries must not chain onto the same tail, so an
-- appender takes a transaction lock that it holds until it commits. The lock, the read of the
-- tail and the insert were three round trips from the server, each waiting for the server's
-- thread to be scheduled again, all under the lock: in a load run of review saves (half of
-- them edits of submitted reviews, which are audited) the saves waited 6.4 ms on average for
-- it and half the pool stood in its queue. This function does the three in one call, so the
-- lock is held for one round trip and the commit.
--
-- The hash is the one `audit::chain_hash` computes: SHA-256 over the previous hash followed by
-- the entry's own fields, which the server sends ready-made (`suffix`), so the two cannot drift.
-- Each statement of a VOLATILE function takes a new snapshot, so the tail is read after the
-- lock is granted and sees the entry of the transaction that held it before.

CREATE FUNCTION audit_append(
    p_at TIMESTAMP,
    p_actor_id BIGINT,
    p_action TEXT,
    p_entity TEXT,
    p_entity_id TEXT,
    p_details TEXT,
    p_details_sha256 TEXT,
    p_organisation_id BIGINT,
    p_suffix BYTEA
) RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    prev TEXT;
    new_id BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(7352001);
    SELECT hash INTO prev FROM audit_log ORDER BY id DESC LIMIT 1;
    prev := COALESCE(prev, repeat('0', 64));
    INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details, prev_hash, hash,
            details_sha256, organisation_id)
        VALUES (p_at, p_actor_id, p_action, p_entity, p_entity_id, p_details, prev,
            encode(sha256(convert_to(prev, 'UTF8') || p_suffix), 'hex'), p_details_sha256,
            p_organisation_id)
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
