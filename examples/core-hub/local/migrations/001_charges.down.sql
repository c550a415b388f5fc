-- Rolls the local stand-in back: the table is this profile's own, and empty but for tests.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
drop table if exists charges;
