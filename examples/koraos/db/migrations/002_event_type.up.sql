-- Expand: event_type replaces kind. Release 1.0.0 writes both columns and reads event_type,
-- so kind can be dropped by a migration of any later release (the contract step).
-- eclusa:deprecate column runtime_events.kind since 1.0.0
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE runtime_events ADD COLUMN IF NOT EXISTS event_type text;
