-- PostgreSQL appends the audit chain when a transaction commits (see its migration). SQLite's
-- writes go through one writer thread that holds the write lock for its whole batch, so an
-- appender never waits on another and there is nothing to add here.
SELECT 1;
