SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE runtime_events DROP COLUMN IF EXISTS event_type;
