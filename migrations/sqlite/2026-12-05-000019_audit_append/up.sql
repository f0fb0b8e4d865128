-- PostgreSQL appends to the audit chain in one function call (see its migration). SQLite's
-- writes go through one writer thread, which holds the database's write lock for its batch,
-- so the chain's tail cannot move under an appender and there is nothing to add here.
SELECT 1;
