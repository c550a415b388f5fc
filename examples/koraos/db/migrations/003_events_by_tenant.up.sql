-- eclusa:no-transaction
-- The replay worker reads one tenant's events in order. CONCURRENTLY builds the index without
-- blocking writes, and cannot run inside a transaction: hence the first line.
SET lock_timeout = '5s';
SET statement_timeout = '30min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS runtime_events_tenant_created_idx
  ON runtime_events (tenant_id, created_at);
