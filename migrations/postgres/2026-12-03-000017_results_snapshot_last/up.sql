-- SQLite moves the snapshot after the digest in this step (see its migration). PostgreSQL
-- keeps large values out of line (TOAST), so reading the digest never touched the snapshot;
-- nothing changes here, and the step exists so both backends count the same migrations.
SELECT 1;
