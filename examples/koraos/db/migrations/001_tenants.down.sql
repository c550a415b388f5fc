SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
DROP TABLE IF EXISTS runtime_events;
DROP TABLE IF EXISTS tenants;
